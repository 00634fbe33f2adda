#pragma once
// Storage failures that pass by themselves (a full disk freed, an I/O error, a lock released):
// the whole request fails (507 storage_full, 503 otherwise) and the device resends it later.
// Any other failure while applying ops is a fault of the server's own.
#include "fieldsync/core/error.h"

namespace fieldsync::server::detail {

inline bool retry_later(const Error& e) {
  return e.domain() == ErrorDomain::storage &&
         (e.code() == "storage_full" || e.code() == "io_error" || e.code() == "busy");
}

}  // namespace fieldsync::server::detail
