#include "fieldsync/server/api_router.h"

#include <algorithm>
#include <charconv>
#include <chrono>

#include <spdlog/spdlog.h>

#include "fieldsync/core/error.h"
#include "fieldsync/server/json_body.h"
#include "retry_later.h"

namespace fieldsync::server {
namespace {

struct Endpoint {
  const char* path;
  const char* method;
  const char* name;
};

constexpr Endpoint kEndpoints[] = {
    {"/healthz", "GET", "healthz"},
    {"/metrics", "GET", "metrics"},
    {"/v1/auth/login", "POST", "login"},
    {"/v1/auth/logout", "POST", "logout"},
    {"/v1/sync/push", "POST", "push"},
    {"/v1/sync/pull", "GET", "pull"},
    {"/v1/sync/snapshot", "GET", "snapshot"},
    {"/v1/cases", "GET", "cases"},
    {"/v1/reports/metrics", "GET", "report_metrics"},
};

[[noreturn]] void bad_request(const std::string& message) {
  throw Error(ErrorDomain::protocol, "bad_request", message);
}

// ASCII lower case; trimmed of spaces and tabs.
std::string folded(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  text = text.substr(first, text.find_last_not_of(" \t") - first + 1);
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// Whether a Content-Type names JSON: the media type application/json exactly (any case), with
// no parameter but an optional charset=utf-8 (RFC 8259: JSON text is UTF-8).
bool is_json_media_type(std::string_view content_type) {
  const auto semicolon = content_type.find(';');
  if (folded(content_type.substr(0, semicolon)) != "application/json") return false;
  if (semicolon == std::string_view::npos) return true;
  std::string parameter = folded(content_type.substr(semicolon + 1));
  parameter.erase(std::remove(parameter.begin(), parameter.end(), '"'), parameter.end());
  parameter.erase(std::remove(parameter.begin(), parameter.end(), ' '), parameter.end());
  return parameter == "charset=utf-8";
}

Json json_body_of(const ApiRequest& request) {
  auto type = request.headers.find("content-type");
  const std::string content_type = type == request.headers.end() ? "" : type->second;
  if (!is_json_media_type(content_type))
    throw Error(ErrorDomain::protocol, "unsupported_media_type",
                "send the body as application/json (optionally ; charset=utf-8), not \"" +
                    content_type + "\"");
  return parse_json_body(request.body);
}

std::string text_member(const Json& body, const char* name, bool required = true) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    if (required) bad_request(std::string("\"") + name + "\" is required");
    return {};
  }
  if (!it->is_string()) bad_request(std::string("\"") + name + "\" must be a string");
  return it->get<std::string>();
}

std::optional<std::int64_t> int_param(const ApiRequest& request, const char* name) {
  auto it = request.query.find(name);
  if (it == request.query.end() || it->second.empty()) return std::nullopt;
  std::int64_t value = 0;
  const char* begin = it->second.data();
  const char* end = begin + it->second.size();
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || ptr != end || value < 0)
    bad_request(std::string(name) + " must be a non-negative integer");
  return value;
}

std::string bearer_token(const ApiRequest& request) {
  auto it = request.headers.find("authorization");
  if (it == request.headers.end()) return {};
  const std::string prefix = "Bearer ";
  if (it->second.rfind(prefix, 0) != 0) return {};
  return it->second.substr(prefix.size());
}

// What a device is told about a server-side failure (details only in the server's log).
ApiResponse server_fault_response(const Error& e, int status) {
  ApiResponse r;
  if (status == 507) {
    r = ApiResponse::error(507, "storage_full",
                           "the server's disk is full; nothing of this request was stored, "
                           "send it again later");
    r.headers["Retry-After"] = "60";
  } else if (status == 503 && e.code() == "io_error") {
    r = ApiResponse::error(503, "storage_error",
                           "the server could not read or write its store; nothing of this request "
                           "was stored, send it again later");
    r.headers["Retry-After"] = "5";
  } else if (status == 503) {
    r = ApiResponse::error(503, "busy", "the store is busy; try again shortly");
    r.headers["Retry-After"] = "1";
  } else {
    r = ApiResponse::error(500, "internal_error", "the server failed; see its log");
  }
  return r;
}

}  // namespace

int http_status_for(const Error& e) {
  const std::string& code = e.code();
  switch (e.domain()) {
    case ErrorDomain::auth:
      if (code == "throttled") return 429;
      if (code == "device_revoked" || code == "user_disabled" || code == "device_mismatch" ||
          code == "forbidden")
        return 403;
      if (code == "invalid_device_id" || code == "invalid_device_name") return 400;
      return 401;
    case ErrorDomain::protocol:
      if (code == "batch_too_large" || code == "body_too_large") return 413;
      if (code == "unsupported_media_type") return 415;
      if (code == "not_found" || code == "unknown_unit") return 404;
      return 400;
    case ErrorDomain::codec:
    case ErrorDomain::validation: return 400;
    case ErrorDomain::storage:
      if (!detail::retry_later(e)) return 500;
      return code == "storage_full" ? 507 : 503;
    default: return 500;
  }
}

ApiRouter::ApiRouter(Authenticator& sign_in, Authenticator& auth, SyncService& sync,
                     Metrics& metrics, WallClock& wall, std::filesystem::path store_file,
                     ReviewService& review)
    : sign_in_(sign_in),
      auth_(auth),
      sync_(sync),
      review_(review),
      metrics_(metrics),
      wall_(wall),
      store_file_(std::move(store_file)) {}

ApiResponse ApiRouter::handle(const ApiRequest& request) {
  const auto start = std::chrono::steady_clock::now();
  std::string route_name = "unknown";
  ApiResponse response;
  try {
    response = route(request, route_name);
  } catch (const ThrottledError& e) {
    response = ApiResponse::error(429, e.code(), e.message());
    response.headers["Retry-After"] = std::to_string(e.retry_after_seconds());
  } catch (const Error& e) {
    const int status = http_status_for(e);
    if (status >= 500) {
      spdlog::error("{} {} failed: {}", request.method, request.path, e.what());
      response = server_fault_response(e, status);
    } else {
      Json problems = nullptr;
      if (!e.problems().empty()) {
        problems = Json::array();
        for (const auto& p : e.problems())
          problems.push_back({{"field", p.field}, {"code", p.code}, {"message", p.message}});
      }
      response = ApiResponse::error(status, e.code(), e.message(), problems);
    }
  } catch (const std::exception& e) {
    spdlog::error("{} {} failed: {}", request.method, request.path, e.what());
    response = ApiResponse::error(500, "internal_error", "the server failed; see its log");
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  metrics_.observe(route_name, response.status, seconds);
  spdlog::debug("{} {} -> {} in {:.1f} ms", request.method, request.path, response.status,
                seconds * 1000);
  return response;
}

void ApiRouter::refused(const ApiRequest& request, int status) noexcept {
  try {
    std::string route_name = "unknown";
    for (const Endpoint& e : kEndpoints)
      if (request.path == e.path) route_name = e.name;
    metrics_.observe(route_name, status, 0.0);
  } catch (...) {  // counting must not fail the answer
  }
}

ApiResponse ApiRouter::route(const ApiRequest& request, std::string& route_name) {
  std::string allowed;
  for (const Endpoint& e : kEndpoints) {
    if (request.path != e.path) continue;
    if (request.method != e.method) {
      allowed = e.method;
      continue;
    }
    route_name = e.name;
    if (route_name == "healthz") return ApiResponse::json(200, {{"status", "ok"}});
    if (route_name == "metrics") return metrics();
    if (route_name == "login") return login(request);
    if (route_name == "logout") return logout(request);
    if (route_name == "push") return push(request);
    if (route_name == "pull") return pull(request);
    if (route_name == "cases") return review_call(request, &ReviewService::list_cases);
    if (route_name == "report_metrics") return review_call(request, &ReviewService::metrics);
    return snapshot(request);
  }
  if (!allowed.empty()) {
    ApiResponse r = ApiResponse::error(
        405, "method_not_allowed",
        request.method + " is not allowed on " + request.path + "; use " + allowed);
    r.headers["Allow"] = allowed;
    return r;
  }
  return ApiResponse::error(404, "not_found", "no route " + request.method + " " + request.path);
}

Access ApiRouter::access_of(const ApiRequest& request) {
  // REQUIRES: store_mutex_ held.
  const Session session = auth_.authenticate(bearer_token(request), wall_.now_ms());
  auto role = role_from_string(session.role);
  if (!role) throw Error(ErrorDomain::auth, "forbidden", "the account has no known role");
  Access access;
  access.user_id = session.user_id;
  access.device_id = session.device_id;
  access.role = *role;
  access.unit_id = session.unit_id;
  access.units = auth_.directory().unit_subtree(session.unit_id);
  return access;
}

ApiResponse ApiRouter::login(const ApiRequest& request) {
  const Json body = json_body_of(request);
  if (!body.is_object()) bad_request("the body must be a JSON object");
  LoginRequest login;
  login.login = text_member(body, "login");
  login.password = text_member(body, "password");
  login.device_id = text_member(body, "device_id");
  login.device_name = text_member(body, "device_name", false);
  std::lock_guard lock(sign_in_mutex_);
  const LoginResult r = sign_in_.login(login, wall_.now_ms());
  return ApiResponse::json(200, {{"token", r.token},
                                 {"user_id", r.user_id},
                                 {"unit_id", r.unit_id},
                                 {"role", r.role},
                                 {"expires_at", format_timestamp(r.expires_at_ms)}});
}

ApiResponse ApiRouter::logout(const ApiRequest& request) {
  // No body, or a JSON object (members are ignored); anything else is refused like elsewhere.
  if (!request.body.empty() && !json_body_of(request).is_object())
    bad_request("the body must be a JSON object");
  std::lock_guard lock(store_mutex_);
  auth_.logout(bearer_token(request), wall_.now_ms());
  return ApiResponse::json(200, {{"status", "signed_out"}});
}

ApiResponse ApiRouter::push(const ApiRequest& request) {
  const Json body = json_body_of(request);
  std::lock_guard lock(store_mutex_);
  return ApiResponse::json(200, sync_.push(access_of(request), body));
}

ApiResponse ApiRouter::pull(const ApiRequest& request) {
  const std::int64_t cursor = int_param(request, "cursor").value_or(0);
  const auto limit = static_cast<std::size_t>(int_param(request, "limit").value_or(0));
  std::lock_guard lock(store_mutex_);
  return ApiResponse::json(200, sync_.pull(access_of(request), cursor, limit));
}

ApiResponse ApiRouter::snapshot(const ApiRequest& request) {
  const auto cursor = int_param(request, "cursor");
  const auto limit = static_cast<std::size_t>(int_param(request, "limit").value_or(0));
  auto after = request.query.find("after");
  std::lock_guard lock(store_mutex_);
  return ApiResponse::json(
      200, sync_.snapshot(access_of(request), after == request.query.end() ? "" : after->second,
                          cursor, limit));
}

ApiResponse ApiRouter::review_call(const ApiRequest& request, ReviewCall call) {
  std::lock_guard lock(store_mutex_);
  return ApiResponse::json(200, (review_.*call)(access_of(request), request.query));
}

ApiResponse ApiRouter::metrics() {
  std::uint64_t bytes = 0;
  for (const char* suffix : {"", "-wal"}) {
    std::error_code ignored;
    auto size = std::filesystem::file_size(store_file_.string() + suffix, ignored);
    if (!ignored) bytes += size;
  }
  ApiResponse r;
  r.status = 200;
  r.content_type = "text/plain; version=0.0.4";
  r.body = metrics_.render(sync_.op_counts(), bytes);
  return r;
}

}  // namespace fieldsync::server
