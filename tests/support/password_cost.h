#pragma once
// The PBKDF2 cost of the passwords tests and benchmarks create. Sign-in cost is not what they
// measure, and every stored hash records its own count, so they hash with 1,000 iterations
// instead of the production 600,000 (~0.5 s per hash or sign-in under the sanitizers). One
// integration test (api_auth_test) keeps the production count and checks it.
namespace fieldsync::testing {

inline constexpr int kTestPasswordIterations = 1000;
// The same, as the value of fieldsync-server's --password-iterations.
inline constexpr const char* kTestPasswordIterationsArg = "1000";

}  // namespace fieldsync::testing
