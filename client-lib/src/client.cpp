#include "fieldsync/client/client.h"

#include "client_impl.h"
#include "fieldsync/core/error.h"
#include "fieldsync/core/uuid.h"
#include "fieldsync/sqlite/embedded_schema.h"
#include "fieldsync/sqlite/transaction.h"
#include "server_api.h"
#include "sync_engine.h"
#include "time_text.h"

namespace fieldsync::client {
namespace {

const Model& embedded_model() {
  static const Model model = Model::from_json(Json::parse(sqlite::embedded_model_json()));
  return model;
}

ClientOptions checked(ClientOptions options) {
  if (options.push_batch_ops < 1 || options.push_batch_ops > kPushBatchOps)
    throw Error(ErrorDomain::client, "bad_options",
                "push_batch_ops must be 1 to " + std::to_string(kPushBatchOps));
  if (options.page_rows < 1)
    throw Error(ErrorDomain::client, "bad_options", "page_rows must be at least 1");
  return options;
}

}  // namespace

Client::Impl::Impl(const std::filesystem::path& file, const ClientOptions& given)
    : path(file),
      options(checked(given)),
      own_clock(given.clock ? nullptr : std::make_unique<SystemClock>()),
      own_random(given.random ? nullptr : std::make_unique<SecureRandom>()),
      clock(given.clock ? given.clock : own_clock.get()),
      random(given.random ? given.random : own_random.get()),
      model(embedded_model()),
      local(std::make_unique<LocalStore>(file, model, given.storage_vfs)),
      hlc(*clock) {
  sqlite::Transaction tx(local->db);
  if (auto last = Hlc::parse(local->state.get_or(state_key::hlc, ""))) hlc.restore(*last);
  auto id = local->state.get(state_key::device_id);
  if (!id) {
    id = make_uuid_v7(std::max<std::int64_t>(0, clock->now_ms()), *random);
    local->state.set(state_key::device_id, *id);
  }
  device_id = *id;
  tx.commit();
}

LocalStore& Client::Impl::store() const {
  if (!local) throw Error(ErrorDomain::client, "wiped", wiped_because);
  return *local;
}

Writer Client::Impl::writer() const {
  const std::string user = store().state.get_or(state_key::user_id, "");
  if (user.empty())
    throw Error(ErrorDomain::auth, "not_signed_in",
                "sign in once on this device before writing: changes are made in a user's name");
  return {device_id, user};
}

Op Client::Impl::write(OpKind kind, const std::string& entity, const std::string& id,
                       const Json& fields) {
  if (entity == "case" || entity == "petitioner") return write_case_part(kind, entity, id, fields);
  OpWriter op_writer(store(), model, hlc, *clock, *random);
  return op_writer.write(writer(), kind, entity, id, fields);
}

void Client::Impl::wipe(const Error& cause) {
  wiped_because = "the server refused this device (" + cause.code() +
                  "): its local data was deleted as the organisation requires; " +
                  "ask the office to enrol a device again";
  local.reset();  // closes the connection, so the files can go
  delete_database_files(path);
  throw Error(ErrorDomain::client, "wiped", wiped_because);
}

void Client::Impl::remember_error(const Error& e) {
  if (!local) return;
  try {
    const Json doc = {{"domain", to_string(e.domain())},
                      {"code", e.code()},
                      {"message", e.message()},
                      {"at", format_time(clock->now_ms())}};
    sqlite::Transaction tx(local->db);
    local->state.set(state_key::last_error, doc.dump());
    tx.commit();
  } catch (const Error&) {
    // The error being reported matters more than failing to note it.
  }
}

Client::Client(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;
Client::~Client() = default;

Client Client::open(const std::filesystem::path& path, ClientOptions options) {
  return Client(std::make_unique<Impl>(path, options));
}

const std::string& Client::device_id() const {
  return impl_->device_id;
}

void Client::set_transport(Transport* transport) {
  impl_->options.transport = transport;
}

void Client::set_server_url(const std::string& url) {
  LocalStore& local = impl_->store();
  sqlite::Transaction tx(local.db);
  local.state.set(state_key::server_url, url);
  tx.commit();
}

std::optional<std::string> Client::server_url() const {
  return impl_->store().state.get(state_key::server_url);
}

SignedIn Client::login(const std::string& login, const std::string& password,
                       const std::string& device_name) {
  LocalStore& local = impl_->store();
  try {
    if (!impl_->options.transport)
      throw Error(ErrorDomain::transport, "offline",
                  "sign-in needs the server, and this device has no connection set up");
    ServerApi api(*impl_->options.transport);
    const LoginAnswer answer = api.login(login, password, impl_->device_id, device_name);
    const std::string known = local.state.get_or(state_key::user_id, "");
    if (!known.empty() && known != answer.user_id)
      throw Error(ErrorDomain::auth, "other_user",
                  "this device's data belongs to another user; sign in as that user");
    sqlite::Transaction tx(local.db);
    local.state.set(state_key::token, answer.token);
    local.state.set(state_key::user_id, answer.user_id);
    local.state.set(state_key::unit_id, answer.unit_id);
    local.state.set(state_key::role, answer.role);
    local.state.set(state_key::token_expires_at, answer.expires_at);
    local.state.erase(state_key::last_error);
    tx.commit();
    return {answer.user_id, answer.unit_id, answer.role, answer.expires_at};
  } catch (const Error& e) {
    if (e.domain() == ErrorDomain::auth && is_wipe_code(e.code())) impl_->wipe(e);
    impl_->remember_error(e);
    throw;
  }
}

void Client::forget_token() {
  LocalStore& local = impl_->store();
  sqlite::Transaction tx(local.db);
  local.state.erase(state_key::token);
  tx.commit();
}

SyncReport Client::sync(const SyncOptions& options) {
  LocalStore& local = impl_->store();
  try {
    if (!impl_->options.transport)
      throw Error(ErrorDomain::transport, "offline",
                  "no connection to the server is set up; keep working, then sync again");
    const std::string token = local.state.get_or(state_key::token, "");
    if (token.empty()) throw Error(ErrorDomain::auth, "not_signed_in", "sign in before syncing");
    ServerApi api(*impl_->options.transport);
    SyncEngine engine(local, impl_->model, api, impl_->hlc, *impl_->clock, impl_->options);
    return engine.run(options, token);
  } catch (const Error& e) {
    if (e.domain() == ErrorDomain::auth && is_wipe_code(e.code())) impl_->wipe(e);
    if (e.domain() == ErrorDomain::auth &&
        (e.code() == "token_expired" || e.code() == "token_invalid"))
      forget_token();
    impl_->remember_error(e);
    throw;
  } catch (const std::exception& e) {
    const Error wrapped(ErrorDomain::protocol, "bad_response",
                        std::string("sync stopped on an answer it could not read: ") + e.what());
    impl_->remember_error(wrapped);
    throw wrapped;
  }
}

SyncStatus Client::status() const {
  LocalStore& local = impl_->store();
  SyncStatus s;
  s.device_id = impl_->device_id;
  s.user_id = local.state.get_or(state_key::user_id, "");
  s.unit_id = local.state.get_or(state_key::unit_id, "");
  s.role = local.state.get_or(state_key::role, "");
  s.signed_in = !local.state.get_or(state_key::token, "").empty();
  s.pending_ops = local.outbox.awaiting_count();
  s.rejected = rejected_ops();
  s.held = held_ops();
  s.open_conflicts = static_cast<std::int64_t>(open_conflicts().size());
  s.snapshot_done = local.state.get_int(state_key::snapshot_done) != 0;
  s.cursor = local.state.get_int(state_key::cursor);
  s.last_sync_at = local.state.get(state_key::last_sync_at);
  if (auto text = local.state.get(state_key::last_error)) {
    const Json doc = Json::parse(*text, nullptr, false);
    if (doc.is_object())
      s.last_error = LastError{doc.value("domain", ""), doc.value("code", ""),
                               doc.value("message", ""), doc.value("at", "")};
  }
  return s;
}

std::vector<RejectedOp> Client::rejected_ops() const {
  std::vector<RejectedOp> out;
  for (const OutboxEntry& e : impl_->store().outbox.rejected())
    out.push_back({e.op.op_id, e.op.entity, e.op.id, std::string(to_string(e.op.kind)), e.op.fields,
                   e.op.hlc.to_string(), e.problems()});
  return out;
}

std::vector<HeldOp> Client::held_ops() const {
  std::vector<HeldOp> out;
  for (const OutboxEntry& e : impl_->store().outbox.held()) {
    const std::vector<Problem> problems = e.problems();
    out.push_back({e.op.op_id, e.op.entity, e.op.id, std::string(to_string(e.op.kind)),
                   e.server_failures, problems.empty() ? std::string() : problems.front().message,
                   e.updated_at});
  }
  return out;
}

std::int64_t Client::retry_failed() {
  LocalStore& local = impl_->store();
  sqlite::Transaction tx(local.db);
  const std::int64_t n = local.outbox.retry_held();
  tx.commit();
  return n;
}

void Client::discard_rejected(const std::string& op_id) {
  LocalStore& local = impl_->store();
  sqlite::Transaction tx(local.db);
  if (!local.outbox.discard_rejected(op_id))
    throw Error(ErrorDomain::client, "unknown_op", "no rejected op " + op_id + " on this device");
  tx.commit();
}

}  // namespace fieldsync::client
