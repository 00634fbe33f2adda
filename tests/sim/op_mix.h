#pragma once
// The random work a device does offline: one write per call, picked by the user's role and
// made on what the device shows (its view), through the client library's public API. The mix
// follows the model's rules (workflow order, what resolving and closing need), so most ops are
// accepted; a write the device refuses itself, or the server rejects, is a legitimate outcome.
#include <string>

#include "sim_world.h"

namespace fieldsync::sim {

class OpMix {
 public:
  explicit OpMix(SimWorld& world) : world_(world) {}

  // Makes one write on `device`; returns whether an op was written.
  bool write_one(SimDevice& device);

 private:
  // A random live case on the device ("" when it has none).
  std::string pick_case(SimDevice& device);
  std::string pick_row(SimDevice& device, const std::string& entity, const std::string& case_id);
  std::string pick_leader(const SimDevice& device);
  std::string pick_unit_in_scope(const SimDevice& device, const std::string& not_this);
  std::string device_time(SimDevice& device) const;
  std::string some_date();
  int roll(int n);

  void create_case(SimDevice& d);
  void update_lww(SimDevice& d, const std::string& case_id);
  void update_flag(SimDevice& d, const std::string& case_id);
  void update_set(SimDevice& d, const std::string& case_id);
  void advance_status(SimDevice& d, const std::string& case_id);
  void visit(SimDevice& d, const std::string& case_id);
  void commitment(SimDevice& d, const std::string& case_id);
  void move_case(SimDevice& d, const std::string& case_id);
  void assign_leader(SimDevice& d, const std::string& case_id);
  void decide_conflict(SimDevice& d);

  SimWorld& world_;
};

}  // namespace fieldsync::sim
