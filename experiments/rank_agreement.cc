#include "experiments/rank_agreement.h"

#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "instructions/status_macros.h"

namespace automl {
namespace {

constexpr char kEveryRankPayload[] = "automl.every_rank";

// The payload holds the rank the error comes from.
absl::Status Marked(absl::Status status, int rank) {
  if (!status.ok()) status.SetPayload(kEveryRankPayload, absl::Cord(absl::StrCat(rank)));
  return status;
}

}  // namespace

absl::Status AgreeOnErrors(IslandComm* comm, const absl::Status& mine) {
  if (comm == nullptr || comm->num_ranks() == 1) return Marked(mine, 0);
  // "" for OK, else the status code and the message.
  const std::string sent =
      mine.ok() ? "" : absl::StrCat(static_cast<int>(mine.code()), ":", mine.message());
  ASSIGN_OR_RETURN(const std::vector<std::string> all, comm->AllGather(sent));
  for (int r = 0; r < static_cast<int>(all.size()); ++r) {
    if (all[r].empty()) continue;
    if (r == comm->rank()) return Marked(mine, r);
    const size_t colon = all[r].find(':');
    const int code = std::atoi(all[r].substr(0, colon).c_str());
    return Marked(absl::Status(static_cast<absl::StatusCode>(code), all[r].substr(colon + 1)), r);
  }
  return absl::OkStatus();
}

std::optional<int> RankKnownToAll(const absl::Status& status) {
  const absl::optional<absl::Cord> payload = status.GetPayload(kEveryRankPayload);
  if (!payload.has_value()) return std::nullopt;
  return std::atoi(std::string(*payload).c_str());
}

}  // namespace automl
