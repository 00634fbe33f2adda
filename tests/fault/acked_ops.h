#pragma once
// A tablet for crash trials: the real client library over a CurlTransport, with the op ids the
// server acknowledged recorded on the way (the transport seam), so a test can check afterwards
// that every acknowledged op is in the server's store.
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "fieldsync/client/client.h"
#include "fieldsync/client/curl_transport.h"

namespace fieldsync::testing {

// Passes every exchange to a CurlTransport and records the op id of every op pushed, and from
// each 200 answer to POST /v1/sync/push the op ids answered accepted, conflict or duplicate
// (what the device was told the server has). Thread-safe reads of the record; send() from one
// thread at a time.
class AckRecorder final : public client::Transport {
 public:
  explicit AckRecorder(client::CurlOptions options);
  client::HttpResponse send(const client::HttpRequest& request) override;
  std::set<std::string> acknowledged() const;
  std::set<std::string> sent() const;

 private:
  client::CurlTransport curl_;
  mutable std::mutex mutex_;
  std::set<std::string> acknowledged_;
  std::set<std::string> sent_;
};

// A replica file with a Client over an AckRecorder to `base_url` (no waiting between retries).
class CrashTablet {
 public:
  CrashTablet(std::filesystem::path file, const std::string& base_url,
              std::size_t push_batch_ops = 25);
  client::Client* operator->() { return &*client_; }
  client::Client& client() { return *client_; }
  const AckRecorder& recorder() const { return *recorder_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  std::unique_ptr<AckRecorder> recorder_;
  std::optional<client::Client> client_;
};

}  // namespace fieldsync::testing
