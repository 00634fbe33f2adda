#pragma once
// The fuzz targets. Each takes any bytes and must return without crashing, hanging or tripping
// a sanitizer; a fieldsync::Error is an expected answer to bad input, and each target checks
// invariants of what it accepts (violations abort). The same functions run under libFuzzer
// (fuzz_entry.cpp, built by scripts/fuzz.sh with clang) and over the checked-in corpus and
// regression files in the normal build (fuzz_replay, ctest "fuzz_regression").
#include <cstddef>
#include <cstdint>

namespace fieldsync::fuzz {

// One op's wire text: decode_op_text, then encode/decode round trip and validation against
// the embedded model.
int op_codec(const std::uint8_t* data, std::size_t size);
// A push request body, the whole way the server takes it: strict JSON parse, then
// SyncService::push (decode, validate, scope gate, apply) as a signed-in field leader, on a
// store in a temporary directory.
int push_body(const std::uint8_t* data, std::size_t size);
// A model document: Model::from_json, then the entity tables of any model it accepts created
// in an in-memory store.
int model_loader(const std::uint8_t* data, std::size_t size);

struct Target {
  const char* name;  // also the folder of its corpus and regressions
  int (*run)(const std::uint8_t* data, std::size_t size);
};

inline constexpr Target kTargets[] = {
    {"op_codec", op_codec}, {"push_body", push_body}, {"model_loader", model_loader}};

// Aborts with a message naming the broken invariant.
[[noreturn]] void invariant_broken(const char* what);

}  // namespace fieldsync::fuzz
