#include "evolution/island_comm.h"

#include <cstring>
#include <type_traits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "instructions/status_macros.h"

namespace automl {
namespace {

// A fixed-size value as bytes: ranks run the same build, so they share its representation.
template <typename T>
absl::StatusOr<T> BroadcastValue(IslandComm& comm, T value) {
  static_assert(std::is_trivially_copyable_v<T>);
  if (comm.num_ranks() == 1) return value;
  std::string mine;
  if (comm.rank() == 0) mine.assign(reinterpret_cast<const char*>(&value), sizeof(value));
  ASSIGN_OR_RETURN(const std::string root, BroadcastFromRoot(comm, mine));
  if (root.size() != sizeof(T)) return absl::DataLossError("rank 0 sent a malformed value");
  T root_value;
  std::memcpy(&root_value, root.data(), sizeof(root_value));
  return root_value;
}

}  // namespace

absl::StatusOr<std::string> BroadcastFromRoot(IslandComm& comm, const std::string& bytes) {
  if (comm.num_ranks() == 1) return bytes;
  ASSIGN_OR_RETURN(std::vector<std::string> gathered,
                   comm.AllGather(comm.rank() == 0 ? bytes : std::string()));
  if (gathered.empty()) return absl::DataLossError("rank 0 sent nothing");
  return std::move(gathered[0]);
}

absl::StatusOr<double> BroadcastFromRoot(IslandComm& comm, double value) {
  return BroadcastValue(comm, value);
}

absl::StatusOr<uint64_t> BroadcastFromRoot(IslandComm& comm, uint64_t value) {
  return BroadcastValue(comm, value);
}

absl::Status ReceivedParseError(const char* what, int rank) {
  return absl::DataLossError(absl::StrCat("cannot parse the ", what, " sent by rank ", rank));
}

}  // namespace automl
