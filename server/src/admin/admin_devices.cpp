// Admin: listing and revoking devices.
#include <cctype>

#include "auth/directory_writer.h"
#include "auth/token_store.h"
#include "fieldsync/core/error.h"
#include "fieldsync/server/admin.h"
#include "fieldsync/server/server_identity.h"

namespace fieldsync::server {

std::vector<DeviceListing> Admin::list_devices() const {
  std::vector<DeviceListing> listing;
  for (DeviceRecord& device : directory_.devices()) {
    const std::optional<UserRecord> user = directory_.user_by_id(device.user_id);
    const std::optional<UnitRecord> unit = directory_.unit(device.unit_id);
    listing.push_back(
        {std::move(device), user ? user->login : std::string(), unit ? unit->name : std::string()});
  }
  return listing;
}

void Admin::revoke_device(std::string_view device_id) {
  std::string id(device_id);
  for (char& c : id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::optional<DeviceRecord> device = directory_.device(id);
  if (!device)
    throw Error(ErrorDomain::validation, "unknown_device",
                "no device has the id '" + std::string(device_id) +
                    "'; see `fieldsync-server device list`");
  if (device->revoked) return;
  const std::int64_t now = clock_.now_ms();
  detail::DirectoryWriter writer(db_, embedded_model(), random_);
  writer.update(writer.find("device", id).value(), {{"revoked", true}}, system_user_id(), now);
  detail::TokenStore(db_).revoke_device(id, now);
}

}  // namespace fieldsync::server
