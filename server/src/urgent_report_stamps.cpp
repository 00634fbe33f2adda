#include "urgent_report_stamps.h"

#include "auth/directory_writer.h"
#include "auth/time_text.h"
#include "fieldsync/core/domain/calendar.h"
#include "fieldsync/core/domain/deadlines.h"
#include "fieldsync/core/error.h"
#include "fieldsync/core/uuid.h"
#include "fieldsync/server/server_identity.h"

namespace fieldsync::server::detail {

void stamp_urgent_reports(sqlite::Database& db, const Model& model, sqlite::OpApplier& applier,
                          const std::vector<Op>& ops, const std::vector<sqlite::OpResult>& results,
                          std::int64_t received_ms, std::int64_t threshold_ms) {
  for (std::size_t i = 0; i < ops.size() && i < results.size(); ++i) {
    const Op& report = ops[i];
    const sqlite::OpResult& answer = results[i];
    if (report.entity != "urgent_report" || report.kind != OpKind::create) continue;
    if (answer.status != sqlite::OpStatus::accepted && answer.status != sqlite::OpStatus::conflict)
      continue;
    const auto known = report.fields.is_object() && report.fields.contains("known_at") &&
                               report.fields["known_at"].is_string()
                           ? domain::timestamp_ms(report.fields["known_at"].get<std::string>())
                           : std::nullopt;
    auto row = applier.rows().find("urgent_report", report.id);
    if (!row || !known) continue;  // validation makes both impossible
    Op stamp;
    stamp.op_id = make_uuid_from_name("fieldsync-server/urgent_report_stamp/" + report.id);
    stamp.device_id = server_device_id();
    stamp.user_id = system_user_id();
    stamp.entity = "urgent_report";
    stamp.id = report.id;
    stamp.kind = OpKind::update;
    stamp.fields = {{"reached_office_at", utc_text(received_ms)},
                    {"late", domain::urgent_report_late(*known, received_ms, threshold_ms)}};
    stamp.hlc = next_server_stamp(db, received_ms);
    stamp.base_version = row->version;
    stamp.schema_version = model.schema_version();
    const sqlite::OpResult r = applier.apply_within(stamp, utc_text(received_ms), Author::server);
    if (r.status != sqlite::OpStatus::accepted)
      throw Error(ErrorDomain::internal, "op_rejected",
                  "the store refused the server's stamp of urgent report " + report.id, r.problems);
  }
}

}  // namespace fieldsync::server::detail
