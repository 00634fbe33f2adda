#include "acked_ops.h"

#include <nlohmann/json.hpp>

#include "client_world.h"

namespace fieldsync::testing {

AckRecorder::AckRecorder(client::CurlOptions options) : curl_(std::move(options)) {}

client::HttpResponse AckRecorder::send(const client::HttpRequest& request) {
  const bool push = request.method == "POST" && request.path.rfind("/v1/sync/push", 0) == 0;
  const auto sent = push ? nlohmann::json::parse(request.body) : nlohmann::json();
  if (push) {
    std::lock_guard lock(mutex_);
    for (const auto& op : sent.at("ops")) sent_.insert(op.at("op_id").get<std::string>());
  }
  client::HttpResponse response = curl_.send(request);
  if (!push || response.status != 200) return response;
  const auto answer = nlohmann::json::parse(response.body);
  const auto& ops = sent.at("ops");
  const auto& results = answer.at("results");
  std::lock_guard lock(mutex_);
  for (std::size_t i = 0; i < ops.size() && i < results.size(); ++i) {
    const std::string status = results[i].value("status", "");
    if (status == "accepted" || status == "conflict" || status == "duplicate")
      acknowledged_.insert(ops[i].at("op_id").get<std::string>());
  }
  return response;
}

std::set<std::string> AckRecorder::acknowledged() const {
  std::lock_guard lock(mutex_);
  return acknowledged_;
}

std::set<std::string> AckRecorder::sent() const {
  std::lock_guard lock(mutex_);
  return sent_;
}

CrashTablet::CrashTablet(std::filesystem::path file, const std::string& base_url,
                         std::size_t push_batch_ops)
    : path_(std::move(file)),
      recorder_(std::make_unique<AckRecorder>(quick_curl(base_url, /*max_attempts=*/2))) {
  client::ClientOptions options;
  options.transport = recorder_.get();
  options.push_batch_ops = push_batch_ops;
  client_.emplace(client::Client::open(path_, options));
}

}  // namespace fieldsync::testing
