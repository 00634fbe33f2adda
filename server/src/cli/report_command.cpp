#include "cli/report_command.h"

#include <iostream>
#include <memory>

#include "fieldsync/core/clock.h"
#include "fieldsync/core/error.h"
#include "fieldsync/server/admin.h"
#include "metrics_document.h"

namespace fieldsync::server::cli {
namespace {

struct ReportOptions {
  std::string data_dir, unit, from, to;
  bool json = false, csv = false;
  std::int64_t threshold_minutes = 120;
};

int run_report(const ReportOptions& options) {
  try {
    detail::check_period(options.from, options.to);
  } catch (const Error& e) {
    std::cerr << "fieldsync-server: " << e.message() << " [" << e.code() << "]\n";
    return 2;
  }
  try {
    SystemClock clock;
    SecureRandom random;
    Admin admin(options.data_dir, clock, random);
    const UnitRecord unit = admin.resolve_unit(options.unit);
    detail::MetricsRequest request{unit.id, options.from, options.to, clock.now_ms(),
                                   options.threshold_minutes * 60 * 1000};
    const domain::MetricsReport report = detail::compute_store_metrics(admin.database(), request);
    if (options.json)
      std::cout << detail::metrics_json(report, request, unit.name).dump(2) << '\n';
    else if (options.csv)
      detail::write_metrics_csv(std::cout, report);
    else
      detail::write_metrics_table(std::cout, report, request, unit.name);
    return std::cout.good() ? 0 : 1;
  } catch (const Error& e) {
    std::cerr << "fieldsync-server: " << e.message() << " [" << to_string(e.domain()) << '/'
              << e.code() << "]\n";
    return e.domain() == ErrorDomain::validation ? 2 : 1;
  } catch (const std::exception& e) {
    std::cerr << "fieldsync-server: " << e.what() << '\n';
    return 1;
  }
}

}  // namespace

void add_report_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ReportOptions>();
  auto* report = app.add_subcommand(
      "report", "The metrics of a unit subtree for a period, by child unit (docs/metrics.md)");
  report->add_option("--data", options->data_dir, "Data directory of the server")
      ->required()
      ->type_name("DIR");
  report
      ->add_option("--unit", options->unit, "The unit: its id or its name path (\"Plant/Unit 3\")")
      ->required()
      ->type_name("ID|PATH");
  report->add_option("--from", options->from, "First day of the period")
      ->required()
      ->type_name("YYYY-MM-DD");
  report->add_option("--to", options->to, "Last day of the period")
      ->required()
      ->type_name("YYYY-MM-DD");
  auto* json = report->add_flag("--json", options->json, "Print the API's JSON document");
  auto* csv = report->add_flag("--csv", options->csv, "Print CSV, one line per unit row");
  json->excludes(csv);
  report
      ->add_option("--urgent-report-threshold", options->threshold_minutes,
                   "The threshold for reports the server has not stamped and for missing reports")
      ->type_name("MINUTES")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  report->callback([options, &exit_code] { exit_code = run_report(*options); });
}

}  // namespace fieldsync::server::cli
