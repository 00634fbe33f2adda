// Library errors as messages a person can act on: what went wrong, in their words, and what to
// do next.
#include "fieldvisit/cli.h"

namespace fieldsync::fieldvisit {
namespace {

std::string problems_text(const Error& error) {
  std::string text;
  for (const Problem& p : error.problems()) {
    std::string field = p.field;
    if (field.starts_with("fields.")) field = field.substr(7);
    text += "\n  " + (field.empty() ? std::string() : field + ": ") +
            (p.message.empty() ? p.code : p.message);
  }
  return text;
}

std::string where(const std::string& server) {
  return server.empty() ? std::string("the server") : server;
}

}  // namespace

CliError explain(const Error& error, const std::string& doing, const std::string& server) {
  const std::string& code = error.code();
  switch (error.domain()) {
    case ErrorDomain::transport:
      if (code == "cancelled")
        return CliError(doing + " was interrupted; everything done so far is kept: run it again",
                        kExitFailed, code);
      if (code == "tls")
        return CliError("could not verify " + where(server) + ": " + error.message() +
                            "; sign in again with --ca-file FILE naming the server's CA "
                            "certificate (or --insecure, for tests only)",
                        kExitFailed, code);
      if (code == "internal_error" || code == "http_500")
        return CliError(where(server) +
                            " failed (an error of its own, logged there): " + error.message() +
                            "; nothing on this device is lost: what it did not take stays in "
                            "the outbox and is sent again at the next sync (see `fieldvisit "
                            "status`)",
                        kExitFailed, code);
      if (doing == "login")
        return CliError("could not reach " + where(server) + ": " + error.message() +
                            "; check the address and the network, then sign in again",
                        kExitFailed, code);
      return CliError("could not reach " + where(server) + ": " + error.message() +
                          "; your changes are kept and will sync later",
                      kExitFailed, code);
    case ErrorDomain::auth:
      if (code == "bad_credentials")
        return CliError("wrong user name or password for " + where(server) +
                            "; check both and sign in again (several failures in a row lock "
                            "sign-in for a while)",
                        kExitFailed, code);
      if (code == "throttled")
        return CliError(
            "too many failed sign-ins: " + error.message() + "; wait, then sign in again",
            kExitFailed, code);
      if (code == "not_signed_in" || code == "token_missing" || code == "token_invalid" ||
          code == "token_expired")
        return CliError(
            "not signed in (or the sign-in expired): run `fieldvisit login --user "
            "NAME` first; nothing recorded on this device is lost",
            kExitFailed, code);
      if (code == "other_user")
        return CliError(error.message() + "; use another --db file for another user", kExitFailed,
                        code);
      return CliError(error.message(), kExitFailed, code);
    case ErrorDomain::client:
      if (code == "wiped")
        return CliError("this device was wiped: " + error.message(), kExitFailed, code);
      return CliError(error.message(), kExitFailed, code);
    case ErrorDomain::validation:
    case ErrorDomain::merge:
    case ErrorDomain::codec:
      if (error.problems().empty()) return CliError(error.message(), kExitFailed, code);
      return CliError("nothing was saved:" + problems_text(error), kExitFailed, code);
    case ErrorDomain::storage:
      return CliError("the device database could not be used: " + error.message(), kExitFailed,
                      code);
    default:
      return CliError(doing + " failed: " + error.message() + problems_text(error), kExitFailed,
                      code);
  }
}

}  // namespace fieldsync::fieldvisit
