// HlcClock and Hlc text form: monotonic stamps over a misbehaving wall clock, HLC merges
// of remote stamps, the future-stamp bound, and the fixed-width text encoding.
#include "fieldsync/core/hlc.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "fakes.h"
#include "fieldsync/core/error.h"

namespace fieldsync {
namespace {

using testing::FakeClock;

constexpr std::int64_t kT = 1'700'000'000'000;
constexpr std::int64_t kBound = 60'000;
constexpr std::uint32_t kMaxCounter = 0xFFFF;

TEST_CASE("now() starts at the wall clock and counts within one millisecond") {
  FakeClock clock(kT);
  HlcClock hlc(clock);
  CHECK(hlc.now() == Hlc{kT, 0});
  CHECK(hlc.now() == Hlc{kT, 1});
  CHECK(hlc.now() == Hlc{kT, 2});
  clock.advance(1);
  CHECK(hlc.now() == Hlc{kT + 1, 0});
  CHECK(hlc.last() == Hlc{kT + 1, 0});
}

TEST_CASE("now() stays strictly increasing when the wall clock jumps backwards") {
  FakeClock clock(kT);
  HlcClock hlc(clock);
  Hlc previous = hlc.now();
  for (std::uint32_t step = 1; step <= 1000; ++step) {
    clock.set(kT - static_cast<std::int64_t>(step) * 7);
    const Hlc stamp = hlc.now();
    REQUIRE(stamp > previous);
    CHECK(stamp == Hlc{kT, step});
    previous = stamp;
  }
}

TEST_CASE("now() is strictly increasing and never behind the wall clock under random jumps") {
  FakeClock clock(kT);
  HlcClock hlc(clock);
  std::mt19937_64 engine(42);
  std::uniform_int_distribution<std::int64_t> jump(-5'000, 5'000);
  Hlc previous = hlc.now();
  for (int i = 0; i < 5000; ++i) {
    clock.advance(jump(engine));
    const Hlc stamp = hlc.now();
    REQUIRE(stamp > previous);
    REQUIRE(stamp.wall_ms >= clock.ms);
    REQUIRE(stamp.counter <= kMaxCounter);
    previous = stamp;
  }
}

TEST_CASE("now() follows a forward jump of the wall clock and resets the counter") {
  FakeClock clock(kT);
  HlcClock hlc(clock);
  hlc.now();
  hlc.now();
  CHECK(hlc.now() == Hlc{kT, 2});
  clock.advance(10'000);
  CHECK(hlc.now() == Hlc{kT + 10'000, 0});
}

TEST_CASE("counter overflow advances the wall component by one millisecond") {
  FakeClock clock(kT);
  HlcClock hlc(clock);

  SUBCASE("after 2^16 stamps in one millisecond") {
    Hlc previous = hlc.now();
    for (std::uint32_t i = 1; i <= kMaxCounter; ++i) {
      const Hlc stamp = hlc.now();
      REQUIRE(stamp == Hlc{kT, i});
      previous = stamp;
    }
    CHECK(previous == Hlc{kT, kMaxCounter});
    CHECK(hlc.now() == Hlc{kT + 1, 0});
    CHECK(hlc.now() == Hlc{kT + 1, 1});
  }
  SUBCASE("from a restored stamp with a full counter") {
    hlc.restore(Hlc{kT, kMaxCounter});
    CHECK(hlc.now() == Hlc{kT + 1, 0});
  }
  SUBCASE("on receive of a remote stamp with a full counter") {
    hlc.now();
    const ReceiveResult result = hlc.receive(Hlc{kT, kMaxCounter});
    CHECK(result.verdict == RemoteStampVerdict::accepted);
    CHECK(result.stamp == Hlc{kT + 1, 0});
  }
}

TEST_CASE("receive() merges a remote stamp ahead of the local clock") {
  FakeClock clock(kT);
  HlcClock hlc(clock, kBound);
  hlc.now();
  hlc.now();
  const Hlc remote{kT + 100, 7};
  const ReceiveResult result = hlc.receive(remote);
  CHECK(result.verdict == RemoteStampVerdict::accepted);
  CHECK(result.stamp == Hlc{kT + 100, 8});
  CHECK(hlc.last() == result.stamp);
  CHECK(hlc.now() == Hlc{kT + 100, 9});
}

TEST_CASE("receive() of a remote stamp behind the local clock keeps local time") {
  FakeClock clock(kT);
  HlcClock hlc(clock, kBound);

  SUBCASE("last local stamp is the maximum") {
    hlc.restore(Hlc{kT, 4});
    const ReceiveResult result = hlc.receive(Hlc{kT - 500, 99});
    CHECK(result.verdict == RemoteStampVerdict::accepted);
    CHECK(result.stamp == Hlc{kT, 5});
  }
  SUBCASE("wall clock is ahead of both stamps") {
    hlc.restore(Hlc{kT - 10, 3});
    const ReceiveResult result = hlc.receive(Hlc{kT - 5, 9});
    CHECK(result.verdict == RemoteStampVerdict::accepted);
    CHECK(result.stamp == Hlc{kT, 0});
  }
}

TEST_CASE("receive() with equal wall components takes the larger counter plus one") {
  FakeClock clock(kT);
  HlcClock hlc(clock, kBound);
  hlc.restore(Hlc{kT, 4});
  CHECK(hlc.receive(Hlc{kT, 9}).stamp == Hlc{kT, 10});
  CHECK(hlc.receive(Hlc{kT, 2}).stamp == Hlc{kT, 11});
  CHECK(hlc.now() == Hlc{kT, 12});
}

TEST_CASE("restore() makes later stamps follow the persisted one") {
  FakeClock clock(kT);
  HlcClock hlc(clock);
  hlc.restore(Hlc{kT + 1000, 42});
  CHECK(hlc.last() == Hlc{kT + 1000, 42});
  CHECK(hlc.now() == Hlc{kT + 1000, 43});
  clock.set(kT + 2000);
  CHECK(hlc.now() == Hlc{kT + 2000, 0});
}

TEST_CASE("restore() of an older stamp never moves the clock backwards") {
  FakeClock clock(kT);
  HlcClock hlc(clock);
  hlc.now();
  hlc.now();
  hlc.restore(Hlc{kT - 100, 5});
  CHECK(hlc.last() == Hlc{kT, 1});
  CHECK(hlc.now() == Hlc{kT, 2});
}

TEST_CASE("a remote stamp exactly at the future bound is accepted") {
  FakeClock clock(kT);
  for (const FutureStampPolicy policy : {FutureStampPolicy::clamp, FutureStampPolicy::refuse}) {
    HlcClock hlc(clock, kBound, policy);
    const ReceiveResult result = hlc.receive(Hlc{kT + kBound, 3});
    CHECK(result.verdict == RemoteStampVerdict::accepted);
    CHECK(result.stamp == Hlc{kT + kBound, 4});
  }
}

TEST_CASE("clamp policy: a far-future remote stamp is clamped to wall + bound") {
  FakeClock clock(kT);
  HlcClock hlc(clock, kBound, FutureStampPolicy::clamp);
  const Hlc before = hlc.now();
  const Hlc remote{kT + 10LL * 24 * 3600 * 1000, 7};

  const ReceiveResult result = hlc.receive(remote);
  CHECK(result.verdict == RemoteStampVerdict::clamped);
  CHECK(result.stamp == Hlc{kT + kBound, 8});
  CHECK(result.stamp > before);
  CHECK(hlc.last() == result.stamp);

  clock.advance(1);
  const Hlc after = hlc.now();
  CHECK(after > result.stamp);
  CHECK(after == Hlc{kT + kBound, 9});
  CHECK(after.wall_ms < remote.wall_ms);

  clock.set(kT + kBound + 10);
  CHECK(hlc.now() == Hlc{kT + kBound + 10, 0});
}

TEST_CASE("clamp policy: the default bound is five minutes") {
  FakeClock clock(kT);
  HlcClock hlc(clock);
  CHECK(hlc.receive(Hlc{kT + HlcClock::kDefaultMaxFutureMs, 0}).verdict ==
        RemoteStampVerdict::accepted);
  const ReceiveResult result = hlc.receive(Hlc{kT + HlcClock::kDefaultMaxFutureMs + 1, 0});
  CHECK(result.verdict == RemoteStampVerdict::clamped);
  CHECK(result.stamp == Hlc{kT + 5 * 60 * 1000, 2});
}

TEST_CASE("refuse policy: a far-future remote stamp leaves the clock unchanged") {
  FakeClock clock(kT);
  HlcClock hlc(clock, kBound, FutureStampPolicy::refuse);
  const Hlc before = hlc.now();
  const Hlc remote{kT + kBound + 1, 7};

  const ReceiveResult result = hlc.receive(remote);
  CHECK(result.verdict == RemoteStampVerdict::refused);
  CHECK(result.stamp == remote);
  CHECK(hlc.last() == before);

  const Hlc after = hlc.now();
  CHECK(after > before);
  CHECK(after == Hlc{kT, 1});
  CHECK(after.wall_ms < remote.wall_ms);
}

TEST_CASE("Hlc::to_string writes fixed-width decimal wall and lower-case hex counter") {
  CHECK(Hlc{kT + 123, 0x1a2b}.to_string() == "1700000000123-1a2b");
  CHECK(Hlc{0, 0}.to_string() == "0000000000000-0000");
  CHECK(Hlc{42, kMaxCounter}.to_string() == "0000000000042-ffff");
  CHECK(Hlc{9'999'999'999'999, 0x10}.to_string() == "9999999999999-0010");
}

TEST_CASE("Hlc::to_string refuses stamps that do not fit the text form") {
  for (const Hlc stamp : {Hlc{-1, 0}, Hlc{10'000'000'000'000, 0}, Hlc{kT, kMaxCounter + 1}}) {
    CAPTURE(stamp.wall_ms);
    CAPTURE(stamp.counter);
    try {
      (void)stamp.to_string();
      FAIL("expected an Error");
    } catch (const Error& error) {
      CHECK(error.domain() == ErrorDomain::internal);
      CHECK(error.code() == "hlc_out_of_range");
    }
  }
}

TEST_CASE("Hlc::parse reads back what to_string wrote") {
  FakeClock clock(kT);
  HlcClock hlc(clock);
  std::vector<Hlc> stamps = {Hlc{0, 0}, Hlc{1, 1}, Hlc{kT + 123, 0x1a2b},
                             Hlc{9'999'999'999'999, kMaxCounter}};
  for (int i = 0; i < 20; ++i) stamps.push_back(hlc.now());
  for (const Hlc& stamp : stamps) {
    const std::string text = stamp.to_string();
    CAPTURE(text);
    const std::optional<Hlc> parsed = Hlc::parse(text);
    REQUIRE(parsed.has_value());
    CHECK(*parsed == stamp);
  }
  CHECK(Hlc::parse("1700000000123-00ff") == Hlc{kT + 123, 0xff});
}

TEST_CASE("Hlc::parse rejects text that is not exactly the fixed shape") {
  const char* const rejected[] = {
      "",
      "-",
      "170000000012-1a2b",     // 12 wall digits
      "17000000001234-1a2b",   // 14 wall digits
      "1700000000123-1a2",     // 3 counter digits
      "1700000000123-1a2bc",   // 5 counter digits
      "1700000000123-1A2B",    // upper-case hex
      "1700000000123-1a2B",    // one upper-case digit
      "1700000000123_1a2b",    // wrong separator
      "17000000001231a2b",     // no separator
      "17000000001x3-1a2b",    // junk in the wall
      "1700000000123-1g2b",    // junk in the counter
      "+700000000123-1a2b",    // sign
      "-700000000123-1a2b",    // sign
      " 1700000000123-1a2b",   // leading space
      "1700000000123-1a2b\n",  // trailing newline
      "1700000000123 -1a2b",   // inner space
      "hello, world! ....",    // junk of the right length
  };
  for (const char* text : rejected) {
    CAPTURE(text);
    CHECK_FALSE(Hlc::parse(text).has_value());
  }
  CHECK_FALSE(Hlc::parse(std::string_view("1700000000123-1a2b\0", 19)).has_value());
}

TEST_CASE("ordering of the text form equals ordering of the stamps") {
  std::vector<Hlc> stamps = {Hlc{9, 0},   Hlc{10, 0},    Hlc{99, 0xf},   Hlc{99, 0x10},
                             Hlc{100, 0}, Hlc{kT, 0xff}, Hlc{kT, 0x100}, Hlc{kT + 1, 0}};
  std::mt19937_64 engine(7);
  std::uniform_int_distribution<std::int64_t> wall(0, 9'999'999'999'999);
  std::uniform_int_distribution<std::uint32_t> counter(0, kMaxCounter);
  for (int i = 0; i < 150; ++i) {
    const std::int64_t w = i % 3 == 0 ? kT : wall(engine);  // many equal walls
    stamps.push_back(Hlc{w, counter(engine)});
  }
  for (const Hlc& a : stamps) {
    for (const Hlc& b : stamps) {
      const std::string ta = a.to_string();
      const std::string tb = b.to_string();
      CAPTURE(ta);
      CAPTURE(tb);
      REQUIRE((a < b) == (ta < tb));
      REQUIRE((a == b) == (ta == tb));
    }
  }
}

}  // namespace
}  // namespace fieldsync
