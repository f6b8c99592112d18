// Crash drills: the process kills itself with SIGKILL at the Nth crash point it passes, so the
// crash test (tests/engine/paper_crash_test.cpp) can stop a paper trader exactly between two
// durable steps (decision journaled / order stored / order sent / fill stored) as well as at the
// random instants its parent picks. Off unless `cst paper --crash-at N` arms it; a normal run
// never pays more than one branch per point.
#pragma once

#include <cstdint>

namespace cst::crash_point {

// Arms the drill: the nth call of pass() (counting from 1) kills the process. 0 disarms.
void arm(std::uint64_t nth);
// A point where a crash must be survivable.
void pass(const char* where);
std::uint64_t passed();

}  // namespace cst::crash_point
