#include "fieldsync/server/api_types.h"

namespace fieldsync::server {

ApiResponse ApiResponse::json(int status, const nlohmann::json& body) {
  ApiResponse response;
  response.status = status;
  // Replace invalid UTF-8 instead of throwing: a response must always be writable.
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

ApiResponse ApiResponse::error(int status, const std::string& code, const std::string& message,
                               const nlohmann::json& details) {
  nlohmann::json error = {{"code", code}, {"message", message}};
  if (!details.is_null()) error["problems"] = details;
  return json(status, {{"error", error}});
}

}  // namespace fieldsync::server
