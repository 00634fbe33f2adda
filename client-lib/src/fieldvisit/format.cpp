#include "fieldvisit/format.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "c_api/records_json.h"
#include "fieldsync/core/hlc.h"
#include "fieldvisit/values.h"

namespace fieldsync::fieldvisit {

std::size_t display_width(const std::string& text) {
  std::size_t width = 0;
  for (unsigned char c : text)
    if ((c & 0xC0) != 0x80) ++width;
  return width;
}

void print_table(std::ostream& out, const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows, const std::string& indent) {
  std::vector<std::size_t> widths(header.size(), 0);
  auto measure = [&](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size() && i < widths.size(); ++i)
      widths[i] = std::max(widths[i], display_width(cells[i]));
  };
  measure(header);
  for (const auto& row : rows) measure(row);
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text = indent;
    for (std::size_t i = 0; i < cells.size() && i < widths.size(); ++i) {
      text += cells[i];
      if (i + 1 < cells.size()) text += std::string(widths[i] - display_width(cells[i]) + 2, ' ');
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out << text << '\n';
  };
  line(header);
  for (const auto& row : rows) line(row);
}

void print_fields(std::ostream& out, const std::vector<std::pair<std::string, std::string>>& rows,
                  const std::string& indent) {
  std::size_t width = 0;
  for (const auto& [label, value] : rows) width = std::max(width, display_width(label));
  for (const auto& [label, value] : rows) {
    out << indent << label << std::string(width - display_width(label) + 2, ' ') << value << '\n';
  }
}

std::string clip(const std::string& text, std::size_t width) {
  std::string flat = text;
  std::replace(flat.begin(), flat.end(), '\n', ' ');
  if (display_width(flat) <= width) return flat;
  std::string out;
  std::size_t seen = 0;
  for (std::size_t i = 0; i < flat.size(); ++i) {
    const auto c = static_cast<unsigned char>(flat[i]);
    if ((c & 0xC0) != 0x80) {
      if (seen + 3 >= width) break;
      ++seen;
    }
    out.push_back(flat[i]);
  }
  return out + "...";
}

std::string show_ms(std::int64_t unix_ms) {
  const auto seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[40];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &utc);
  return text;
}

std::string show_time(const std::string& rfc3339) {
  if (auto ms = parse_rfc3339(rfc3339)) return show_ms(*ms);
  return rfc3339;
}

std::string show_hlc(const std::string& hlc) {
  if (auto stamp = Hlc::parse(hlc)) return show_ms(stamp->wall_ms);
  return hlc;
}

std::string show_value(const Json& value) {
  if (value.is_null()) return "-";
  if (value.is_string()) return value.get<std::string>();
  if (value.is_array()) {
    std::string text;
    for (const Json& item : value) {
      if (!text.empty()) text += ", ";
      // Append-list entries carry their item with who and when.
      text +=
          item.is_object() && item.contains("item") ? show_value(item["item"]) : show_value(item);
    }
    return text.empty() ? "-" : text;
  }
  return value.dump();
}

std::string show_field(const client::Client& client, const std::string& entity,
                       const std::string& field, const Json& value, const std::string& me) {
  const EntityDef* e = builtin_model().entity(entity);
  const FieldDef* f = e ? e->field(field) : nullptr;
  if (f && f->ref == "user" && f->type == FieldType::id && value.is_string())
    return show_user(client, value.get<std::string>(), me);
  if (f && f->ref == "user" && f->type == FieldType::id_set && value.is_array()) {
    std::string text;
    for (const Json& id : value)
      if (id.is_string()) text += (text.empty() ? "" : ", ") + show_user(client, id, me);
    return text.empty() ? "-" : text;
  }
  if (f && f->type == FieldType::timestamp && value.is_string()) return show_time(value);
  return show_value(value);
}

std::string brief_id(const std::string& id) {
  return id.size() >= 13 ? id.substr(0, 13) : id;
}

std::string show_user(const client::Client& client, const std::string& user_id,
                      const std::string& me) {
  if (user_id.empty()) return "-";
  const bool mine = !me.empty() && user_id == me;
  if (auto user = client.find("user", user_id)) {
    const std::string name = user->values.value("display_name", "");
    const std::string login = user->values.value("login", "");
    if (name.empty() || login.empty())
      return (name.empty() ? login : name) + (mine ? " (you)" : "");
    return name + " (" + login + (mine ? ", you)" : ")");
  }
  return "user " + brief_id(user_id) + (mine ? " (you)" : "");
}

std::string show_device(const client::Client& client, const std::string& device_id) {
  if (device_id.empty()) return "-";
  if (device_id == client.device_id()) return "this device";
  if (auto device = client.find("device", device_id)) {
    const std::string name = device->values.value("name", "");
    if (!name.empty()) return name + " (" + brief_id(device_id) + ")";
  }
  return "device " + brief_id(device_id);
}

std::string show_unit(const client::Client& client, const std::string& unit_id) {
  if (unit_id.empty()) return "-";
  if (auto unit = client.find("unit", unit_id)) {
    const std::string name = unit->values.value("name", "");
    if (!name.empty()) return name;
  }
  return "unit " + brief_id(unit_id);
}

std::string count(std::int64_t n, const std::string& singular, const std::string& plural) {
  return std::to_string(n) + " " + (n == 1 ? singular : (plural.empty() ? singular + "s" : plural));
}

Json record_json(const client::Record& r) {
  return {{"entity", r.entity},
          {"id", r.id},
          {"unit_id", r.unit_id},
          {"version", r.version},
          {"local_changes", r.local_changes},
          {"values", r.values},
          {"created_by", r.created_by},
          {"created_at", r.created_at},
          {"updated_by", r.updated_by},
          {"updated_at", r.updated_at}};
}

Json history_json(const client::HistoryEntry& h) {
  return {{"hlc", h.hlc},         {"time", show_hlc(h.hlc)}, {"device_id", h.device_id},
          {"user_id", h.user_id}, {"op_id", h.op_id},        {"entity", h.entity},
          {"row_id", h.row_id},   {"kind", h.kind},          {"fields", h.fields},
          {"values", h.values},   {"source", h.source},      {"state", h.state},
          {"version", h.version}};
}

Json rejected_json(const client::RejectedOp& op) {
  Json problems = Json::array();
  for (const Problem& p : op.problems)
    problems.push_back({{"field", p.field}, {"code", p.code}, {"message", p.message}});
  return {{"op_id", op.op_id},   {"entity", op.entity}, {"row_id", op.row_id}, {"kind", op.kind},
          {"fields", op.fields}, {"hlc", op.hlc},       {"problems", problems}};
}

Json status_json(const client::SyncStatus& s) {
  Json rejected = Json::array();
  for (const auto& op : s.rejected) rejected.push_back(rejected_json(op));
  Json held = Json::array();
  for (const auto& op : s.held) held.push_back(client::c_api::to_json(op));
  Json doc = {{"device_id", s.device_id},
              {"user_id", s.user_id},
              {"unit_id", s.unit_id},
              {"role", s.role},
              {"signed_in", s.signed_in},
              {"pending_ops", s.pending_ops},
              {"rejected_ops", rejected},
              {"held_ops", held},
              {"open_conflicts", s.open_conflicts},
              {"snapshot_done", s.snapshot_done},
              {"cursor", s.cursor},
              {"last_sync_at", s.last_sync_at ? Json(*s.last_sync_at) : Json(nullptr)},
              {"last_error", nullptr}};
  if (s.last_error) {
    doc["last_error"] = {{"domain", s.last_error->domain},
                         {"code", s.last_error->code},
                         {"message", s.last_error->message},
                         {"at", s.last_error->at}};
  }
  return doc;
}

void print_json(std::ostream& out, const Json& doc) {
  out << doc.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
}

std::string reasons_of(const client::RejectedOp& op) {
  std::string text;
  for (const Problem& p : op.problems) {
    if (!text.empty()) text += "; ";
    const std::string field = p.field.starts_with("fields.") ? p.field.substr(7) : p.field;
    text += (field.empty() ? "" : field + ": ") + (p.message.empty() ? p.code : p.message);
  }
  return text.empty() ? "(no reason given)" : text;
}

}  // namespace fieldsync::fieldvisit
