// A collective case as the field has it: dozens of petitioners with Chinese names, phones and ID
// numbers (the same person written differently on two cases), long notes, written offline and
// pushed in more than one batch to the real server. Every op is accepted, and the office's
// flags find the repeat. Uniform toy data hid a bug here: the second petitioner with a phone
// made the server answer 500 for ever, and the tablet never synced again.
#include <algorithm>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "client_world.h"

namespace fieldsync::testing {
namespace {

constexpr const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"};
constexpr const char* kGivenNames[] = {"伟", "秀英", "敏", "静", "丽", "强", "磊", "军"};

// The i-th worker of the collective case: a name, a mobile number and, for every other one, an
// 18-character resident ID number (some ending in X).
nlohmann::json worker(int i) {
  nlohmann::json p = {{"name", std::string(kSurnames[i % 10]) + kGivenNames[i % 8]},
                      {"phone", "139" + std::to_string(10000000 + i * 7919)}};
  if (i % 2 == 0)
    p["id_number"] = "23060219780315" + std::to_string(100 + i) +
                     (i % 4 == 0 ? std::string("X") : std::to_string(i % 10));
  return p;
}

std::string long_notes() {
  std::string notes;
  for (int i = 0; i < 40; ++i)
    notes += "第" + std::to_string(i + 1) +
             "次走访：职工反映2019年以来社保缴费基数核定不一致，"
             "要求单位出具书面说明并补缴差额。";
  return notes;
}

TEST_CASE("client collective: 36 petitioners with phones and ID numbers, two batches, all taken") {
  ClientWorld world({kLeaderA, kLeaderA2});
  Tablet a = world.signed_in("a", "leader_a");
  Tablet b = world.signed_in("b", "leader_a2");

  nlohmann::json fields = case_fields("钻井三队职工社保补缴集体访");
  fields["subjects"] = {"pension_insurance"};
  fields["summary"] = long_notes();
  const std::string collective = a->create_case(fields);
  constexpr int kWorkers = 36;
  for (int i = 0; i < kWorkers; ++i) a->add_petitioner(collective, worker(i));
  a->add_visit(collective, {{"kind", "home"}, {"notes", long_notes()}});
  const client::SyncReport first = a->sync();
  CHECK(first.rejected == 0);
  CHECK(a->status().pending_ops == 0);
  CHECK(world.server_rows("petitioner", "case_id", collective) == kWorkers);

  // A later case of two of them, written differently (spaces and a lower-case x in the ID
  // number; hyphens in the phone), pushed in a batch of its own: a repeat petition.
  nlohmann::json again = case_fields("王伟个人社保补缴");
  again["subjects"] = {"pension_insurance"};
  const std::string later = a->create_case(again);
  a->add_petitioner(later, {{"name", "王伟"}, {"id_number", "230602 19780315 100x"}});
  a->add_petitioner(later, {{"name", " 李秀英"}, {"phone", "139-1000-7919"}});
  const client::SyncReport second = a->sync();
  CHECK(second.rejected == 0);
  CHECK(a->status().pending_ops == 0);
  CHECK(world.server_int("SELECT COUNT(*) FROM op_log WHERE outcome <> 'accepted'") == 0);

  b->sync();
  const client::CaseDetail seen = b->get_case(collective);
  CHECK(seen.petitioners.size() == static_cast<std::size_t>(kWorkers));
  const client::CaseDetail repeat = b->get_case(later);
  const nlohmann::json office = repeat.case_row.values.value("office_kind_flags", nlohmann::json());
  INFO("office flags of the later case: " << office.dump());
  CHECK(std::find(office.begin(), office.end(), "repeat") != office.end());
  CHECK(repeat.case_row.values["repeat_of_case_ids"] == nlohmann::json::array({collective}));
}

}  // namespace
}  // namespace fieldsync::testing
