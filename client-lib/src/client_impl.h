#pragma once
// The state behind a Client, shared by the files that implement its calls
// (client.cpp: open, sign-in, sync, status; client_writes.cpp; client_reads.cpp).
#include <filesystem>
#include <memory>
#include <string>

#include "fieldsync/client/client.h"
#include "fieldsync/core/hlc.h"
#include "fieldsync/core/model.h"
#include "local_store.h"
#include "op_writer.h"

namespace fieldsync::client {

class Client::Impl {
 public:
  Impl(const std::filesystem::path& path, const ClientOptions& options);

  // The open store. Throws Error{client, "wiped"} once the device wiped its data.
  // Const reads still use the connection's statement cache, hence a mutable store.
  LocalStore& store() const;
  // The signed-in user as op author. Throws Error{auth, "not_signed_in"} before any sign-in.
  Writer writer() const;
  // One op through OpWriter; a case or petitioner op goes through write_case_part.
  Op write(OpKind kind, const std::string& entity, const std::string& id, const Json& fields);
  // A case or petitioner op with what follows from it, in one transaction
  // (case_rules_writes.cpp): origin_unit_id and resolved_at / closed_at filled in, then the
  // case's tablet kind flags refreshed.
  Op write_case_part(OpKind kind, const std::string& entity, const std::string& id, Json fields);
  // Brings the case's tablet kind flags up to date (an extra update op when they changed).
  void refresh_kind_flags(const std::string& case_id);
  // The view's row, not deleted; else Error{client, "unknown_row"}.
  Row require_row(const std::string& entity, const std::string& id) const;
  Record record(const Row& row) const;

  // Closes and deletes the database files, then throws Error{client, "wiped"}.
  [[noreturn]] void wipe(const Error& cause);
  // Stores `e` as the last error (best effort: a storage failure here is ignored).
  void remember_error(const Error& e);

  std::filesystem::path path;
  ClientOptions options;
  std::unique_ptr<WallClock> own_clock;
  std::unique_ptr<RandomSource> own_random;
  WallClock* clock = nullptr;
  RandomSource* random = nullptr;
  Model model;
  std::unique_ptr<LocalStore> local;
  HlcClock hlc;
  std::string device_id;
  std::string wiped_because;  // non-empty once wiped
};

}  // namespace fieldsync::client
