#include "sim_world.h"

#include <algorithm>

#include "fieldsync/core/error.h"
#include "op_mix.h"

namespace fieldsync::sim {
namespace {

constexpr std::int64_t kStartMs = 1'780'000'000'000;  // 2026-05-28
constexpr int kPasswordIterations = 1000;             // sign-in cost is not what is tested

std::string password_of(const std::string& login) {
  return "pw-" + login;
}

server::InitOptions init_options() {
  server::InitOptions options;
  options.password_iterations = kPasswordIterations;
  return options;
}

server::AuthPolicy auth_policy() {
  server::AuthPolicy policy;
  policy.password_iterations = kPasswordIterations;
  return policy;
}

}  // namespace

SimWorld::SimWorld(const SimConfig& config)
    : config_(config),
      random_(config.seed),
      dir_(config.seed),
      data_(dir_.path() / "server"),
      clock_(kStartMs),
      server_random_(config.seed ^ 0x5eedULL) {
  const server::InitResult init =
      server::init_store(data_, "admin-pw", init_options(), clock_, server_random_);
  admin_ = std::make_unique<server::Admin>(data_, clock_, server_random_, kPasswordIterations);
  app_ = std::make_unique<server::ServerApp>(data_, clock_, server_random_, auth_policy());
  units_.push_back({init.root_unit_id, "Plant", {}});
  build_organisation();
  for (int i = 0; i < config_.devices; ++i) add_device(i);
  // Disables and revokes happen at random steps in the middle of the run.
  const std::int64_t span = std::max<std::int64_t>(config_.ops, 10);  // about the run's steps
  for (int i = 0; i < config_.user_disables + config_.device_revokes; ++i)
    admin_steps_.push_back(
        std::uniform_int_distribution<std::int64_t>(span / 5, span / 2)(random_));
  figures.worlds = 1;
  figures.devices = config_.devices;
  figures.units = static_cast<std::int64_t>(units_.size());
  figures.seeds.push_back(config_.seed);
}

SimWorld::~SimWorld() {
  for (auto& d : devices_) {
    d->inspector.reset();
    d->client.reset();
  }
}

void SimWorld::build_organisation() {
  for (int u = 1; u <= config_.units; ++u) {
    const std::string name = "Unit " + std::to_string(u);
    const server::UnitRecord unit = admin_->add_unit(name, "unit", "Plant");
    units_.push_back({unit.id, "Plant/" + name, {}});
    for (int t = 1; t <= config_.teams_per_unit; ++t) {
      const std::string team = "Team " + std::to_string(u) + "." + std::to_string(t);
      const server::UnitRecord row = admin_->add_unit(team, "team", unit.id);
      units_.push_back({row.id, "Plant/" + name + "/" + team, {}});
    }
  }
  for (SimUnit& unit : units_) {
    const auto subtree = admin_->directory().unit_subtree(unit.id);
    unit.subtree.insert(subtree.begin(), subtree.end());
  }
}

const SimUnit& SimWorld::unit(const std::string& id) const {
  for (const SimUnit& u : units_)
    if (u.id == id) return u;
  throw Error(ErrorDomain::internal, "sim", "no unit " + id);
}

void SimWorld::add_device(int index) {
  auto d = std::make_unique<SimDevice>();
  d->index = index;
  d->login = "d" + std::to_string(index);
  // Roles: a central office every 10th device (the first included), a unit reviewer every
  // 4th, field leaders otherwise, placed on units and teams.
  const std::size_t n_units = units_.size();
  if (index % 10 == 0) {
    d->role = "central_office";
    d->unit_id = units_[0].id;
  } else if (index % 4 == 1) {
    d->role = "unit_reviewer";
    const int u = 1 + (index / 4) % config_.units;
    d->unit_id = units_[static_cast<std::size_t>(u) * (1 + config_.teams_per_unit) -
                        static_cast<std::size_t>(config_.teams_per_unit)]
                     .id;
  } else {
    d->role = "field_leader";
    d->unit_id = units_[1 + static_cast<std::size_t>(random_() % (n_units - 1))].id;
  }
  const server::UserRecord user =
      admin_->add_user({d->login, "User " + d->login, d->role, d->unit_id}, password_of(d->login));
  users_.push_back(user);
  d->user_id = user.id;

  // Clocks: a third of the devices are right, the rest off by minutes to days, either way.
  std::int64_t skew = 0;
  const auto kind = random_() % 6;
  const std::int64_t sign = random_() % 2 ? 1 : -1;
  if (kind == 2 || kind == 3)
    skew = sign * kMinute * (1 + static_cast<std::int64_t>(random_() % 120));
  if (kind == 4) skew = sign * kHour * (2 + static_cast<std::int64_t>(random_() % 20));
  if (kind == 5) skew = sign * kDay * (1 + static_cast<std::int64_t>(random_() % 5));
  if (skew != 0) {
    ++figures.devices_skewed;
    figures.skew_min_minutes = std::min(figures.skew_min_minutes, skew / kMinute);
    figures.skew_max_minutes = std::max(figures.skew_max_minutes, skew / kMinute);
  }
  d->clock = std::make_unique<SkewedClock>(clock_, skew);
  d->random = std::make_unique<fieldsync::testing::SeededRandom>(config_.seed * 1000 + index);
  d->link =
      std::make_unique<FaultLink>(app_->handler(), random_, config_.faults, figures.faults, late_);
  d->path = dir_.path() / ("device-" + std::to_string(index) + ".db");
  client::ClientOptions options;
  options.clock = d->clock.get();
  options.random = d->random.get();
  options.transport = d->link.get();
  options.push_batch_ops = config_.push_batch_ops;
  options.page_rows = config_.page_rows;
  d->client.emplace(client::Client::open(d->path, options));
  d->device_id = d->client->device_id();
  sqlite::OpenOptions read_only;
  read_only.read_only = true;
  d->inspector.emplace(sqlite::Database::open(d->path, read_only));
  // The first sign-in happens with the link up: enrolment is not what the faults test.
  d->link->faults_on = false;
  login(*d);
  d->link->faults_on = true;
  devices_.push_back(std::move(d));
}

void SimWorld::harvest(SimDevice& d) {
  if (d.wiped || !d.inspector) return;
  sqlite::Statement& st = d.inspector->prepare_cached(
      "SELECT local_seq, op_id FROM outbox WHERE local_seq > ?1 ORDER BY local_seq");
  st.bind(1, d.last_local_seq);
  while (st.step()) {
    d.last_local_seq = st.column_int64(0);
    d.op_ids.push_back(st.column_text(1));
    ++figures.ops_created;
  }
  st.reset();
}

void SimWorld::on_client_error(SimDevice& d, const Error& e, const std::string& during) {
  if (e.domain() == ErrorDomain::transport) return;
  if (e.domain() == ErrorDomain::auth) {
    d.signed_in = false;  // sign in again later; nothing is lost
    return;
  }
  if (e.domain() == ErrorDomain::client && e.code() == "wiped") {
    if (!d.wiped) ++figures.devices_wiped;
    d.wiped = true;
    d.wiped_because = e.message();
    d.inspector.reset();
    d.client.reset();
    return;
  }
  anomalies.push_back("seed " + std::to_string(config_.seed) + ", step " + std::to_string(step_) +
                      ", device " + d.login + " (" + d.role + "), " + during + ": " +
                      std::string(to_string(e.domain())) + "/" + e.code() + ": " + e.message());
}

bool SimWorld::login(SimDevice& d) {
  try {
    d.client->login(d.login, password_of(d.login));
    if (d.signed_in == false && !d.op_ids.empty()) ++figures.relogins;
    d.signed_in = true;
    return true;
  } catch (const Error& e) {
    on_client_error(d, e, "login");
    return false;
  }
}

bool SimWorld::sync(SimDevice& d) {
  harvest(d);
  d.link->begin_sync();
  ++figures.syncs;
  bool moved = true;
  try {
    const client::SyncReport r = d.client->sync();
    figures.duplicate_answers += r.duplicates;
    figures.rows_received += r.rows_received;
    moved = r.accepted + r.duplicates + r.rejected + r.rows_received > 0;
  } catch (const Error& e) {
    ++figures.syncs_failed;
    on_client_error(d, e, "sync");
  }
  if (d.link) d.link->end_sync();
  return moved;
}

void SimWorld::deliver_some_late(bool all) {
  while (!late_.empty()) {
    const auto i = static_cast<std::ptrdiff_t>(random_() % late_.size());
    const LateRequest late = late_[static_cast<std::size_t>(i)];
    late_.erase(late_.begin() + i);
    late.link->deliver_late(late);
    if (!all) return;
  }
}

SimDevice* SimWorld::pick_live_device() {
  for (int tries = 0; tries < 64; ++tries) {
    SimDevice& d = *devices_[random_() % devices_.size()];
    if (!d.wiped) return &d;
  }
  return nullptr;
}

void SimWorld::administer() {
  const bool disable = static_cast<int>(figures.user_disables) < config_.user_disables;
  // Never the last live central office device, so the office keeps working.
  for (int tries = 0; tries < 32; ++tries) {
    SimDevice& d = *devices_[random_() % devices_.size()];
    if (d.wiped || d.role == "central_office" || d.index == 0) continue;
    if (disable) {
      admin_->disable_user(d.login);
      ++figures.user_disables;
    } else {
      admin_->revoke_device(d.device_id);
      ++figures.device_revokes;
    }
    return;
  }
}

void SimWorld::run() {
  OpMix mix(*this);
  const std::int64_t max_steps = config_.ops * 20 + 100;
  for (step_ = 0; figures.ops_created < config_.ops && step_ < max_steps; ++step_) {
    clock_.advance(std::uniform_int_distribution<std::int64_t>(0, 3 * kMinute)(random_));
    for (std::int64_t at : admin_steps_)
      if (at == step_) administer();
    // Rarely enough that the device has usually sent later requests first (reordered).
    if (!late_.empty() && random_() % 40 == 0) deliver_some_late(false);
    SimDevice* d = pick_live_device();
    if (!d) break;
    if (!d->signed_in) {
      login(*d);
      continue;
    }
    if (std::uniform_real_distribution<double>(0, 1)(random_) < config_.sync_probability) {
      sync(*d);
    } else {
      mix.write_one(*d);
      harvest(*d);
    }
  }
  figures.steps = step_;
}

void SimWorld::quiesce() {
  for (auto& d : devices_) d->link->faults_on = false;
  deliver_some_late(true);
  for (int round = 1; round <= config_.max_quiescence_rounds; ++round) {
    figures.quiescence_rounds = round;
    bool moved = false;
    for (auto& d : devices_) {
      if (d->wiped) continue;
      if (!d->signed_in && !login(*d)) {
        moved = true;
        continue;
      }
      if (d->wiped) continue;
      moved = sync(*d) || moved;
      if (!d->wiped && d->client && d->client->status().pending_ops > 0) moved = true;
    }
    if (!moved) return;
  }
  anomalies.push_back("seed " + std::to_string(config_.seed) + ": still moving after " +
                      std::to_string(config_.max_quiescence_rounds) + " quiescence rounds");
}

SimConfig bounded_config(std::uint64_t seed) {
  SimConfig c;
  c.seed = seed;
  c.devices = 10;
  c.ops = 250;
  return c;
}

SimConfig long_config(std::uint64_t seed) {
  SimConfig c;
  c.seed = seed;
  c.units = 4;
  c.teams_per_unit = 3;
  c.devices = 30;
  c.ops = 25'000;
  c.sync_probability = 0.05;
  c.push_batch_ops = 100;
  c.page_rows = 200;
  c.user_disables = 2;
  c.device_revokes = 2;
  return c;
}

}  // namespace fieldsync::sim
