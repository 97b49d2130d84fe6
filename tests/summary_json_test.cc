// summary.json as users read it: a written file parses back into SearchSummaryProto with
// JsonStringToMessage and equals what was written, and it keeps the form the file had before it
// was a message (two-space indent, 64-bit integers as bare numbers, the optional keys only
// when they apply).
#include "experiments/summary_json.h"

#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "experiments/search_outputs.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "instructions/parser.h"

namespace automl {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Two experiments, the second stopped by a stop request; seeds above 2^53 (a double would
// round them) and fitness values that need all 17 digits.
SearchResult TwoExperiments() {
  SearchResult result;
  for (int i = 0; i < 2; ++i) {
    ExperimentSummary e;
    e.experiment = i;
    e.seed = 17797511264756998531ULL - i;
    e.search_fitness = 0.1 + i / 3.0;
    e.select_fitness = 0.2 + i / 7.0;
    e.individuals = 3000000000LL + i;
    e.train_steps = 6428020;
    e.seconds = 38.3983;
    e.interrupted = i == 1;
    result.experiments.push_back(e);
  }
  result.best_experiment = 1;
  absl::StatusOr<Program> program = ParseProgram("def Setup():\ndef Predict():\ndef Learn():\n");
  result.best_program = program.ok() ? *program : Program();
  result.best_select_fitness = result.experiments[1].select_fitness;
  result.final_fitness = 1.0 / 3.0;
  result.num_islands = 4;
  result.total_individuals = 6000000001LL;
  result.seconds = 81.58234;
  result.interrupted = true;
  return result;
}

std::string ReadFile(const std::string& path) {
  std::ifstream file(path);
  std::stringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

TEST(SummaryJsonTest, WrittenFileReadsBackWithJsonStringToMessage) {
  const SearchResult result = TwoExperiments();
  const RunInfo info{1234567890123456789ULL, "specs/a \"quoted\"\\path.textproto"};
  const std::string dir = ::testing::TempDir();
  ASSERT_TRUE(WriteSearchOutputs(dir, result, info).ok());
  const std::string json = ReadFile(absl::StrCat(dir, "/summary.json"));

  SearchSummaryProto read;
  const auto status = google::protobuf::util::JsonStringToMessage(json, &read);
  ASSERT_TRUE(status.ok()) << status.ToString() << "\n" << json;
  const SearchSummaryProto written = ToSummaryProto(result, info);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(read, written))
      << "read:\n"
      << read.DebugString() << "written:\n"
      << written.DebugString();
  EXPECT_EQ(read.random_seed(), 1234567890123456789ULL);
  EXPECT_EQ(read.spec_path(), info.spec_path);
  EXPECT_EQ(read.experiments(0).seed(), 17797511264756998531ULL);
  EXPECT_EQ(read.final_fitness(), 1.0 / 3.0);
  EXPECT_EQ(read.seconds(), 81.582);  // Milliseconds.
}

TEST(SummaryJsonTest, KeepsTheFormOfTheHandWrittenFile) {
  const SearchResult result = TwoExperiments();
  absl::StatusOr<std::string> json = SummaryJson(ToSummaryProto(result, RunInfo{7, "s"}));
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_THAT(*json, HasSubstr("\n  \"random_seed\": 7,\n"));
  EXPECT_THAT(*json, HasSubstr("\n  \"individuals\": 6000000001,\n"));
  EXPECT_THAT(*json, HasSubstr("\"seed\": 17797511264756998531,"));
  EXPECT_THAT(*json, HasSubstr("\"train_steps\": 6428020,"));
  EXPECT_THAT(*json, HasSubstr("\n  \"final_fitness\": 0.3333333333333333"));
  EXPECT_THAT(*json, HasSubstr("\n  \"interrupted\": true,\n"));
  EXPECT_THAT(*json, HasSubstr("\n  \"resumed\": false,\n"));
  EXPECT_EQ(json->back(), '\n');
  // Only the stopped experiment says "interrupted"; no final_test_fitness without test tasks.
  EXPECT_EQ(json->find("\"interrupted\": true", json->find("\"experiments\"")),
            json->rfind("\"interrupted\": true"));
  EXPECT_THAT(*json, Not(HasSubstr("\"interrupted\": false")));
  EXPECT_THAT(*json, Not(HasSubstr("final_test_fitness")));

  SearchResult with_test = result;
  with_test.final_has_test = true;
  with_test.final_test_fitness = 0.25;
  json = SummaryJson(ToSummaryProto(with_test, RunInfo{7, "s"}));
  ASSERT_TRUE(json.ok()) << json.status();
  // Protobuf's printer puts a field with presence after the others.
  EXPECT_THAT(*json, HasSubstr("\n  ],\n  \"final_test_fitness\": 0.25\n}\n"));
}

}  // namespace
}  // namespace automl
