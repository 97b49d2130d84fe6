// IslandComm over MPI: islands on different ranks exchange migrants with MPI_Alltoallv and
// their counters with MPI_Allgatherv. Errors come back as absl::Status (MPI_ERRORS_RETURN), and
// the traffic is counted so that runs can report migration bytes per second.
#ifndef EXPERIMENTS_MPI_ISLAND_COMM_H_
#define EXPERIMENTS_MPI_ISLAND_COMM_H_

#include <mpi.h>

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "evolution/island_comm.h"

namespace automl {

// What this rank sent to other ranks (payload bytes, not MPI's own headers).
struct MpiTraffic {
  int64_t all_gathers = 0;       // Status rounds, best-program gathers, broadcasts.
  int64_t all_gather_bytes = 0;  // Own payload times (ranks - 1).
  int64_t all_to_alls = 0;       // Migration rounds.
  int64_t all_to_all_bytes = 0;  // Migrant batches to other ranks.
  int64_t largest_message = 0;   // Largest single payload sent to one rank.
  double seconds = 0.0;          // Inside MPI calls, including waiting for slower ranks.
};

class MpiIslandComm final : public IslandComm {
 public:
  // Switches `comm` to MPI_ERRORS_RETURN. MPI must be initialised.
  explicit MpiIslandComm(MPI_Comm comm);

  int rank() const override { return rank_; }
  int num_ranks() const override { return size_; }
  absl::StatusOr<std::vector<std::string>> AllGather(const std::string& bytes) override;
  absl::StatusOr<std::vector<std::string>> AllToAll(
      const std::vector<std::string>& per_rank) override;

  const MpiTraffic& traffic() const { return traffic_; }

 private:
  MPI_Comm comm_;
  int rank_ = 0;
  int size_ = 1;
  MpiTraffic traffic_;
};

}  // namespace automl

#endif  // EXPERIMENTS_MPI_ISLAND_COMM_H_
