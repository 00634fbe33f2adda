#pragma once
// A stand-in router until the real one (auth, scoping, sync) exists: GET /healthz answers
// 200 {"status":"ok"}; every other request answers 404 not_found. Thread-safe, never throws.
#include "fieldsync/server/api_types.h"

namespace fieldsync::server {

class BootstrapHandler final : public ApiHandler {
 public:
  ApiResponse handle(const ApiRequest& request) override;
};

}  // namespace fieldsync::server
