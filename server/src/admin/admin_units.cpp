// Admin: adding, finding and listing units.
#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "admin/input_checks.h"
#include "auth/directory_writer.h"
#include "fieldsync/core/error.h"
#include "fieldsync/core/uuid.h"
#include "fieldsync/server/admin.h"
#include "fieldsync/server/server_identity.h"

namespace fieldsync::server {
namespace {

std::vector<std::string> path_names(std::string_view path) {
  std::vector<std::string> names;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    if (end > start) names.emplace_back(path.substr(start, end - start));
    start = end + 1;
  }
  return names;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

UnitRecord Admin::resolve_unit(std::string_view ref) const {
  if (is_uuid(ref)) {
    if (auto unit = directory_.unit(lower(ref))) return *unit;
    throw Error(ErrorDomain::validation, "unknown_unit",
                "no unit has the id " + std::string(ref) + "; see `fieldsync-server unit list`");
  }
  const std::vector<std::string> names = path_names(ref);
  const std::vector<UnitRecord> all = directory_.units();
  std::set<std::string> ids;
  for (const UnitRecord& u : all)
    if (!names.empty() && u.parent_id.empty() && u.name == names[0]) ids.insert(u.id);
  for (std::size_t i = 1; i < names.size(); ++i) {
    std::set<std::string> next;
    for (const UnitRecord& u : all)
      if (ids.count(u.parent_id) && u.name == names[i]) next.insert(u.id);
    ids = std::move(next);
  }
  if (ids.empty())
    throw Error(ErrorDomain::validation, "unknown_unit",
                "no unit has the id or name path '" + std::string(ref) +
                    "'; see `fieldsync-server unit list`");
  if (ids.size() > 1)
    throw Error(ErrorDomain::validation, "ambiguous_unit",
                "several units have the name path '" + std::string(ref) + "'; give the unit id");
  return *directory_.unit(*ids.begin());
}

UnitRecord Admin::add_unit(std::string_view name, std::string_view kind, std::string_view parent) {
  const Model& model = embedded_model();
  detail::check_unit_name(name);
  detail::check_unit_kind(model, kind);
  std::string parent_id;
  if (!parent.empty()) parent_id = resolve_unit(parent).id;
  for (const UnitRecord& u : directory_.units())
    if (u.parent_id == parent_id && u.name == name)
      throw Error(ErrorDomain::validation, "unit_exists",
                  "a unit named '" + std::string(name) + "' already exists there (" + u.id + ")");

  const std::int64_t now = clock_.now_ms();
  UnitRecord unit{make_uuid_v7(now, random_), std::string(name), std::string(kind), parent_id};
  Json fields = {{"name", unit.name}, {"kind", unit.kind}};
  if (!parent_id.empty()) fields["parent_id"] = parent_id;
  detail::DirectoryWriter(db_, model, random_)
      .create("unit", unit.id, std::move(fields), system_user_id(), now);
  return unit;
}

std::vector<UnitTreeEntry> Admin::unit_tree() const {
  const std::vector<UnitRecord> all = directory_.units();  // by name
  std::set<std::string> ids;
  for (const UnitRecord& u : all) ids.insert(u.id);
  std::map<std::string, std::vector<const UnitRecord*>> children;
  for (const UnitRecord& u : all) children[u.parent_id].push_back(&u);

  std::vector<UnitTreeEntry> tree;
  std::set<std::string> listed;
  // Depth first; `listed` stops a parent_id cycle from looping.
  auto visit = [&](auto& self, const UnitRecord& unit, int depth) -> void {
    if (!listed.insert(unit.id).second) return;
    tree.push_back({unit, depth});
    for (const UnitRecord* child : children[unit.id]) self(self, *child, depth + 1);
  };
  // Roots first (no parent, or a parent that is gone), then anything only a cycle reaches.
  for (const UnitRecord& u : all)
    if (u.parent_id.empty() || !ids.count(u.parent_id)) visit(visit, u, 0);
  for (const UnitRecord& u : all) visit(visit, u, 0);
  return tree;
}

}  // namespace fieldsync::server
