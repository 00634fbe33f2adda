#include "bootstrap_handler.h"

namespace fieldsync::server {

ApiResponse BootstrapHandler::handle(const ApiRequest& request) {
  if (request.method == "GET" && request.path == "/healthz") {
    return ApiResponse::json(200, {{"status", "ok"}});
  }
  return ApiResponse::error(404, "not_found",
                            "no route for " + request.method + " " + request.path);
}

}  // namespace fieldsync::server
