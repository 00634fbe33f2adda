#pragma once
// The wire calls of docs/protocol.md over a Transport, each answer checked and every failure
// turned into a fieldsync::Error a person can act on:
//   no response (no network, timeout)       Error{transport, <the transport's code>}
//   401, 403, 429                           Error{auth, <code>} (device_revoked and
//                                           user_disabled among them: the caller wipes)
//   5xx                                     Error{transport, <code>} (try again later)
//   other 4xx                               Error{protocol, <code>}
//   a 200 body the protocol does not allow  Error{protocol, "bad_response"}
#include <cstdint>
#include <optional>
#include <string>

#include "fieldsync/client/transport.h"
#include "fieldsync/core/model.h"

namespace fieldsync::client {

struct LoginAnswer {
  std::string token;
  std::string user_id;
  std::string unit_id;
  std::string role;
  std::string expires_at;
};

// True for the codes that tell a device to wipe its local data.
bool is_wipe_code(std::string_view code);

class ServerApi {
 public:
  explicit ServerApi(Transport& transport) : transport_(transport) {}

  LoginAnswer login(const std::string& login, const std::string& password,
                    const std::string& device_id, const std::string& device_name);
  // {"results": [...]} with one result per op, checked to be an array of that size.
  Json push(const std::string& token, std::int64_t cursor, const Json& ops);
  // {"changes": [...], "next_cursor": N, "more": bool}, checked.
  Json pull(const std::string& token, std::int64_t cursor, std::size_t limit);
  // {"rows": [...], "cursor": N, "after": token|null, "more": bool}, checked.
  Json snapshot(const std::string& token, const std::optional<std::string>& after,
                std::optional<std::int64_t> cursor, std::size_t limit);

 private:
  Json exchange(HttpRequest request, const std::string& what);

  Transport& transport_;
};

}  // namespace fieldsync::client
