// Urgent reports are stamped by the server as they reach the office, in the push's transaction.
#include <doctest/doctest.h>

#include "review_fixture.h"

using namespace fieldsync;
using namespace fieldsync::server;
using namespace fieldsync::server::testing;

TEST_CASE(
    "urgent report stamps: reached_office_at is the receive time; late only past the "
    "threshold") {
  ReviewFixture f;
  f.service.set_urgent_report_threshold_ms(kTwoHours);
  const auto a = f.leader_a();
  // Known exactly two hours before the server receives it: in time.
  Json answer = f.push(a, {f.report(a, test_id("r-edge"), kUnitA, "", "2026-11-26T10:00:00Z"),
                           f.report(a, test_id("r-over"), kUnitA, "", "2026-11-26T09:59:59Z")});
  CHECK(answer["results"][0]["status"] == "accepted");
  CHECK(answer["results"][1]["status"] == "accepted");
  const Row edge = f.row("urgent_report", test_id("r-edge"));
  CHECK(edge.values["reached_office_at"] == "2026-11-26T12:00:00.000Z");
  CHECK(edge.values["late"] == false);
  CHECK(f.row("urgent_report", test_id("r-over")).values["late"] == true);
  // The stamp is a server op, after the device's create: its version is newer.
  CHECK(edge.version > answer["results"][0]["seq"].get<std::int64_t>());
  CHECK(edge.updated_by != a.user_id);

  // A resent create is a duplicate and is not stamped again, even later.
  f.wall.advance(kTwoHours);
  Json again = f.push(a, {f.report(a, test_id("r-edge"), kUnitA, "", "2026-11-26T10:00:00Z")});
  (void)again;
  CHECK(f.row("urgent_report", test_id("r-edge")).version == edge.version);
}

TEST_CASE(
    "urgent report stamps: a device cannot write the office's fields, and the threshold is "
    "configurable") {
  ReviewFixture f;
  const auto a = f.leader_a();
  Op forged = f.report(a, test_id("r-forged"), kUnitA, "", "2026-11-26T11:59:00Z");
  forged.fields["late"] = false;
  CHECK(f.status_of(a, forged) == "rejected");
  f.service.set_urgent_report_threshold_ms(30 * 1000);  // 30 seconds
  f.push(a, {f.report(a, test_id("r-short"), kUnitA, "", "2026-11-26T11:59:00Z")});
  CHECK(f.row("urgent_report", test_id("r-short")).values["late"] == true);
}
