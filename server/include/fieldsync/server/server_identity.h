#pragma once
// The ids the server writes under when it makes ops itself (enrolling a device at sign-in,
// admin commands): they appear as device_id / user_id in op_log and as created_by/updated_by
// of the rows. No tablet may sign in with the server's device id.
#include <string>

namespace fieldsync::server {

// make_uuid_from_name("fieldsync-server").
const std::string& server_device_id();
// make_uuid_from_name("fieldsync-server/system"): the author of admin-command changes.
const std::string& system_user_id();

}  // namespace fieldsync::server
