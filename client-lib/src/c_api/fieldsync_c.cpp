// The C API (fieldsync/fieldsync.h): each entry point checks its arguments, calls the C++
// Client, and turns a result into C values and any exception into an fs_error. Nothing here
// decides anything the Client does not.
#include "fieldsync/fieldsync.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "fieldsync/client/client.h"
#include "fieldsync/client/curl_transport.h"
#include "fieldsync/core/error.h"
#include "fieldsync/core/limits.h"
#include "records_json.h"

using fieldsync::Error;
using fieldsync::ErrorDomain;
using fieldsync::Json;
using fieldsync::client::Client;
using fieldsync::client::CurlOptions;
using fieldsync::client::CurlTransport;

// What an fs_client handle stands for. The handle itself is not a pointer to this: it is an id
// (see HandleRegistry), so a closed handle is told apart from a live one on every call.
struct ClientHandle {
  // Declared before the client so it is destroyed after it: the client sends through it.
  std::unique_ptr<CurlTransport> transport;
  std::optional<Client> client;
  // cancel is set by fs_cancel_sync(); it counts only while `syncing`, so a late cancel never
  // stops a later sign-in.
  std::atomic<bool> cancel{false};
  std::atomic<bool> syncing{false};
};

namespace {

constexpr const char* kVersion = "0.1.0";
constexpr std::chrono::milliseconds kDefaultTimeout{60'000};
constexpr std::chrono::milliseconds kMaxConnectTimeout{10'000};

fs_error_domain c_domain(ErrorDomain domain) {
  switch (domain) {
    case ErrorDomain::model: return FS_ERROR_MODEL;
    case ErrorDomain::codec: return FS_ERROR_CODEC;
    case ErrorDomain::validation: return FS_ERROR_VALIDATION;
    case ErrorDomain::merge: return FS_ERROR_MERGE;
    case ErrorDomain::storage: return FS_ERROR_STORAGE;
    case ErrorDomain::auth: return FS_ERROR_AUTH;
    case ErrorDomain::scope: return FS_ERROR_SCOPE;
    case ErrorDomain::protocol: return FS_ERROR_PROTOCOL;
    case ErrorDomain::transport: return FS_ERROR_TRANSPORT;
    case ErrorDomain::client: return FS_ERROR_CLIENT;
    case ErrorDomain::internal: return FS_ERROR_INTERNAL;
  }
  return FS_ERROR_INTERNAL;
}

// Copies text into dest[capacity] with a NUL, cut so that no UTF-8 sequence is split.
template <std::size_t N>
void copy_text(char (&dest)[N], std::string_view text) noexcept {
  std::size_t n = text.size() < N ? text.size() : N - 1;
  if (n < text.size()) {
    // Back up over continuation bytes (10xxxxxx) to the start of the cut character.
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
  }
  std::memcpy(dest, text.data(), n);
  dest[n] = '\0';
}

void set_error(fs_error* out, fs_error_domain domain, std::string_view code,
               std::string_view message) noexcept {
  if (out == nullptr) return;
  out->domain = domain;
  copy_text(out->code, code);
  copy_text(out->message, message);
}

// Runs body; any exception becomes *out and the result `failed`. The one place exceptions stop.
template <typename R, typename F>
R guarded(fs_error* out, R failed, F&& body) noexcept {
  try {
    return body();
  } catch (const Error& e) {
    set_error(out, c_domain(e.domain()), e.code(), e.message());
  } catch (const std::bad_alloc&) {
    set_error(out, FS_ERROR_INTERNAL, "out_of_memory", "out of memory");
  } catch (const std::exception& e) {
    set_error(out, FS_ERROR_INTERNAL, "internal_error", e.what());
  } catch (...) {
    set_error(out, FS_ERROR_INTERNAL, "internal_error", "an unknown exception was caught");
  }
  return failed;
}

[[noreturn]] void throw_null(const char* name) {
  throw Error(ErrorDomain::client, "null_argument", std::string(name) + " is NULL");
}

// The live handles. A handle is an id that is never reused (a 64-bit count, shifted so it is
// never NULL and never a plausible object address), so a call on a closed handle finds nothing
// and fails with "closed_handle" instead of touching freed memory. A call holds its own
// reference, so a close from another thread frees the handle only once that call returns.
class HandleRegistry {
 public:
  fs_client* add(std::shared_ptr<ClientHandle> handle) {
    std::lock_guard lock(mutex_);
    const std::uintptr_t id = (++count_ << 4) | 0x5;
    live_.emplace(id, std::move(handle));
    return reinterpret_cast<fs_client*>(id);
  }
  std::shared_ptr<ClientHandle> find(fs_client* c) {
    std::lock_guard lock(mutex_);
    auto it = live_.find(reinterpret_cast<std::uintptr_t>(c));
    return it == live_.end() ? nullptr : it->second;
  }
  std::shared_ptr<ClientHandle> remove(fs_client* c) {
    std::lock_guard lock(mutex_);
    auto it = live_.find(reinterpret_cast<std::uintptr_t>(c));
    if (it == live_.end()) return nullptr;
    std::shared_ptr<ClientHandle> handle = std::move(it->second);
    live_.erase(it);
    return handle;
  }

 private:
  std::mutex mutex_;
  std::uintptr_t count_ = 0;
  std::unordered_map<std::uintptr_t, std::shared_ptr<ClientHandle>> live_;
};

HandleRegistry& registry() {
  static HandleRegistry* handles = new HandleRegistry();  // never destroyed: usable at exit
  return *handles;
}

// The live handle `c` stands for; throws null_argument / closed_handle.
std::shared_ptr<ClientHandle> handle_of(fs_client* c) {
  if (c == nullptr) throw_null("the fs_client handle");
  std::shared_ptr<ClientHandle> handle = registry().find(c);
  if (!handle)
    throw Error(ErrorDomain::client, "closed_handle",
                "the fs_client handle is closed (or was never returned by fs_client_open)");
  return handle;
}

// Keeps the handle alive for one call and gives its Client.
struct Call {
  explicit Call(fs_client* c) : handle(handle_of(c)) {}
  Client& client() { return *handle->client; }
  std::shared_ptr<ClientHandle> handle;
};

// True when text is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool is_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    std::size_t extra = 0;
    std::uint32_t cp = 0;
    if (byte < 0x80) {
      ++i;
      continue;
    } else if ((byte & 0xE0) == 0xC0) {
      extra = 1;
      cp = byte & 0x1Fu;
    } else if ((byte & 0xF0) == 0xE0) {
      extra = 2;
      cp = byte & 0x0Fu;
    } else if ((byte & 0xF8) == 0xF0) {
      extra = 3;
      cp = byte & 0x07u;
    } else {
      return false;
    }
    if (text.size() - i <= extra) return false;
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (next & 0x3Fu);
    }
    static constexpr std::uint32_t kSmallest[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kSmallest[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += extra + 1;
  }
  return true;
}

std::string text_argument(const char* text, const char* name) {
  std::string value(text);
  if (!is_utf8(value))
    throw Error(ErrorDomain::client, "invalid_utf8", std::string(name) + " is not valid UTF-8");
  return value;
}

std::string required(const char* text, const char* name) {
  if (text == nullptr) throw_null(name);
  return text_argument(text, name);
}

std::string optional_text(const char* text, const char* name) {
  return text == nullptr ? std::string() : text_argument(text, name);
}

// Deeper than any document the API takes (a field value nests at most kMaxDepth levels). A
// deeper one is refused while parsing: copying or printing it would recurse that deep.
constexpr int kMaxJsonDepth = 4 * fieldsync::kMaxDepth;

Json parse_json(const char* text, const char* name) {
  if (text == nullptr) throw_null(name);
  bool too_deep = false;
  // Values below the limit are dropped as they are read (the parser itself does not recurse).
  const auto keep = [&too_deep](int depth, Json::parse_event_t, Json&) {
    if (depth > kMaxJsonDepth) too_deep = true;
    return depth <= kMaxJsonDepth;
  };
  Json doc = Json::parse(std::string_view(text), keep, /*allow_exceptions=*/false);
  if (doc.is_discarded())
    throw Error(ErrorDomain::client, "invalid_json",
                std::string(name) + " is not valid JSON (UTF-8 text)");
  if (too_deep)
    throw Error(ErrorDomain::client, "too_deep",
                std::string(name) + " nests arrays or objects more than " +
                    std::to_string(kMaxJsonDepth) + " levels deep");
  return doc;
}

// A malloc'd copy for the caller to fs_free().
char* to_c(const std::string& text) {
  char* copy = static_cast<char*>(std::malloc(text.size() + 1));
  if (copy == nullptr) throw std::bad_alloc();
  std::memcpy(copy, text.c_str(), text.size() + 1);
  return copy;
}

char* to_c(const Json& doc) {
  return to_c(doc.dump(-1, ' ', false, Json::error_handler_t::replace));
}

[[noreturn]] void bad_query(const std::string& why) {
  throw Error(ErrorDomain::client, "invalid_query", "the case query " + why);
}

bool is_date(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (std::size_t i = 0; i < text.size(); ++i)
    if (i != 4 && i != 7 && (text[i] < '0' || text[i] > '9')) return false;
  return true;
}

fieldsync::client::CaseQuery parse_query(const char* text) {
  fieldsync::client::CaseQuery query;
  if (text == nullptr) return query;
  const Json doc = parse_json(text, "json_query");
  if (doc.is_null()) return query;
  if (!doc.is_object()) bad_query("must be a JSON object");
  for (const auto& [name, value] : doc.items()) {
    if (name == "mine" || name == "overdue") {
      if (!value.is_boolean()) bad_query("member \"" + name + "\" must be true or false");
      (name == "mine" ? query.mine : query.filter.overdue) = value.get<bool>();
    } else if (name == "collective" || name == "repeat" || name == "skip_level" ||
               name == "late_report" || name == "missing_report" || name == "conflicts_open") {
      if (!value.is_boolean()) bad_query("member \"" + name + "\" must be true or false");
      using fieldsync::domain::CaseFilter;
      bool CaseFilter::*member = name == "collective"       ? &CaseFilter::collective
                                 : name == "repeat"         ? &CaseFilter::repeat
                                 : name == "skip_level"     ? &CaseFilter::skip_level
                                 : name == "late_report"    ? &CaseFilter::late_report
                                 : name == "missing_report" ? &CaseFilter::missing_report
                                                            : &CaseFilter::conflicts_open;
      query.filter.*member = value.get<bool>();
    } else if (name == "leader") {
      if (!value.is_string()) bad_query("member \"leader\" must be a user id");
      query.filter.leader = value.get<std::string>();
    } else if (name == "status") {
      if (!value.is_string()) bad_query("member \"status\" must be a string");
      query.filter.status = value.get<std::string>();
    } else if (name == "overdue_on") {
      if (!value.is_string() || !is_date(value.get<std::string>()))
        bad_query("member \"overdue_on\" must be a date \"YYYY-MM-DD\"");
      query.filter.overdue = true;
      query.today = value.get<std::string>();
    } else {
      bad_query("has an unknown member \"" + name +
                "\" (known: mine, status, overdue, overdue_on, collective, repeat, skip_level, "
                "late_report, missing_report, conflicts_open, leader)");
    }
  }
  return query;
}

CurlOptions curl_options(const std::string& server_url, const fs_open_options* given,
                         ClientHandle* handle) {
  CurlOptions options;
  options.base_url = server_url;
  std::chrono::milliseconds timeout = kDefaultTimeout;
  if (given != nullptr) {
    options.ca_file = optional_text(given->ca_file, "options->ca_file");
    options.verify_tls = given->verify_tls;
    if (given->timeout_ms > 0) timeout = std::chrono::milliseconds(given->timeout_ms);
  }
  options.request_timeout = timeout;
  options.connect_timeout = std::min(timeout, kMaxConnectTimeout);
  options.cancelled = [handle] { return handle->syncing.load() && handle->cancel.load(); };
  return options;
}

}  // namespace

extern "C" {

const char* fs_version(void) noexcept {
  return kVersion;
}

const char* fs_error_domain_name(int domain) noexcept {
  switch (domain) {
    case FS_ERROR_NONE: return "none";
    case FS_ERROR_MODEL: return "model";
    case FS_ERROR_CODEC: return "codec";
    case FS_ERROR_VALIDATION: return "validation";
    case FS_ERROR_MERGE: return "merge";
    case FS_ERROR_STORAGE: return "storage";
    case FS_ERROR_AUTH: return "auth";
    case FS_ERROR_SCOPE: return "scope";
    case FS_ERROR_PROTOCOL: return "protocol";
    case FS_ERROR_TRANSPORT: return "transport";
    case FS_ERROR_CLIENT: return "client";
    case FS_ERROR_INTERNAL: return "internal";
    default: return "unknown";
  }
}

void fs_free(void* p) noexcept {
  std::free(p);
}

fs_client* fs_client_open(const char* db_path, const char* server_url,
                          const fs_open_options* options, fs_error* out_error) noexcept {
  return guarded(out_error, static_cast<fs_client*>(nullptr), [&] {
    const std::string path = required(db_path, "db_path");
    auto handle = std::make_shared<ClientHandle>();
    fieldsync::client::ClientOptions client_options;
    if (server_url != nullptr) {
      const std::string url = text_argument(server_url, "server_url");
      handle->transport = std::make_unique<CurlTransport>(curl_options(url, options, handle.get()));
      client_options.transport = handle->transport.get();
    }
    handle->client.emplace(Client::open(path, client_options));
    if (server_url != nullptr) handle->client->set_server_url(server_url);
    return registry().add(std::move(handle));
  });
}

void fs_client_close(fs_client* c) noexcept {
  // Destructors here do not throw (SQLite and libcurl handles are closed, errors ignored); a
  // call still running on another thread keeps the handle until it returns.
  try {
    if (c != nullptr) registry().remove(c);
  } catch (...) {  // the registry's mutex could only fail on a broken system
  }
}

bool fs_login(fs_client* c, const char* login, const char* password, const char* device_name,
              fs_error* out_error) noexcept {
  return guarded(out_error, false, [&] {
    Call call(c);
    Client& client = call.client();
    const std::string user = required(login, "login");
    const std::string secret = required(password, "password");
    const std::string name = device_name == nullptr
                                 ? std::string(fieldsync::client::kDefaultDeviceName)
                                 : text_argument(device_name, "device_name");
    client.login(user, secret, name);
    return true;
  });
}

char* fs_create_case(fs_client* c, const char* json_fields, fs_error* out_error) noexcept {
  return guarded(out_error, static_cast<char*>(nullptr), [&] {
    Call call(c);
    Client& client = call.client();
    return to_c(client.create_case(parse_json(json_fields, "json_fields")));
  });
}

bool fs_update_case(fs_client* c, const char* case_id, const char* json_fields,
                    fs_error* out_error) noexcept {
  return guarded(out_error, false, [&] {
    Call call(c);
    Client& client = call.client();
    const std::string id = required(case_id, "case_id");
    client.update_case(id, parse_json(json_fields, "json_fields"));
    return true;
  });
}

char* fs_add_petitioner(fs_client* c, const char* case_id, const char* json_fields,
                        fs_error* out_error) noexcept {
  return guarded(out_error, static_cast<char*>(nullptr), [&] {
    Call call(c);
    Client& client = call.client();
    const std::string id = required(case_id, "case_id");
    return to_c(client.add_petitioner(id, parse_json(json_fields, "json_fields")));
  });
}

char* fs_add_visit(fs_client* c, const char* case_id, const char* json_fields,
                   fs_error* out_error) noexcept {
  return guarded(out_error, static_cast<char*>(nullptr), [&] {
    Call call(c);
    Client& client = call.client();
    const std::string id = required(case_id, "case_id");
    return to_c(client.add_visit(id, parse_json(json_fields, "json_fields")));
  });
}

char* fs_correct_visit(fs_client* c, const char* visit_id, const char* json_fields,
                       fs_error* out_error) noexcept {
  return guarded(out_error, static_cast<char*>(nullptr), [&] {
    Call call(c);
    Client& client = call.client();
    const std::string id = required(visit_id, "visit_id");
    return to_c(client.correct_visit(id, parse_json(json_fields, "json_fields")));
  });
}

char* fs_add_commitment(fs_client* c, const char* case_id, const char* json_fields,
                        fs_error* out_error) noexcept {
  return guarded(out_error, static_cast<char*>(nullptr), [&] {
    Call call(c);
    Client& client = call.client();
    const std::string id = required(case_id, "case_id");
    return to_c(client.add_commitment(id, parse_json(json_fields, "json_fields")));
  });
}

bool fs_complete_commitment(fs_client* c, const char* commitment_id, const char* done_at,
                            fs_error* out_error) noexcept {
  return guarded(out_error, false, [&] {
    Call call(c);
    Client& client = call.client();
    const std::string id = required(commitment_id, "commitment_id");
    client.complete_commitment(id, optional_text(done_at, "done_at"));
    return true;
  });
}

char* fs_file_urgent_report(fs_client* c, const char* case_id, const char* json_fields,
                            fs_error* out_error) noexcept {
  return guarded(out_error, static_cast<char*>(nullptr), [&] {
    Call call(c);
    Client& client = call.client();
    const Json fields = parse_json(json_fields, "json_fields");
    return to_c(client.file_urgent_report(optional_text(case_id, "case_id"), fields));
  });
}

bool fs_reopen_case(fs_client* c, const char* case_id, const char* reason,
                    fs_error* out_error) noexcept {
  return guarded(out_error, false, [&] {
    Call call(c);
    Client& client = call.client();
    const std::string id = required(case_id, "case_id");
    client.reopen_case(id, required(reason, "reason"));
    return true;
  });
}

char* fs_assign_leader(fs_client* c, const char* case_id, const char* leader_id, const char* note,
                       fs_error* out_error) noexcept {
  return guarded(out_error, static_cast<char*>(nullptr), [&] {
    Call call(c);
    Client& client = call.client();
    const std::string id = required(case_id, "case_id");
    const std::string leader = required(leader_id, "leader_id");
    return to_c(client.assign_leader(id, leader, optional_text(note, "note")));
  });
}

char* fs_transfer_case(fs_client* c, const char* case_id, const char* to_unit_id,
                       const char* reason, fs_error* out_error) noexcept {
  return guarded(out_error, static_cast<char*>(nullptr), [&] {
    Call call(c);
    Client& client = call.client();
    const std::string id = required(case_id, "case_id");
    const std::string unit = required(to_unit_id, "to_unit_id");
    return to_c(client.transfer_case(id, unit, required(reason, "reason")));
  });
}

bool fs_resolve_conflict(fs_client* c, const char* conflict_id, const char* json_value,
                         const char* note, fs_error* out_error) noexcept {
  return guarded(out_error, false, [&] {
    Call call(c);
    Client& client = call.client();
    const std::string id = required(conflict_id, "conflict_id");
    client.resolve_conflict(id, parse_json(json_value, "json_value"), optional_text(note, "note"));
    return true;
  });
}

char* fs_list_cases(fs_client* c, const char* json_query, fs_error* out_error) noexcept {
  return guarded(out_error, static_cast<char*>(nullptr), [&] {
    Call call(c);
    Client& client = call.client();
    return to_c(fieldsync::client::c_api::to_json(client.list_cases(parse_query(json_query))));
  });
}

char* fs_get_case(fs_client* c, const char* case_id, fs_error* out_error) noexcept {
  return guarded(out_error, static_cast<char*>(nullptr), [&] {
    Call call(c);
    Client& client = call.client();
    const std::string id = required(case_id, "case_id");
    return to_c(fieldsync::client::c_api::to_json(client.get_case(id)));
  });
}

char* fs_open_conflicts(fs_client* c, fs_error* out_error) noexcept {
  return guarded(out_error, static_cast<char*>(nullptr), [&] {
    Call call(c);
    Client& client = call.client();
    return to_c(fieldsync::client::c_api::to_json(client.open_conflicts()));
  });
}

char* fs_sync(fs_client* c, fs_progress_fn progress, void* ctx, fs_error* out_error) noexcept {
  return guarded(out_error, static_cast<char*>(nullptr), [&] {
    Call call(c);
    Client& client = call.client();
    fieldsync::client::SyncOptions options;
    ClientHandle& handle = *call.handle;
    options.cancel = &handle.cancel;
    if (progress != nullptr) {
      options.progress = [progress, ctx](const fieldsync::client::SyncProgress& p) {
        const bool push = p.phase == fieldsync::client::SyncPhase::push;
        const std::string phase(fieldsync::client::to_string(p.phase));
        progress(phase.c_str(), push ? p.ops_sent : p.rows_received, push ? p.ops_total : -1, ctx);
      };
    }
    struct Syncing {
      ClientHandle& handle;
      explicit Syncing(ClientHandle& h) : handle(h) {
        handle.cancel = false;
        handle.syncing = true;
      }
      ~Syncing() {
        handle.syncing = false;
        handle.cancel = false;
      }
      Syncing(const Syncing&) = delete;
      Syncing& operator=(const Syncing&) = delete;
    } syncing(handle);
    return to_c(fieldsync::client::c_api::to_json(client.sync(options)));
  });
}

void fs_cancel_sync(fs_client* c) noexcept {
  try {
    if (auto handle = c == nullptr ? nullptr : registry().find(c)) handle->cancel = true;
  } catch (...) {  // as fs_client_close
  }
}

char* fs_status(fs_client* c, fs_error* out_error) noexcept {
  return guarded(out_error, static_cast<char*>(nullptr), [&] {
    Call call(c);
    Client& client = call.client();
    return to_c(fieldsync::client::c_api::to_json(client.status()));
  });
}

bool fs_discard_rejected(fs_client* c, const char* op_id, fs_error* out_error) noexcept {
  return guarded(out_error, false, [&] {
    Call call(c);
    Client& client = call.client();
    client.discard_rejected(required(op_id, "op_id"));
    return true;
  });
}

long long fs_retry_failed(fs_client* c, fs_error* out_error) noexcept {
  return guarded(out_error, -1LL, [&] {
    Call call(c);
    return static_cast<long long>(call.client().retry_failed());
  });
}

}  // extern "C"
