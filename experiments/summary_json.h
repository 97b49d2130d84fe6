// summary.json (experiments/summary.proto): a search's result as SearchSummaryProto, and the
// file's text.
#ifndef EXPERIMENTS_SUMMARY_JSON_H_
#define EXPERIMENTS_SUMMARY_JSON_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "evolution/experiment.h"
#include "experiments/summary.pb.h"

namespace automl {

// What a search's outputs record besides its result.
struct RunInfo {
  uint64_t random_seed = 0;
  std::string spec_path;
};

SearchSummaryProto ToSummaryProto(const SearchResult& result, const RunInfo& info);

// The summary.json text: protobuf's JSON printer (proto field names as keys, every field
// printed) with two differences that keep the file as it was before it was a message: 64-bit
// integers are bare numbers (proto3 JSON quotes them, but seeds do not fit a double and users
// read them as numbers) and the indent is two spaces. JsonStringToMessage reads it back.
absl::StatusOr<std::string> SummaryJson(const SearchSummaryProto& summary);

}  // namespace automl

#endif  // EXPERIMENTS_SUMMARY_JSON_H_
