// The session every command runs in: the replica opened on demand, the stored server settings
// and the transport built from them.
#include <ostream>

#include "fieldvisit/cli.h"
#include "fieldvisit/ids.h"
#include "fieldvisit/values.h"

namespace fieldsync::fieldvisit {
namespace {

constexpr const char* kCaFileKey = "ca-file=";
constexpr const char* kInsecureKey = "insecure";

// Fewer attempts than the library's default: a person is waiting at the prompt.
constexpr int kCliMaxAttempts = 3;

// "%XX" escapes for the characters that would break the fragment's structure.
std::string escape(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (c == '%' || c == '&' || c == '#' || c < 0x20) {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      out += hex;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

std::string unescape(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      out.push_back(static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

}  // namespace

std::string encode_server_settings(const ServerSettings& settings) {
  std::string fragment;
  if (!settings.ca_file.empty()) fragment += kCaFileKey + escape(settings.ca_file);
  if (settings.insecure) fragment += std::string(fragment.empty() ? "" : "&") + kInsecureKey;
  return fragment.empty() ? settings.url : settings.url + "#" + fragment;
}

ServerSettings decode_server_settings(const std::string& stored) {
  ServerSettings settings;
  const auto hash = stored.find('#');
  settings.url = stored.substr(0, hash);
  if (hash == std::string::npos) return settings;
  const std::string fragment = stored.substr(hash + 1);
  std::size_t start = 0;
  while (start <= fragment.size()) {
    const auto amp = fragment.find('&', start);
    const std::string part =
        fragment.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
    if (part.starts_with(kCaFileKey)) settings.ca_file = unescape(part.substr(8));
    if (part == kInsecureKey) settings.insecure = true;
    if (amp == std::string::npos) break;
    start = amp + 1;
  }
  return settings;
}

Session::Session(const GlobalOptions& options, std::ostream& out, std::ostream& err)
    : options_(options), out_(out), err_(err) {}

Session::~Session() {
  // The client keeps a pointer to the transport: drop the client first.
  client_.reset();
}

client::Client& Session::open_or_create() {
  if (!client_) {
    try {
      client_.emplace(client::Client::open(options_.db));
    } catch (const Error& e) {
      throw CliError("cannot open the device database " + options_.db + ": " + e.message());
    }
  }
  return *client_;
}

client::Client& Session::client() {
  if (!client_) {
    std::error_code ignored;
    if (!std::filesystem::exists(options_.db, ignored)) {
      throw CliError("there is no device database at " + options_.db + ": run `fieldvisit --db " +
                         options_.db +
                         " login --server URL --user NAME` first (if this device was wiped by "
                         "the office, signing in starts it afresh)",
                     kExitFailed, "no_database");
    }
  }
  return open_or_create();
}

client::Client& Session::signed_in_client() {
  client::Client& c = client();
  if (c.status().user_id.empty()) {
    throw CliError("nobody has signed in on this device yet: run `fieldvisit --db " + options_.db +
                       " login --server URL --user NAME` first",
                   kExitFailed, "not_signed_in");
  }
  return c;
}

const std::string& Session::user_id() {
  if (!user_id_) user_id_ = client().status().user_id;
  return *user_id_;
}

ServerSettings Session::server() const {
  std::optional<std::string> stored;
  if (client_) stored = client_->server_url();
  if (!stored || stored->empty()) {
    throw CliError("this device does not know its server: run `fieldvisit --db " + options_.db +
                       " login --server URL --user NAME` first",
                   kExitFailed, "no_server");
  }
  return decode_server_settings(*stored);
}

void Session::connect(const ServerSettings& settings, std::function<bool()> cancelled) {
  client::CurlOptions curl;
  curl.base_url = settings.url;
  curl.ca_file = settings.ca_file;
  curl.verify_tls = !settings.insecure;
  curl.retry.max_attempts = kCliMaxAttempts;
  curl.user_agent = "fieldvisit/0.1";
  curl.cancelled = std::move(cancelled);
  try {
    transport_ = std::make_unique<client::CurlTransport>(curl);
  } catch (const Error& e) {
    throw CliError("cannot use the server address '" + settings.url + "': " + e.message() +
                       "; give it as http://HOST:PORT or https://HOST",
                   kExitFailed, "bad_server_url");
  }
  open_or_create().set_transport(transport_.get());
}

const Model& Session::model() const {
  return builtin_model();
}

IdResolver& Session::ids() {
  if (!ids_) ids_ = std::make_unique<IdResolver>(client());
  return *ids_;
}

}  // namespace fieldsync::fieldvisit
