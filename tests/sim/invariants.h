#pragma once
// What must hold in a simulated world after quiescence (docs/reliability.md lists them):
//  1. every live device's confirmed state equals the server's state restricted to the device's
//     scope (its user's unit subtree), row by row, and the device shows no unconfirmed change;
//  2. no device holds a row (live or tombstone) owned by a unit outside its scope;
//  3. every op a device made is accepted exactly once (one op_log entry, the device's answer
//     agrees), or rejected with a reason the device shows, or counted: still pending on a
//     live device, or lost with a wiped device; the server holds no op a device did not make;
//  4. every accepted write to a flag field that was concurrent with another device's write it
//     had not seen (and that no later write had seen and overruled), and disagreed with it,
//     is held by exactly one conflict record (the one of
//     that field's current generation) listing its value; every conflict record holds at least
//     two values, each from an accepted op; every op answered "conflict" names records that
//     exist;
//  5. no append-only entry (visit, case_transfer, leader_assignment) was changed after its
//     create: one accepted op each, and its stored values are those the create carried;
//  6. a write to an lww or flag field made after seeing every earlier write of that field by
//     other devices is the field's value at the end, whatever the devices' clocks said.
// Returns one line per violation (empty: all hold) and fills in the figures it counts.
#include <string>
#include <vector>

#include "sim_world.h"

namespace fieldsync::sim {

std::vector<std::string> check_world(SimWorld& world);

}  // namespace fieldsync::sim
