#include "fieldvisit/values.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "fieldsync/core/domain/typology.h"
#include "fieldsync/core/uuid.h"
#include "fieldsync/sqlite/embedded_schema.h"
#include "fieldvisit/cli.h"
#include "fieldvisit/ids.h"

namespace fieldsync::fieldvisit {
namespace {

const char* const kTimeFormats =
    "use YYYY-MM-DD HH:MM (local time), an RFC 3339 time such as 2026-11-26T08:00:00Z, or now";

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    const std::string item =
        trim(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (!item.empty()) items.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return items;
}

std::string join(const std::vector<std::string>& items, const std::string& separator = ", ") {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : separator) + item;
  return text;
}

// Reads exactly `digits` decimal digits at text[pos].
std::optional<int> digits_at(const std::string& text, std::size_t pos, std::size_t digits) {
  if (pos + digits > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = pos; i < pos + digits; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

bool valid_date(int year, int month, int day) {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  using namespace std::chrono;
  return year_month_day{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                        std::chrono::day{static_cast<unsigned>(day)}}
      .ok();
}

std::int64_t days_from_civil(int year, int month, int day) {
  using namespace std::chrono;
  const sys_days days =
      year_month_day{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                     std::chrono::day{static_cast<unsigned>(day)}};
  return days.time_since_epoch().count();
}

// "YYYY-MM-DD" at the start of text: {year, month, day} when valid.
std::optional<std::array<int, 3>> date_prefix(const std::string& text) {
  const auto y = digits_at(text, 0, 4), m = digits_at(text, 5, 2), d = digits_at(text, 8, 2);
  if (!y || !m || !d || text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  if (!valid_date(*y, *m, *d)) return std::nullopt;
  return std::array<int, 3>{*y, *m, *d};
}

std::string format_utc(std::int64_t unix_seconds) {
  const auto t = static_cast<std::time_t>(unix_seconds);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

CliError bad_value(const std::string& field, const std::string& text, const std::string& hint) {
  return CliError(field + ": '" + text + "' is not allowed; " + hint, kExitFailed, "bad_value");
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

Json parse_id(const FieldDef& field, const std::string& text, const ValueContext& context) {
  if (field.ref == "user" && text == "me") {
    if (context.me.empty())
      throw CliError(field.name + ": 'me' needs a signed-in user; run fieldvisit login first");
    return context.me;
  }
  if (is_uuid(text)) return lower(text);
  const bool typed_row = field.ref == "case" || field.ref == "visit" || field.ref == "commitment" ||
                         field.ref == "petitioner";
  if (typed_row && context.ids) return context.ids->resolve(field.ref, text);
  throw bad_value(field.name, text, accepted_values(field));
}

std::int64_t parse_integer(const std::string& name, const std::string& text) {
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end)
    throw bad_value(name, text, "give a whole number such as 3");
  return value;
}

}  // namespace

const Model& builtin_model() {
  static const Model model = Model::from_json(Json::parse(sqlite::embedded_model_json()));
  return model;
}

std::vector<std::string> enum_values(const std::string& entity, const std::string& field) {
  const FieldDef* f = builtin_model().require_entity(entity).field(field);
  return f ? f->values : std::vector<std::string>{};
}

std::vector<std::string> case_status_values() {
  const Workflow* flow = builtin_model().workflow("case_status");
  return flow ? flow->states : std::vector<std::string>{};
}

std::string fields_help(const std::string& entity_name) {
  const EntityDef& entity = builtin_model().require_entity(entity_name);
  std::string text = "Fields of a " + entity_name + ":\n";
  std::size_t width = 0;
  for (const std::string& name : writable_fields(entity)) width = std::max(width, name.size());
  for (const std::string& name : writable_fields(entity)) {
    const FieldDef& f = *entity.field(name);
    std::string what = accepted_values(f);
    if (f.policy == MergePolicy::workflow && f.workflow) {
      what = "one of: " + join(f.workflow->states) + " (forward only; reopen goes back)";
    } else if (f.policy == MergePolicy::append) {
      what = "text added with " + name + "+=TEXT (never replaced)";
    } else if (f.policy == MergePolicy::counter) {
      what = "a counter: " + name + "+=N or " + name + "-=N";
    }
    text += "  " + name + std::string(width - name.size() + 2, ' ') + what + "\n";
  }
  return text;
}

std::optional<std::int64_t> parse_rfc3339(const std::string& text) {
  const auto date = date_prefix(text);
  if (!date || text.size() < 20 || (text[10] != 'T' && text[10] != 't')) return std::nullopt;
  const auto hh = digits_at(text, 11, 2), mm = digits_at(text, 14, 2), ss = digits_at(text, 17, 2);
  if (!hh || !mm || !ss || text[13] != ':' || text[16] != ':' || *hh > 23 || *mm > 59 || *ss > 60)
    return std::nullopt;
  std::size_t pos = 19;
  std::int64_t millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    std::size_t digits = 0;
    ++pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
      if (digits < 3) millis = millis * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (std::size_t i = digits; i < 3; ++i) millis *= 10;
  }
  std::int64_t offset_minutes = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const auto oh = digits_at(text, pos + 1, 2), om = digits_at(text, pos + 4, 2);
    if (!oh || !om || pos + 3 >= text.size() || text[pos + 3] != ':') return std::nullopt;
    offset_minutes = (*oh * 60 + *om) * (text[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  const std::int64_t seconds = days_from_civil((*date)[0], (*date)[1], (*date)[2]) * 86400 +
                               *hh * 3600 + *mm * 60 + *ss - offset_minutes * 60;
  return seconds * 1000 + millis;
}

std::string parse_time_input(const std::string& what, const std::string& given) {
  const std::string text = trim(given);
  if (text == "now") return format_utc(now_ms() / 1000);
  if (auto ms = parse_rfc3339(text)) return format_utc(*ms / 1000);
  // Local time: "YYYY-MM-DD HH:MM[:SS]" or with a T.
  const auto date = date_prefix(text);
  if (date && (text.size() == 16 || text.size() == 19) && (text[10] == ' ' || text[10] == 'T')) {
    const auto hh = digits_at(text, 11, 2), mm = digits_at(text, 14, 2);
    const auto ss = text.size() == 19 ? digits_at(text, 17, 2) : std::optional<int>(0);
    if (hh && mm && ss && text[13] == ':' && (text.size() == 16 || text[16] == ':') && *hh < 24 &&
        *mm < 60 && *ss < 60) {
      std::tm local{};
      local.tm_year = (*date)[0] - 1900;
      local.tm_mon = (*date)[1] - 1;
      local.tm_mday = (*date)[2];
      local.tm_hour = *hh;
      local.tm_min = *mm;
      local.tm_sec = *ss;
      local.tm_isdst = -1;
      const std::time_t t = std::mktime(&local);
      if (t != static_cast<std::time_t>(-1)) return format_utc(static_cast<std::int64_t>(t));
    }
  }
  throw bad_value(what, given, kTimeFormats);
}

std::string parse_date_input(const std::string& what, const std::string& given) {
  const std::string text = trim(given);
  if (text == "today") return format_utc(now_ms() / 1000).substr(0, 10);
  if (text.size() == 10 && date_prefix(text)) return text;
  throw bad_value(what, given, "use YYYY-MM-DD, a real date such as 2026-12-01");
}

std::string accepted_values(const FieldDef& field) {
  switch (field.type) {
    case FieldType::string:
    case FieldType::text: return "any text";
    case FieldType::integer: {
      std::string range = "a whole number";
      if (field.min && field.max)
        range += " from " + std::to_string(*field.min) + " to " + std::to_string(*field.max);
      else if (field.min)
        range += " of at least " + std::to_string(*field.min);
      else if (field.max)
        range += " of at most " + std::to_string(*field.max);
      return range;
    }
    case FieldType::number: return "a number such as 2.5";
    case FieldType::boolean: return "true or false";
    case FieldType::timestamp:
      return "a time: YYYY-MM-DD HH:MM (local time), RFC 3339 such as 2026-11-26T08:00:00Z, or now";
    case FieldType::date: return "a date as YYYY-MM-DD, or today";
    case FieldType::id:
      return field.ref == "user"
                 ? "a user id (UUID), or me"
                 : "an id (UUID)" + std::string(field.ref.empty() ? "" : " of a " + field.ref);
    case FieldType::enumeration: return "one of: " + join(field.values);
    case FieldType::enum_set: return "a comma list of: " + join(field.values);
    case FieldType::string_set: return "a comma list of words";
    case FieldType::id_set:
      return "a comma list of ids" + std::string(field.ref == "user" ? " (me for yourself)" : "");
    case FieldType::list: return "text to add to the list";
    case FieldType::json: return "a JSON value";
  }
  return "a value";
}

std::vector<std::string> writable_fields(const EntityDef& entity) {
  std::vector<std::string> names;
  for (const FieldDef& f : entity.fields)
    if (!f.server_origin && !domain::is_computed_field(entity.name, f.name))
      names.push_back(f.name);
  return names;
}

Json parse_field_value(const FieldDef& field, const std::string& given,
                       const ValueContext& context) {
  const std::string text = field.type == FieldType::text || field.type == FieldType::string ||
                                   field.type == FieldType::list
                               ? given
                               : trim(given);
  switch (field.type) {
    case FieldType::string:
    case FieldType::text: return text;
    case FieldType::integer: {
      const std::int64_t value = parse_integer(field.name, text);
      if ((field.min && value < *field.min) || (field.max && value > *field.max))
        throw bad_value(field.name, text, "give " + accepted_values(field));
      return value;
    }
    case FieldType::number: {
      char* end = nullptr;
      const double value = std::strtod(text.c_str(), &end);
      if (text.empty() || end != text.c_str() + text.size())
        throw bad_value(field.name, text, "give " + accepted_values(field));
      return value;
    }
    case FieldType::boolean: {
      const std::string word = lower(text);
      if (word == "true" || word == "yes" || word == "1" || word == "on") return true;
      if (word == "false" || word == "no" || word == "0" || word == "off") return false;
      throw bad_value(field.name, text, "use true or false");
    }
    case FieldType::timestamp: return parse_time_input(field.name, text);
    case FieldType::date: return parse_date_input(field.name, text);
    case FieldType::id: return parse_id(field, text, context);
    case FieldType::enumeration:
      if (!field.allows_value(text)) throw bad_value(field.name, text, accepted_values(field));
      return text;
    case FieldType::enum_set:
    case FieldType::string_set:
    case FieldType::id_set: {
      Json items = Json::array();
      for (const std::string& item : split_list(text)) {
        if (field.type == FieldType::enum_set && !field.allows_value(item))
          throw bad_value(field.name, item, accepted_values(field));
        if (field.type == FieldType::id_set) {
          FieldDef one = field;
          one.type = FieldType::id;
          items.push_back(parse_id(one, item, context));
        } else {
          items.push_back(item);
        }
      }
      return items;
    }
    case FieldType::list: {
      if (field.items == "json") {
        Json item = Json::parse(text, nullptr, false);
        if (item.is_discarded()) throw bad_value(field.name, text, "give a JSON value");
        return Json::array({item});
      }
      if (trim(text).empty()) throw bad_value(field.name, text, "give the text to add");
      return Json::array({text});
    }
    case FieldType::json: {
      Json value = Json::parse(text, nullptr, false);
      if (value.is_discarded()) throw bad_value(field.name, text, "give a JSON value");
      return value;
    }
  }
  throw bad_value(field.name, text, accepted_values(field));
}

Json parse_assignments(const EntityDef& entity, const std::vector<std::string>& assignments,
                       const ValueContext& context) {
  Json fields = Json::object();
  for (const std::string& assignment : assignments) {
    const auto eq = assignment.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw CliError("'" + assignment + "' is not field=value; for example title=\"Roof leaks\"",
                     kExitFailed, "bad_assignment");
    }
    char op = '=';
    std::string name = assignment.substr(0, eq);
    if (name.back() == '+' || name.back() == '-') {
      op = name.back();
      name.pop_back();
    }
    name = trim(name);
    const std::string text = assignment.substr(eq + 1);
    const FieldDef* field = entity.field(name);
    if (!field) {
      throw CliError("unknown field '" + name + "' for a " + entity.name +
                         "; the fields you can set are: " + join(writable_fields(entity)),
                     kExitFailed, "unknown_field");
    }
    if (field->server_origin)
      throw CliError(name + " is set by the server only; it cannot be changed here", kExitFailed,
                     "server_field");
    if (fields.contains(name))
      throw CliError(name + " is given twice; give each field once", kExitFailed, "repeated_field");

    switch (field->policy) {
      case MergePolicy::set: {
        const Json items = parse_field_value(*field, text, context);
        if (op == '=')
          fields[name] = items;
        else
          fields[name] = {{"add", op == '+' ? items : Json::array()},
                          {"remove", op == '-' ? items : Json::array()}};
        break;
      }
      case MergePolicy::append:
        if (op == '-')
          throw CliError(
              name + " is a list that is only ever added to; add with " + name + "+=TEXT",
              kExitFailed, "bad_value");
        fields[name] = parse_field_value(*field, text, context);
        break;
      case MergePolicy::counter: {
        if (op == '=')
          throw CliError(name + " is a counter: change it with " + name + "+=N or " + name + "-=N",
                         kExitFailed, "bad_value");
        const std::int64_t step = parse_integer(name, trim(text));
        if (step == 0) throw bad_value(name, text, "give a number other than 0");
        fields[name] = op == '-' ? -step : step;
        break;
      }
      default:
        if (op != '=')
          throw CliError(name + " takes a single value: use " + name + "=VALUE", kExitFailed,
                         "bad_value");
        if (trim(text).empty() && field->type != FieldType::string &&
            field->type != FieldType::text) {
          if (field->required)
            throw CliError(
                name + " is required and cannot be cleared; give " + accepted_values(*field),
                kExitFailed, "required");
          fields[name] = nullptr;
        } else if (text.empty()) {
          if (field->required)
            throw CliError(name + " is required and cannot be cleared", kExitFailed, "required");
          fields[name] = nullptr;
        } else {
          fields[name] = parse_field_value(*field, text, context);
        }
    }
  }
  return fields;
}

}  // namespace fieldsync::fieldvisit
