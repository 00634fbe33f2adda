#include "server_api.h"

#include "fieldsync/core/error.h"

namespace fieldsync::client {
namespace {

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
        (byte >= '0' && byte <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0f];
    }
  }
  return out;
}

[[noreturn]] void bad_response(const std::string& what, const std::string& why) {
  throw Error(ErrorDomain::protocol, "bad_response",
              "the server's answer to " + what + " is not what the protocol says (" + why +
                  "); is the server URL right?");
}

std::string advice(int status, const std::string& code) {
  if (is_wipe_code(code)) return "this device must wipe its local data";
  if (code == "token_expired" || code == "token_invalid" || code == "token_missing")
    return "sign in again; nothing written on this device is lost";
  if (code == "bad_credentials") return "check the login and password";
  if (status == 429) return "wait before trying again";
  if (status == 500) return "the server failed (an error of its own, logged there)";
  if (status > 500) return "the server is not available now; try again later";
  return {};
}

Json checked_body(const HttpResponse& response, const std::string& what) {
  Json body = Json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (response.status >= 200 && response.status < 300) {
    if (!body.is_object()) bad_response(what, "the body is not a JSON object");
    return body;
  }
  std::string code = "http_" + std::to_string(response.status);
  std::string message;
  std::vector<Problem> problems;
  if (body.is_object() && body.contains("error") && body["error"].is_object()) {
    const Json& error = body["error"];
    if (error.contains("code") && error["code"].is_string()) code = error["code"];
    if (error.contains("message") && error["message"].is_string()) message = error["message"];
    if (error.contains("problems") && error["problems"].is_array())
      for (const Json& p : error["problems"])
        if (p.is_object())
          problems.push_back({p.value("field", ""), p.value("code", ""), p.value("message", "")});
  }
  if (message.empty()) message = "HTTP " + std::to_string(response.status);
  if (response.status == 429) {
    auto retry = response.headers.find("retry-after");
    if (retry != response.headers.end()) message += " (retry after " + retry->second + " s)";
  }
  const std::string hint = advice(response.status, code);
  message = what + " failed: " + message + (hint.empty() ? "" : "; " + hint);
  ErrorDomain domain = ErrorDomain::protocol;
  if (response.status == 401 || response.status == 403 || response.status == 429)
    domain = ErrorDomain::auth;
  if (response.status >= 500) domain = ErrorDomain::transport;
  throw Error(domain, code, message, problems);
}

bool is_count(const Json& doc, const char* member) {
  return doc.contains(member) && doc[member].is_number_integer() &&
         doc[member].get<std::int64_t>() >= 0;
}

}  // namespace

bool is_wipe_code(std::string_view code) {
  return code == "device_revoked" || code == "user_disabled";
}

Json ServerApi::exchange(HttpRequest request, const std::string& what) {
  request.headers["Accept"] = "application/json";
  if (request.method == "POST") request.headers["Content-Type"] = "application/json";
  HttpResponse response;
  try {
    response = transport_.send(request);
  } catch (const Error& e) {
    if (e.domain() == ErrorDomain::transport) {
      throw Error(ErrorDomain::transport, e.code(),
                  what + " got no answer: " + e.message() +
                      "; check the network, then sync again (nothing is lost)");
    }
    throw;
  }
  return checked_body(response, what);
}

LoginAnswer ServerApi::login(const std::string& login, const std::string& password,
                             const std::string& device_id, const std::string& device_name) {
  HttpRequest request;
  request.method = "POST";
  request.path = "/v1/auth/login";
  request.body = Json{
      {"login", login},
      {"password", password},
      {"device_id", device_id},
      {"device_name",
       device_name}}.dump();
  const Json body = exchange(std::move(request), "sign-in");
  LoginAnswer answer;
  for (const char* member : {"token", "user_id", "unit_id", "role"})
    if (!body.contains(member) || !body[member].is_string() ||
        body[member].get<std::string>().empty())
      bad_response("sign-in", std::string("no ") + member);
  answer.token = body["token"];
  answer.user_id = body["user_id"];
  answer.unit_id = body["unit_id"];
  answer.role = body["role"];
  if (body.contains("expires_at") && body["expires_at"].is_string())
    answer.expires_at = body["expires_at"];
  return answer;
}

Json ServerApi::push(const std::string& token, std::int64_t cursor, const Json& ops) {
  HttpRequest request;
  request.method = "POST";
  request.path = "/v1/sync/push";
  request.headers["Authorization"] = "Bearer " + token;
  request.body = Json{{"cursor", cursor}, {"ops", ops}}.dump();
  Json body = exchange(std::move(request), "push");
  if (!body.contains("results") || !body["results"].is_array() ||
      body["results"].size() != ops.size())
    bad_response("push", "not one result per op");
  for (const Json& result : body["results"])
    if (!result.is_object()) bad_response("push", "a result is not an object");
  return body;
}

Json ServerApi::pull(const std::string& token, std::int64_t cursor, std::size_t limit) {
  HttpRequest request;
  request.method = "GET";
  request.path =
      "/v1/sync/pull?cursor=" + std::to_string(cursor) + "&limit=" + std::to_string(limit);
  request.headers["Authorization"] = "Bearer " + token;
  Json body = exchange(std::move(request), "pull");
  if (!body.contains("changes") || !body["changes"].is_array())
    bad_response("pull", "no changes array");
  if (!is_count(body, "next_cursor") || body["next_cursor"].get<std::int64_t>() < cursor)
    bad_response("pull", "next_cursor is missing or behind the cursor");
  if (!body.contains("more") || !body["more"].is_boolean()) bad_response("pull", "no more flag");
  return body;
}

Json ServerApi::snapshot(const std::string& token, const std::optional<std::string>& after,
                         std::optional<std::int64_t> cursor, std::size_t limit) {
  HttpRequest request;
  request.method = "GET";
  request.path = "/v1/sync/snapshot?limit=" + std::to_string(limit);
  if (after) request.path += "&after=" + percent_encode(*after);
  if (cursor) request.path += "&cursor=" + std::to_string(*cursor);
  request.headers["Authorization"] = "Bearer " + token;
  Json body = exchange(std::move(request), "snapshot");
  if (!body.contains("rows") || !body["rows"].is_array()) bad_response("snapshot", "no rows");
  if (!is_count(body, "cursor")) bad_response("snapshot", "no cursor");
  if (!body.contains("more") || !body["more"].is_boolean())
    bad_response("snapshot", "no more flag");
  if (body["more"].get<bool>() && !(body.contains("after") && body["after"].is_string()))
    bad_response("snapshot", "more pages but no after token");
  return body;
}

}  // namespace fieldsync::client
