// How the processes that host the islands talk: the collective byte exchanges an island run
// needs (IslandComm; MPI in experiments/mpi_island_comm.h), the one-process implementation,
// and a broadcast of rank 0's value built on them.
#ifndef EVOLUTION_ISLAND_COMM_H_
#define EVOLUTION_ISLAND_COMM_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace automl {

// Moves bytes between the processes that host the islands. Every call is collective: all
// ranks make the same calls in the same order. The island code never calls it with a single
// rank, so a one-process run pays nothing for it.
class IslandComm {
 public:
  virtual ~IslandComm() = default;
  virtual int rank() const = 0;  // Rank 0 runs the select and final evaluations.
  virtual int num_ranks() const = 0;
  // Every rank's `bytes`, in rank order.
  virtual absl::StatusOr<std::vector<std::string>> AllGather(const std::string& bytes) = 0;
  // Sends per_rank[r] to rank r; returns what every rank sent to this one, in rank order.
  virtual absl::StatusOr<std::vector<std::string>> AllToAll(
      const std::vector<std::string>& per_rank) = 0;
};

// The single-process case: one rank that hosts every island.
class LocalIslandComm final : public IslandComm {
 public:
  int rank() const override { return 0; }
  int num_ranks() const override { return 1; }
  absl::StatusOr<std::vector<std::string>> AllGather(const std::string& bytes) override {
    return std::vector<std::string>{bytes};
  }
  absl::StatusOr<std::vector<std::string>> AllToAll(
      const std::vector<std::string>& per_rank) override {
    return per_rank;
  }
};

// Rank 0's `bytes` (or value), on every rank (collective; the other ranks' arguments are
// ignored). With a single rank, the argument itself, without calling `comm`.
absl::StatusOr<std::string> BroadcastFromRoot(IslandComm& comm, const std::string& bytes);
absl::StatusOr<double> BroadcastFromRoot(IslandComm& comm, double value);
absl::StatusOr<uint64_t> BroadcastFromRoot(IslandComm& comm, uint64_t value);

// The error for bytes from rank `rank` that do not parse as the `what` expected.
absl::Status ReceivedParseError(const char* what, int rank);

}  // namespace automl

#endif  // EVOLUTION_ISLAND_COMM_H_
