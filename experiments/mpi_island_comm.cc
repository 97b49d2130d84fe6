#include "experiments/mpi_island_comm.h"

#include <algorithm>
#include <limits>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "instructions/status_macros.h"

namespace automl {
namespace {

absl::Status MpiError(const char* call, int code) {
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(code, text, &length);
  return absl::UnavailableError(absl::StrCat(
      call, " failed (another rank died or the network failed): ", std::string(text, length)));
}

// MPI counts are ints; islands exchange kilobytes, so this only trips on a broken message.
absl::StatusOr<int> Count(size_t bytes) {
  if (bytes > static_cast<size_t>(std::numeric_limits<int>::max())) {
    return absl::ResourceExhaustedError(
        absl::StrCat("MPI message of ", bytes, " bytes is too big"));
  }
  return static_cast<int>(bytes);
}

// Displacements from counts; fails if the total does not fit an int.
absl::StatusOr<std::vector<int>> Displacements(const std::vector<int>& counts, int* total) {
  std::vector<int> displacements(counts.size());
  size_t sum = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    displacements[i] = static_cast<int>(sum);
    sum += counts[i];
    if (sum > static_cast<size_t>(std::numeric_limits<int>::max())) {
      return absl::ResourceExhaustedError(absl::StrCat("MPI exchange of ", sum, "+ bytes"));
    }
  }
  *total = static_cast<int>(sum);
  return displacements;
}

}  // namespace

MpiIslandComm::MpiIslandComm(MPI_Comm comm) : comm_(comm) {
  MPI_Comm_set_errhandler(comm_, MPI_ERRORS_RETURN);
  MPI_Comm_rank(comm_, &rank_);
  MPI_Comm_size(comm_, &size_);
}

absl::StatusOr<std::vector<std::string>> MpiIslandComm::AllGather(const std::string& bytes) {
  const absl::Time start = absl::Now();
  ASSIGN_OR_RETURN(int count, Count(bytes.size()));
  std::vector<int> counts(size_);
  if (int rc = MPI_Allgather(&count, 1, MPI_INT, counts.data(), 1, MPI_INT, comm_);
      rc != MPI_SUCCESS) {
    return MpiError("MPI_Allgather", rc);
  }
  int total = 0;
  ASSIGN_OR_RETURN(const std::vector<int> displacements, Displacements(counts, &total));
  std::string buffer(total, '\0');
  if (int rc = MPI_Allgatherv(bytes.data(), count, MPI_BYTE, buffer.data(), counts.data(),
                              displacements.data(), MPI_BYTE, comm_);
      rc != MPI_SUCCESS) {
    return MpiError("MPI_Allgatherv", rc);
  }
  std::vector<std::string> result(size_);
  for (int r = 0; r < size_; ++r) result[r] = buffer.substr(displacements[r], counts[r]);
  ++traffic_.all_gathers;
  traffic_.all_gather_bytes += static_cast<int64_t>(bytes.size()) * (size_ - 1);
  if (size_ > 1) {
    traffic_.largest_message =
        std::max(traffic_.largest_message, static_cast<int64_t>(bytes.size()));
  }
  traffic_.seconds += absl::ToDoubleSeconds(absl::Now() - start);
  return result;
}

absl::StatusOr<std::vector<std::string>> MpiIslandComm::AllToAll(
    const std::vector<std::string>& per_rank) {
  if (static_cast<int>(per_rank.size()) != size_) {
    return absl::InvalidArgumentError(
        absl::StrCat("AllToAll got ", per_rank.size(), " messages for ", size_, " ranks"));
  }
  const absl::Time start = absl::Now();
  std::vector<int> send_counts(size_);
  std::string send_buffer;
  for (int r = 0; r < size_; ++r) {
    ASSIGN_OR_RETURN(send_counts[r], Count(per_rank[r].size()));
    send_buffer += per_rank[r];
  }
  int send_total = 0;
  ASSIGN_OR_RETURN(const std::vector<int> send_displacements,
                   Displacements(send_counts, &send_total));
  std::vector<int> receive_counts(size_);
  if (int rc =
          MPI_Alltoall(send_counts.data(), 1, MPI_INT, receive_counts.data(), 1, MPI_INT, comm_);
      rc != MPI_SUCCESS) {
    return MpiError("MPI_Alltoall", rc);
  }
  int receive_total = 0;
  ASSIGN_OR_RETURN(const std::vector<int> receive_displacements,
                   Displacements(receive_counts, &receive_total));
  std::string receive_buffer(receive_total, '\0');
  if (int rc = MPI_Alltoallv(send_buffer.data(), send_counts.data(), send_displacements.data(),
                             MPI_BYTE, receive_buffer.data(), receive_counts.data(),
                             receive_displacements.data(), MPI_BYTE, comm_);
      rc != MPI_SUCCESS) {
    return MpiError("MPI_Alltoallv", rc);
  }
  std::vector<std::string> result(size_);
  for (int r = 0; r < size_; ++r) {
    result[r] = receive_buffer.substr(receive_displacements[r], receive_counts[r]);
  }
  ++traffic_.all_to_alls;
  for (int r = 0; r < size_; ++r) {
    if (r == rank_) continue;
    traffic_.all_to_all_bytes += send_counts[r];
    traffic_.largest_message = std::max<int64_t>(traffic_.largest_message, send_counts[r]);
  }
  traffic_.seconds += absl::ToDoubleSeconds(absl::Now() - start);
  return result;
}

}  // namespace automl
