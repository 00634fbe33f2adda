// UUIDv7 ids from injected time and randomness, the canonical-text check, and name-based
// (SHA-256, UUIDv8 layout) ids.
#include "fieldsync/core/uuid.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "fakes.h"
#include "fieldsync/core/error.h"

namespace fieldsync {
namespace {

using testing::SeededRandom;

constexpr std::int64_t kMs = 1'700'000'000'123;  // 0x018bcfe5687b
constexpr std::int64_t kMaxMs = (std::int64_t{1} << 48) - 1;

// Fills every byte with the same value, so the expected id can be written out by hand.
class ConstantRandom final : public RandomSource {
 public:
  explicit ConstantRandom(std::uint8_t value) : value_(value) {}
  void fill(std::span<std::uint8_t> out) override { std::fill(out.begin(), out.end(), value_); }

 private:
  std::uint8_t value_;
};

// The 48-bit timestamp held in the first 12 hex digits of a UUIDv7.
std::int64_t embedded_ms(const std::string& id) {
  return std::stoll(id.substr(0, 8) + id.substr(9, 4), nullptr, 16);
}

TEST_CASE("make_uuid_v7 gives canonical lower-case text") {
  SeededRandom random(1);
  for (int i = 0; i < 100; ++i) {
    const std::string id = make_uuid_v7(kMs + i, random);
    CAPTURE(id);
    REQUIRE(id.size() == 36);
    CHECK(is_uuid(id));
    CHECK(id.find_first_not_of("0123456789abcdef-") == std::string::npos);
  }
}

TEST_CASE("make_uuid_v7 puts the timestamp, version and variant where RFC 9562 says") {
  ConstantRandom zeros(0x00);
  ConstantRandom ones(0xFF);
  CHECK(make_uuid_v7(kMs, zeros) == "018bcfe5-687b-7000-8000-000000000000");
  CHECK(make_uuid_v7(kMs, ones) == "018bcfe5-687b-7fff-bfff-ffffffffffff");
  CHECK(make_uuid_v7(0, zeros) == "00000000-0000-7000-8000-000000000000");
  CHECK(make_uuid_v7(kMaxMs, zeros) == "ffffffff-ffff-7000-8000-000000000000");
}

TEST_CASE("make_uuid_v7 sets version 7 and variant 10 whatever the random bytes") {
  for (std::uint64_t seed = 0; seed < 256; ++seed) {
    SeededRandom random(seed);
    const std::string id = make_uuid_v7(kMs, random);
    CAPTURE(id);
    REQUIRE(id[14] == '7');
    REQUIRE(std::string("89ab").find(id[19]) != std::string::npos);
  }
}

TEST_CASE("the embedded timestamp decodes back to the given milliseconds") {
  SeededRandom random(3);
  for (const std::int64_t ms :
       {std::int64_t{0}, std::int64_t{1}, std::int64_t{255}, std::int64_t{256}, kMs, kMaxMs}) {
    CAPTURE(ms);
    CHECK(embedded_ms(make_uuid_v7(ms, random)) == ms);
  }
}

TEST_CASE("ids made in increasing milliseconds sort increasingly as text") {
  std::vector<std::int64_t> times = {0, 1, 255, 256, 65'535, 65'536, kMs, kMs + 1, kMaxMs};
  for (std::int64_t ms = kMs + 2; ms < kMs + 1000; ms += 7) times.push_back(ms);
  std::sort(times.begin(), times.end());
  std::string previous;
  std::uint64_t seed = 1000;
  for (const std::int64_t ms : times) {
    SeededRandom random(seed--);  // random parts in no particular order
    const std::string id = make_uuid_v7(ms, random);
    CAPTURE(previous);
    CAPTURE(id);
    REQUIRE(id > previous);
    previous = id;
  }
}

TEST_CASE("different seeds give different ids; the same seed gives the same id") {
  std::set<std::string> ids;
  for (std::uint64_t seed = 0; seed < 100; ++seed) {
    SeededRandom random(seed);
    ids.insert(make_uuid_v7(kMs, random));
  }
  CHECK(ids.size() == 100);

  SeededRandom a(12345);
  SeededRandom b(12345);
  const std::string first = make_uuid_v7(kMs, a);
  CHECK(first == make_uuid_v7(kMs, b));
  CHECK(first != make_uuid_v7(kMs, a));  // the source moved on
}

TEST_CASE("make_uuid_v7 refuses a timestamp outside 48 bits") {
  ConstantRandom zeros(0x00);
  for (const std::int64_t ms : {std::int64_t{-1}, kMaxMs + 1}) {
    CAPTURE(ms);
    try {
      (void)make_uuid_v7(ms, zeros);
      FAIL("expected an Error");
    } catch (const Error& error) {
      CHECK(error.domain() == ErrorDomain::internal);
      CHECK(error.code() == "uuid_time_out_of_range");
    }
  }
}

TEST_CASE("is_uuid accepts canonical text in either case") {
  CHECK(is_uuid("018bcfe5-687b-7000-8000-000000000000"));
  CHECK(is_uuid("018BCFE5-687B-7ABC-9DEF-ABCDEF012345"));
  CHECK(is_uuid("00000000-0000-0000-0000-000000000000"));
}

TEST_CASE("is_uuid rejects anything else") {
  const char* const rejected[] = {
      "",
      "018bcfe5-687b-7000-8000-00000000000",      // 35 characters
      "018bcfe5-687b-7000-8000-0000000000000",    // 37 characters
      "018bcfe5687b70008000000000000000",         // no dashes
      "018bcfe5687b-7000-8000-000000000000",      // a missing dash
      "018bcfe-5687b-7000-8000-000000000000",     // dash in the wrong place
      "018bcfe5-687b-7000-8000_000000000000",     // wrong separator
      "018bcfe5-687b-7000-8000-00000000000g",     // non-hex letter
      "018bcfe5-687b-7000-8000-00000000000 ",     // space
      "{018bcfe5-687b-7000-8000-00000000000}",    // braces
      "018bcfe5-687b-7000-8000-0000000000-0",     // dash among the last digits
      "urn:uuid:018bcfe5-687b-7000-8000-000000",  // prefix
  };
  for (const char* text : rejected) {
    CAPTURE(text);
    CHECK_FALSE(is_uuid(text));
  }
}

TEST_CASE("make_uuid_from_name is SHA-256 in the UUIDv8 layout") {
  // First 16 bytes of SHA-256, version nibble 8, variant 10.
  CHECK(make_uuid_from_name("abc") == "ba7816bf-8f01-8fea-8141-40de5dae2223");
  CHECK(make_uuid_from_name("") == "e3b0c442-98fc-8c14-9afb-f4c8996fb924");
}

TEST_CASE("make_uuid_from_name is stable for a name and distinct across names") {
  const std::string id = make_uuid_from_name("conflict:case-17:status");
  CHECK(is_uuid(id));
  CHECK(id[14] == '8');
  CHECK(std::string("89ab").find(id[19]) != std::string::npos);
  CHECK(make_uuid_from_name("conflict:case-17:status") == id);

  std::set<std::string> ids;
  for (int i = 0; i < 100; ++i) ids.insert(make_uuid_from_name("conflict:" + std::to_string(i)));
  CHECK(ids.size() == 100);
  CHECK(make_uuid_from_name("a") != make_uuid_from_name("b"));
  CHECK(make_uuid_from_name("a") != make_uuid_from_name("A"));
}

}  // namespace
}  // namespace fieldsync
