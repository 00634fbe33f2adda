#pragma once
// The injected seam of the client tests: a Transport that hands each request to a server's
// ApiHandler in-process (no sockets), and that can be told to fail on purpose:
//   drop_request   the link fails before the server sees the request
//   drop_response  the server handles the request, then the link fails (the answer is lost)
//   duplicate      the request reaches the server twice; the second answer is returned
//   server_busy    the server answers 503 busy without handling the request
// and to be offline altogether.
#include <cctype>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "fieldsync/client/transport.h"
#include "fieldsync/core/error.h"
#include "fieldsync/server/api_types.h"

namespace fieldsync::client::testing {

class RouterTransport final : public Transport {
 public:
  enum class Fault { drop_request, drop_response, duplicate, server_busy };

  explicit RouterTransport(server::ApiHandler& handler) : handler_(handler) {}

  // The request after `skip` more requests whose path starts with `path_prefix` gets `fault`.
  void fail(const std::string& path_prefix, Fault fault, int skip = 0) {
    plans_.push_back({path_prefix, fault, skip});
  }

  HttpResponse send(const HttpRequest& request) override {
    if (offline) throw Error(ErrorDomain::transport, "unreachable", "test: offline");
    const server::ApiRequest api = to_api(request);
    std::optional<Fault> fault;
    for (std::size_t i = 0; i < plans_.size(); ++i) {
      if (request.path.rfind(plans_[i].prefix, 0) != 0) continue;
      if (plans_[i].skip-- > 0) continue;
      fault = plans_[i].fault;
      plans_.erase(plans_.begin() + static_cast<std::ptrdiff_t>(i));
      break;
    }
    if (fault && *fault == Fault::drop_request)
      throw Error(ErrorDomain::transport, "network", "test: link lost before the request");
    if (fault && *fault == Fault::server_busy) {
      HttpResponse busy;
      busy.status = 503;
      busy.headers["retry-after"] = "1";
      busy.body = R"({"error":{"code":"busy","message":"the store is busy; try again shortly"}})";
      return busy;
    }
    delivered.push_back(request);
    server::ApiResponse response = handler_.handle(api);
    if (fault && *fault == Fault::duplicate) {
      delivered.push_back(request);
      response = handler_.handle(api);
    }
    if (fault && *fault == Fault::drop_response)
      throw Error(ErrorDomain::transport, "timeout", "test: link lost before the answer");
    HttpResponse out;
    out.status = response.status;
    out.body = response.body;
    for (const auto& [name, value] : response.headers) out.headers[lower(name)] = value;
    out.headers["content-type"] = response.content_type;
    return out;
  }

  // Requests that reached the server whose path starts with `prefix`.
  int delivered_count(const std::string& prefix) const {
    int n = 0;
    for (const auto& r : delivered) n += r.path.rfind(prefix, 0) == 0 ? 1 : 0;
    return n;
  }

  bool offline = false;
  std::vector<HttpRequest> delivered;

 private:
  struct Plan {
    std::string prefix;
    Fault fault;
    int skip;
  };

  static std::string lower(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
  }

  static int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return 0;
  }

  static std::string decode(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '%' && i + 2 < text.size()) {
        out += static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2]));
        i += 2;
      } else {
        out += text[i];
      }
    }
    return out;
  }

  static server::ApiRequest to_api(const HttpRequest& request) {
    server::ApiRequest api;
    api.method = request.method;
    const auto question = request.path.find('?');
    api.path = request.path.substr(0, question);
    if (question != std::string::npos) {
      std::string query = request.path.substr(question + 1);
      std::size_t start = 0;
      while (start <= query.size()) {
        const auto amp = query.find('&', start);
        const std::string part =
            query.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
        if (!part.empty()) {
          const auto eq = part.find('=');
          api.query[decode(part.substr(0, eq))] =
              eq == std::string::npos ? "" : decode(part.substr(eq + 1));
        }
        if (amp == std::string::npos) break;
        start = amp + 1;
      }
    }
    for (const auto& [name, value] : request.headers) api.headers[lower(name)] = value;
    api.body = request.body;
    api.remote_address = "127.0.0.1";
    return api;
  }

  server::ApiHandler& handler_;
  std::vector<Plan> plans_;
};

}  // namespace fieldsync::client::testing
