#include "fieldsync/server/server_identity.h"

#include "fieldsync/core/uuid.h"

namespace fieldsync::server {

const std::string& server_device_id() {
  static const std::string id = make_uuid_from_name("fieldsync-server");
  return id;
}

const std::string& system_user_id() {
  static const std::string id = make_uuid_from_name("fieldsync-server/system");
  return id;
}

}  // namespace fieldsync::server
