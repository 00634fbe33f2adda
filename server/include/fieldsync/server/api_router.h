#pragma once
// The HTTP API (docs/protocol.md) over plain requests: routes, content checks, sign-in,
// turning a token into the caller's Access, calling the sync service, and mapping every
// fieldsync::Error to an HTTP status with {"error":{"code","message"}}. Thread-safe: calls
// that touch the store are serialised (the store is one SQLite connection).
#include <filesystem>
#include <mutex>

#include "fieldsync/core/clock.h"
#include "fieldsync/server/api_types.h"
#include "fieldsync/server/auth.h"
#include "fieldsync/server/metrics.h"
#include "fieldsync/server/review_service.h"
#include "fieldsync/server/sync_service.h"

namespace fieldsync::server {

class ApiRouter final : public ApiHandler {
 public:
  // `sign_in` serves logins only and must have a store connection of its own: the password
  // check takes a deliberately slow KDF, and other requests must not wait behind it. `auth`
  // checks tokens on the service's connection. `store_file` is measured for /metrics. All
  // references outlive the router.
  ApiRouter(Authenticator& sign_in, Authenticator& auth, SyncService& sync, Metrics& metrics,
            WallClock& wall, std::filesystem::path store_file, ReviewService& review);

  ApiResponse handle(const ApiRequest& request) override;
  // Counts the edge's own answer in /metrics under the route of the path.
  void refused(const ApiRequest& request, int status) noexcept override;

 private:
  ApiResponse route(const ApiRequest& request, std::string& route_name);
  Access access_of(const ApiRequest& request);
  ApiResponse login(const ApiRequest& request);
  ApiResponse logout(const ApiRequest& request);
  ApiResponse push(const ApiRequest& request);
  ApiResponse pull(const ApiRequest& request);
  ApiResponse snapshot(const ApiRequest& request);
  ApiResponse metrics();
  using ReviewCall = Json (ReviewService::*)(const Access&,
                                             const std::map<std::string, std::string>&);
  ApiResponse review_call(const ApiRequest& request, ReviewCall call);

  Authenticator& sign_in_;
  Authenticator& auth_;
  SyncService& sync_;
  ReviewService& review_;
  Metrics& metrics_;
  WallClock& wall_;
  std::filesystem::path store_file_;
  std::mutex sign_in_mutex_;  // sign_in_'s connection
  std::mutex store_mutex_;    // the service's connection (auth_ and sync_)
};

// The HTTP status for an error code (e.g. token_expired → 401, batch_too_large → 413).
int http_status_for(const Error& error);

}  // namespace fieldsync::server
