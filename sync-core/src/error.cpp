#include "fieldsync/core/error.h"

namespace fieldsync {

std::string_view to_string(ErrorDomain domain) {
  switch (domain) {
    case ErrorDomain::model: return "model";
    case ErrorDomain::codec: return "codec";
    case ErrorDomain::validation: return "validation";
    case ErrorDomain::merge: return "merge";
    case ErrorDomain::storage: return "storage";
    case ErrorDomain::auth: return "auth";
    case ErrorDomain::scope: return "scope";
    case ErrorDomain::protocol: return "protocol";
    case ErrorDomain::transport: return "transport";
    case ErrorDomain::client: return "client";
    case ErrorDomain::internal: return "internal";
  }
  return "internal";
}

Error::Error(ErrorDomain domain, std::string code, std::string message,
             std::vector<Problem> problems)
    : domain_(domain),
      code_(std::move(code)),
      message_(std::move(message)),
      problems_(std::move(problems)) {
  what_ = std::string(to_string(domain_)) + "/" + code_ + ": " + message_;
  for (const auto& p : problems_) {
    what_ += "\n  " + (p.field.empty() ? std::string("(input)") : p.field) + ": " + p.code + ": " +
             p.message;
  }
}

}  // namespace fieldsync
