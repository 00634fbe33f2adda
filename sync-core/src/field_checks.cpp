#include "field_checks.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string_view>

#include "value_checks.h"

namespace fieldsync::detail {
namespace {

// `text` quoted for a message, cut short (at a UTF-8 boundary) when long.
std::string quote(std::string_view text) {
  constexpr std::size_t kMaxQuoted = 60;
  if (text.size() <= kMaxQuoted) return "\"" + std::string(text) + "\"";
  std::size_t cut = kMaxQuoted;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return "\"" + std::string(text.substr(0, cut)) + "...\"";
}

std::string values_list(const FieldDef& field) {
  std::string text;
  for (const auto& v : field.values) text += (text.empty() ? "" : ", ") + v;
  return text;
}

bool fits_int64(const Json& v) {
  return !v.is_number_unsigned() ||
         v.get<std::uint64_t>() <=
             static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
}

// A string of at most field.max_length code points. `wrong` is the code for a non-string
// or invalid UTF-8.
void check_text(const FieldDef& field, const Json& value, const std::string& path,
                const char* wrong, const char* what, std::vector<Problem>& out) {
  if (!value.is_string()) {
    add_problem(out, path, wrong,
                std::string(what) + " must be a string, not " + value.type_name());
    return;
  }
  auto length = utf8_length(value.get_ref<const std::string&>());
  if (!length) {
    add_problem(out, path, wrong, std::string(what) + " is not valid UTF-8");
  } else if (field.max_length > 0 && *length > static_cast<std::size_t>(field.max_length)) {
    add_problem(out, path, "too_long",
                std::string(what) + " has " + std::to_string(*length) + " characters, at most " +
                    std::to_string(field.max_length));
  }
}

// One element of a set (enum_set, string_set, id_set); `wrong` is the code for an element
// that is not a string.
void check_element(const FieldDef& field, const Json& item, const std::string& path,
                   const char* wrong, std::vector<Problem>& out) {
  if (field.type == FieldType::string_set)
    return check_text(field, item, path, wrong, "an item", out);
  if (!item.is_string()) {
    add_problem(out, path, wrong, std::string("items must be strings, not ") + item.type_name());
    return;
  }
  const auto& s = item.get_ref<const std::string&>();
  if (field.type == FieldType::id_set && !is_canonical_uuid(s))
    add_problem(out, path, "bad_uuid", quote(s) + " is not a lower-case canonical UUID");
  if (field.type == FieldType::enum_set && !field.allows_value(s))
    add_problem(out, path, "not_allowed_value", quote(s) + " is not one of " + values_list(field));
}

// One entry of an append list.
void check_list_item(const FieldDef& field, const Json& item, const std::string& path,
                     const char* wrong, std::vector<Problem>& out) {
  if (field.items == "text") check_text(field, item, path, wrong, "an entry", out);
}

}  // namespace

void add_problem(std::vector<Problem>& out, const std::string& path, const char* code,
                 std::string message) {
  const bool seen = std::any_of(
      out.begin(), out.end(), [&](const Problem& p) { return p.field == path && p.code == code; });
  if (!seen) out.push_back({path, code, std::move(message)});
}

void check_plain_value(const FieldDef& field, const Json& value, const std::string& path,
                       std::vector<Problem>& out) {
  if (value.is_null()) return;
  auto wrong = [&](const char* expected) {
    add_problem(out, path, "wrong_type",
                std::string("must be ") + expected + ", not " + value.type_name());
  };
  const std::string* s = value.is_string() ? value.get_ptr<const std::string*>() : nullptr;
  switch (field.type) {
    case FieldType::string:
    case FieldType::text: return check_text(field, value, path, "wrong_type", "the value", out);
    case FieldType::integer:
      if (!value.is_number_integer()) return wrong("an integer");
      if (!fits_int64(value) || (field.min && value.get<std::int64_t>() < *field.min) ||
          (field.max && value.get<std::int64_t>() > *field.max)) {
        add_problem(out, path, "out_of_range",
                    value.dump() + " is outside " +
                        (field.min ? std::to_string(*field.min) : std::string("-inf")) + ".." +
                        (field.max ? std::to_string(*field.max) : std::string("+inf")));
      }
      return;
    case FieldType::number:
      if (!value.is_number()) wrong("a number");
      return;
    case FieldType::boolean:
      if (!value.is_boolean()) wrong("true or false");
      return;
    case FieldType::timestamp:
      if (!s) return wrong("an RFC 3339 UTC timestamp string");
      if (!is_utc_timestamp(*s))
        add_problem(out, path, "bad_timestamp",
                    quote(*s) + " is not YYYY-MM-DDTHH:MM:SS[.sss]Z with a real date and time");
      return;
    case FieldType::date:
      if (!s) return wrong("a date string");
      if (!is_calendar_date(*s))
        add_problem(out, path, "bad_date", quote(*s) + " is not YYYY-MM-DD with a real date");
      return;
    case FieldType::id:
      if (!s) return wrong("a UUID string");
      if (!is_canonical_uuid(*s))
        add_problem(out, path, "bad_uuid", quote(*s) + " is not a lower-case canonical UUID");
      return;
    case FieldType::enumeration:
      if (!s) return wrong("a string");
      if (!field.allows_value(*s))
        add_problem(out, path, "not_allowed_value",
                    quote(*s) + " is not one of " + values_list(field));
      return;
    case FieldType::enum_set:
    case FieldType::string_set:
    case FieldType::id_set:
      if (!value.is_array()) return wrong("an array");
      for (const auto& item : value) check_element(field, item, path, "wrong_type", out);
      return;
    case FieldType::list:
      if (!value.is_array()) return wrong("an array");
      for (const auto& item : value) check_list_item(field, item, path, "wrong_type", out);
      return;
    case FieldType::json: return;
  }
}

void check_set_change(const FieldDef& field, const Json& change, const std::string& path,
                      std::vector<Problem>& out) {
  const char* shape = "a set change is {\"add\": [...], \"remove\": [...]}";
  if (!change.is_object()) {
    add_problem(out, path, "bad_set_change", std::string(shape) + ", not " + change.type_name());
    return;
  }
  if (!change.contains("add") && !change.contains("remove"))
    add_problem(out, path, "bad_set_change", std::string(shape) + ": it names neither");
  for (const auto& [key, items] : change.items()) {
    if (key != "add" && key != "remove") {
      add_problem(out, path, "bad_set_change", std::string(shape) + ", not " + quote(key));
    } else if (!items.is_array()) {
      add_problem(out, path, "bad_set_change", "\"" + key + "\" must be an array");
    } else {
      for (const auto& item : items) check_element(field, item, path, "bad_set_change", out);
    }
  }
}

void check_list_items(const FieldDef& field, const Json& items, const std::string& path,
                      std::vector<Problem>& out) {
  if (!items.is_array() || items.empty()) {
    add_problem(out, path, "bad_list_items", "new entries are a non-empty array of " + field.items);
    return;
  }
  for (const auto& item : items) check_list_item(field, item, path, "bad_list_items", out);
}

void check_counter(const FieldDef& /*field*/, const Json& increment, const std::string& path,
                   std::vector<Problem>& out) {
  if (!increment.is_number_integer()) {
    add_problem(out, path, "bad_counter",
                std::string("an increment must be an integer, not ") +
                    (increment.is_number_float() ? "a fraction" : increment.type_name()));
  } else if (!fits_int64(increment)) {
    add_problem(out, path, "bad_counter", "an increment must fit a 64-bit signed integer");
  } else if (increment.get<std::int64_t>() == 0) {
    add_problem(out, path, "bad_counter", "an increment of 0 changes nothing");
  }
}

}  // namespace fieldsync::detail
