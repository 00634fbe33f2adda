// Bad queries to the review API (GET /v1/cases, GET /v1/reports/metrics): unknown parameters,
// values out of their form, another unit's id, a backwards period. Each refused with its
// documented answer, the store unchanged.
#include <string>

#include <doctest/doctest.h>

#include "bad_input_world.h"

namespace fieldsync::testing {

TEST_CASE("bad review queries") {
  BadInputWorld world;
  HttpClient& http = world.http();
  const Device& a = world.a();
  const auto get = [&](const std::string& path) {
    return [&http, &world, &a, path] {
      return http.get(world.url(path), {{"Authorization", "Bearer " + a.token}});
    };
  };

  world.refused("unknown query parameter", get("/v1/cases?colour=red"), 400, "unknown_parameter");
  world.refused("case filter status not a state", get("/v1/cases?status=lost"), 400, "bad_status");
  world.refused("case page limit out of range", get("/v1/cases?limit=0"), 400, "bad_limit");
  world.refused("another unit in a case filter", get("/v1/cases?unit=" + world.b().unit_id), 404,
                "unknown_unit");
  world.refused("metrics period backwards",
                get("/v1/reports/metrics?unit=" + a.unit_id + "&from=2026-12-01&to=2026-11-01"),
                400, "bad_period");
}

}  // namespace fieldsync::testing
