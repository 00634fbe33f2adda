// fault_tablet: a tablet process for the client-crash trials of tests/fault. Over the real
// client library and a CurlTransport to the server URL stored in the replica, it writes `ops`
// visits and petitioners on one case and syncs after every `sync_every` writes, then once more.
// Each line it prints is flushed only after the library call returned:
//   visit <id> | petitioner <id>   the write returned (it is durable in the replica)
//   sync | synced | sync failed <domain>/<code>
//   done
// Usage: fault_tablet DB CASE_ID OPS SYNC_EVERY. Exit 0 when done, 1 on a failed write.
#include <cstdio>
#include <exception>
#include <string>

#include "fieldsync/client/client.h"
#include "fieldsync/client/curl_transport.h"
#include "fieldsync/core/error.h"

namespace {

void say(const std::string& line) {
  std::fputs((line + "\n").c_str(), stdout);
  std::fflush(stdout);
}

int run(const std::string& db, const std::string& case_id, int ops, int sync_every) {
  using namespace fieldsync::client;
  Client probe = Client::open(db);
  const std::string url = probe.server_url().value_or("");
  CurlOptions curl;
  curl.base_url = url;
  curl.connect_timeout = std::chrono::milliseconds(5'000);
  curl.request_timeout = std::chrono::milliseconds(60'000);
  curl.retry.max_attempts = 2;
  curl.retry.sleep = [](std::chrono::milliseconds) {};
  curl.retry.random01 = [] { return 0.0; };
  CurlTransport transport(curl);
  probe.set_transport(&transport);
  Client& tablet = probe;

  const auto sync = [&] {
    say("sync");
    try {
      tablet.sync();
      say("synced");
    } catch (const fieldsync::Error& e) {
      say(std::string("sync failed ") + std::string(fieldsync::to_string(e.domain())) + "/" +
          e.code());
    }
  };
  for (int i = 0; i < ops; ++i) {
    const std::string n = std::to_string(i);
    if (i % 2 == 0) {
      say("visit " + tablet.add_visit(case_id, {{"kind", "home"}, {"notes", "visit " + n}}));
    } else {
      say("petitioner " + tablet.add_petitioner(case_id, {{"name", "petitioner " + n}}));
    }
    if ((i + 1) % sync_every == 0) sync();
  }
  sync();
  say("done");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fputs("usage: fault_tablet DB CASE_ID OPS SYNC_EVERY\n", stderr);
    return 2;
  }
  try {
    return run(argv[1], argv[2], std::stoi(argv[3]), std::stoi(argv[4]));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fault_tablet: %s\n", e.what());
    return 1;
  }
}
