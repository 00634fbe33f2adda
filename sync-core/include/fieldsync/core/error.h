#pragma once
// The one error type used across FieldSync: a domain, a stable machine code, a message a
// person can act on, and, for input checks, one Problem per offending field.
#include <exception>
#include <string>
#include <string_view>
#include <vector>

namespace fieldsync {

// Which part of the system refused or failed. Stable names: they appear on the wire.
enum class ErrorDomain {
  model,       // the domain model file
  codec,       // an op or message that is not well-formed
  validation,  // a well-formed op that breaks the model's rules
  merge,       // applying an op to state
  storage,     // SQLite / PostgreSQL
  auth,        // login, tokens, devices
  scope,       // unit scoping and roles
  protocol,    // HTTP API misuse
  transport,   // network
  client,      // the tablet library's own checks
  internal,    // a bug: should never be seen
};

std::string_view to_string(ErrorDomain domain);

// One problem with one field of an input. `field` is a dotted path ("fields.status"), empty
// when the problem concerns the whole input.
struct Problem {
  std::string field;
  std::string code;
  std::string message;

  bool operator==(const Problem&) const = default;
};

// Thrown by every FieldSync component. code() is stable and documented in docs/protocol.md.
class Error : public std::exception {
 public:
  Error(ErrorDomain domain, std::string code, std::string message,
        std::vector<Problem> problems = {});

  ErrorDomain domain() const noexcept { return domain_; }
  const std::string& code() const noexcept { return code_; }
  const std::string& message() const noexcept { return message_; }
  const std::vector<Problem>& problems() const noexcept { return problems_; }
  const char* what() const noexcept override { return what_.c_str(); }

 private:
  ErrorDomain domain_;
  std::string code_;
  std::string message_;
  std::vector<Problem> problems_;
  std::string what_;
};

}  // namespace fieldsync
