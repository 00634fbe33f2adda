#pragma once
// One simulated world: a server (ServerApp over a SQLite store in a temp dir, driven through
// its ApiRouter in-process), an organisation (Plant > units > teams), and devices, each a real
// fieldsync::client::Client on its own SQLite file with its own skewed clock and faulty link.
//
// run() lets the devices write ops offline and sync at random, with faults on and mid-run
// administration; quiesce() turns faults off and syncs every live device until nothing moves;
// check() (invariants.h) then compares everything. Every choice comes from the seed.
#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "../unit/core/fakes.h"
#include "fault_link.h"
#include "fieldsync/client/client.h"
#include "fieldsync/server/admin.h"
#include "fieldsync/server/server_app.h"
#include "sim_clock.h"
#include "sim_config.h"
#include "sim_dir.h"
#include "sim_figures.h"

namespace fieldsync::sim {

// A user with one tablet. Not movable (the client holds references to the clock and link).
struct SimDevice {
  int index = 0;
  std::string login;
  std::string role;
  std::string unit_id;  // the user's unit
  std::string user_id;
  std::string device_id;
  std::filesystem::path path;
  std::unique_ptr<SkewedClock> clock;
  std::unique_ptr<fieldsync::testing::SeededRandom> random;
  std::unique_ptr<FaultLink> link;
  std::optional<client::Client> client;
  // A second, read-only connection to the device's file: what the checker reads directly.
  std::optional<sqlite::Database> inspector;
  bool signed_in = false;
  bool wiped = false;
  std::string wiped_because;
  std::vector<std::string> op_ids;  // every op the device made, from its outbox, in order
  std::int64_t last_local_seq = 0;
};

struct SimUnit {
  std::string id;
  std::string name;
  std::set<std::string> subtree;  // the unit and every unit below it
};

class SimWorld {
 public:
  explicit SimWorld(const SimConfig& config);
  ~SimWorld();
  SimWorld(const SimWorld&) = delete;
  SimWorld& operator=(const SimWorld&) = delete;

  void run();
  void quiesce();

  const SimConfig& config() const { return config_; }
  std::mt19937_64& random() { return random_; }
  WorldClock& clock() { return clock_; }
  server::Admin& admin() { return *admin_; }
  std::vector<std::unique_ptr<SimDevice>>& devices() { return devices_; }
  const std::vector<SimUnit>& units() const { return units_; }
  const SimUnit& unit(const std::string& id) const;
  // Users (id, unit) by role, for picking leaders to assign.
  const std::vector<server::UserRecord>& users() const { return users_; }

  // Records the device's new outbox entries (after every write, before anything can wipe it).
  void harvest(SimDevice& device);
  // Sorts out an error thrown by the client: link faults and refused tokens are expected,
  // a wipe ends the device, anything else is an anomaly (a failure of the run).
  void on_client_error(SimDevice& device, const Error& error, const std::string& during);

  SimFigures figures;
  std::vector<std::string> anomalies;

 private:
  void build_organisation();
  void add_device(int index);
  bool login(SimDevice& device);
  // One sync(); returns whether anything moved (pushed, answered, pulled) or it failed.
  bool sync(SimDevice& device);
  void deliver_some_late(bool all);
  void administer();
  SimDevice* pick_live_device();

  SimConfig config_;
  std::mt19937_64 random_;
  SimDir dir_;
  std::filesystem::path data_;
  WorldClock clock_;
  fieldsync::testing::SeededRandom server_random_;
  std::unique_ptr<server::Admin> admin_;
  std::unique_ptr<server::ServerApp> app_;
  std::vector<SimUnit> units_;
  std::vector<server::UserRecord> users_;
  std::vector<std::unique_ptr<SimDevice>> devices_;
  std::deque<LateRequest> late_;
  std::vector<std::int64_t> admin_steps_;  // steps at which a disable or revoke happens
  std::int64_t step_ = 0;
};

}  // namespace fieldsync::sim
