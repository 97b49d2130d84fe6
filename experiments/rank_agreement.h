// Errors that every process of a run learns about together. With MPI, an error on one rank
// while the others wait in a collective call can only end the job through MPI_Abort (and Open
// MPI's banner after the error line). Before the search starts, the ranks instead meet at
// AgreeOnErrors after each step: a rank that failed says so there, every rank leaves with the
// same error, and each can finalize MPI and exit non-zero on its own.
#ifndef EXPERIMENTS_RANK_AGREEMENT_H_
#define EXPERIMENTS_RANK_AGREEMENT_H_

#include <optional>

#include "absl/status/status.h"
#include "evolution/island_comm.h"

namespace automl {

// OK if no rank failed; else the lowest failing rank's error, marked as known to every rank
// (with the rank it comes from). Every rank must call it at the same point. With no comm (or
// one rank) it returns `mine`, marked. If the exchange itself fails, its error is returned
// unmarked.
absl::Status AgreeOnErrors(IslandComm* comm, const absl::Status& mine);

// For a status from AgreeOnErrors, the rank it comes from (every rank has it); else nullopt.
std::optional<int> RankKnownToAll(const absl::Status& status);

}  // namespace automl

#endif  // EXPERIMENTS_RANK_AGREEMENT_H_
