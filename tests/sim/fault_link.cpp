#include "fault_link.h"

#include "fieldsync/core/error.h"

namespace fieldsync::sim {

const char* to_string(FaultKind kind) {
  switch (kind) {
    case FaultKind::lost_request: return "request lost";
    case FaultKind::lost_response: return "response lost after commit";
    case FaultKind::duplicated: return "request duplicated";
    case FaultKind::delayed: return "request delayed";
    case FaultKind::reordered: return "delayed request delivered after later ones";
    case FaultKind::cut: return "connection cut mid-sync";
  }
  return "?";
}

bool FaultLink::roll(double p) {
  return p > 0 && std::uniform_real_distribution<double>(0, 1)(random_) < p;
}

void FaultLink::begin_sync() {
  cut_done_ = false;
  cut_after_ = faults_on && roll(rates_.cut)
                   ? static_cast<int>(std::uniform_int_distribution<int>(1, 4)(random_))
                   : -1;
}

client::HttpResponse FaultLink::deliver(const client::HttpRequest& request) {
  ++delivered_;
  client::HttpResponse response = route_.send(request);
  route_.delivered.clear();  // the router's log is not needed; keep memory flat
  return response;
}

void FaultLink::deliver_late(const LateRequest& late) {
  if (delivered_ > late.mark) counts_.add(FaultKind::reordered);
  deliver(late.request);
}

client::HttpResponse FaultLink::send(const client::HttpRequest& request) {
  if (offline) throw Error(ErrorDomain::transport, "unreachable", "sim: offline");
  if (cut_done_) throw Error(ErrorDomain::transport, "unreachable", "sim: connection cut");
  if (cut_after_ >= 0 && cut_after_-- == 0) {
    // The request reached the server; the connection dies before the answer comes back.
    cut_done_ = true;
    counts_.add(FaultKind::cut);
    deliver(request);
    throw Error(ErrorDomain::transport, "network", "sim: connection cut mid-sync");
  }
  if (!faults_on) return deliver(request);
  if (roll(rates_.lost_request)) {
    counts_.add(FaultKind::lost_request);
    throw Error(ErrorDomain::transport, "network", "sim: request lost");
  }
  if (roll(rates_.delayed)) {
    counts_.add(FaultKind::delayed);
    late_.push_back({this, request, delivered_});
    throw Error(ErrorDomain::transport, "timeout", "sim: no answer in time (request delayed)");
  }
  if (roll(rates_.lost_response)) {
    counts_.add(FaultKind::lost_response);
    deliver(request);
    throw Error(ErrorDomain::transport, "timeout", "sim: answer lost after the server handled it");
  }
  if (roll(rates_.duplicated)) {
    counts_.add(FaultKind::duplicated);
    deliver(request);
    return deliver(request);
  }
  return deliver(request);
}

}  // namespace fieldsync::sim
