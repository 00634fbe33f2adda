#pragma once
// The simulation's transport seam: one device's link to the in-process server (through the
// client tests' RouterTransport, which hands requests to the ApiRouter), failing on purpose
// with the probabilities the simulation sets:
//   lost_request   the link fails before the server sees the request
//   lost_response  the server handles (and commits) the request, the answer is lost
//   duplicated     the request reaches the server twice; the second answer is returned
//   delayed        the device gives up waiting (timeout) while the request is still on its
//                  way; the server gets it later, after requests sent after it (reordered)
//   cut            the connection is cut mid-sync: the current request's answer is lost and
//                  every later request of the same sync() fails, so a multi-batch push or a
//                  paged pull stops part-way
// Randomness is the simulation's seeded engine, so a seed replays the same faults.
#include <cstdint>
#include <deque>
#include <map>
#include <random>
#include <string>

#include "../unit/client/router_transport.h"
#include "fieldsync/client/transport.h"

namespace fieldsync::sim {

enum class FaultKind { lost_request, lost_response, duplicated, delayed, reordered, cut };
inline constexpr int kFaultKinds = 6;
const char* to_string(FaultKind kind);

struct FaultRates {
  double lost_request = 0;
  double lost_response = 0;
  double duplicated = 0;
  double delayed = 0;
  double cut = 0;  // per sync() call
};

// Counts of faults injected, shared by every link of a world.
struct FaultCounts {
  std::map<FaultKind, std::int64_t> by_kind;
  void add(FaultKind kind) { ++by_kind[kind]; }
};

class FaultLink;

// A request held back by `delayed`, delivered later by the world in an order it picks.
struct LateRequest {
  FaultLink* link;
  client::HttpRequest request;
  std::int64_t mark;  // the link's delivered count when it was held back
};

class FaultLink final : public client::Transport {
 public:
  FaultLink(server::ApiHandler& handler, std::mt19937_64& random, const FaultRates& rates,
            FaultCounts& counts, std::deque<LateRequest>& late)
      : route_(handler), random_(random), rates_(rates), counts_(counts), late_(late) {}

  client::HttpResponse send(const client::HttpRequest& request) override;

  // Called before each sync(): decides whether this sync's connection is cut, and where.
  void begin_sync();
  // Called after each sync(): the link is up again.
  void end_sync() {
    cut_after_ = -1;
    cut_done_ = false;
  }
  // Hands a held-back request to the server at last; its answer goes nowhere. Counted as
  // reordered when requests sent after it were delivered first.
  void deliver_late(const LateRequest& late);

  bool offline = false;
  bool faults_on = true;

 private:
  bool roll(double p);
  client::HttpResponse deliver(const client::HttpRequest& request);

  client::testing::RouterTransport route_;
  std::mt19937_64& random_;
  const FaultRates& rates_;
  FaultCounts& counts_;
  std::deque<LateRequest>& late_;
  std::int64_t delivered_ = 0;
  int cut_after_ = -1;  // requests this sync still gets through before the cut (-1: none)
  bool cut_done_ = false;
};

}  // namespace fieldsync::sim
