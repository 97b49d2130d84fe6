// Exports a program (a search's best_algorithm.txt / .pb, or a hand-written one) as a
// self-contained C++ header (Eigen) or Python module (numpy) with Setup, Predict and Learn that
// reproduce the engine's predictions (docs/export.md).
//
//   export_program --program=runs/demo/best_algorithm.txt --to=cpp --feature_size=4
//       --out=demo_program.h
//
// The header comment records the program file, the run's fitness and its seed, read from the
// summary.json beside the program unless --fitness / --seed give them.
#include "experiments/export/export_program.h"

#include <cstdint>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "experiments/program_file.h"
#include "experiments/summary.pb.h"
#include "google/protobuf/util/json_util.h"
#include "instructions/file_util.h"
#include "instructions/status_macros.h"

ABSL_FLAG(std::string, program, "",
          "Program file: printed form (as best_algorithm.txt), or binary ProgramProto if it ends "
          "in .pb.");
ABSL_FLAG(std::string, to, "", "Target language: cpp or python.");
ABSL_FLAG(int32_t, feature_size, 0, "The feature size F the program runs at.");
ABSL_FLAG(std::string, out, "", "Output file (.h for cpp, .py for python).");
ABSL_FLAG(std::string, class_name, "ExportedProgram", "Name of the generated class.");
ABSL_FLAG(std::string, fitness, "",
          "The program's fitness for the header comment; default: summary.json's final_fitness "
          "beside --program, if there is one.");
ABSL_FLAG(std::string, seed, "",
          "The run's --random_seed (seeds random ops); default: summary.json's random_seed "
          "beside --program, if there is one.");

namespace automl {
namespace {

// summary.json in the program's directory, if there is one and it parses.
std::optional<SearchSummaryProto> SummaryBeside(const std::string& program_path) {
  const size_t slash = program_path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : program_path.substr(0, slash);
  const absl::StatusOr<std::string> text = ReadFileToString(dir + "/summary.json", "summary");
  if (!text.ok()) return std::nullopt;
  SearchSummaryProto summary;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  if (!google::protobuf::util::JsonStringToMessage(*text, &summary, options).ok()) {
    return std::nullopt;
  }
  return summary;
}

// Fitness and seed from the flags, else from summary.json; a flag that does not parse is an
// error.
absl::Status FillSource(ExportOptions& options) {
  const std::optional<SearchSummaryProto> summary = SummaryBeside(options.program_path);
  const std::string fitness = absl::GetFlag(FLAGS_fitness);
  const std::string seed = absl::GetFlag(FLAGS_seed);
  if (!fitness.empty()) {
    double value;
    if (!absl::SimpleAtod(fitness, &value)) {
      return absl::InvalidArgumentError(absl::StrCat("--fitness=", fitness, " is not a number"));
    }
    options.fitness = value;
  } else if (summary) {
    options.fitness = summary->final_fitness();
  }
  if (!seed.empty()) {
    uint64_t value;
    if (!absl::SimpleAtoi(seed, &value)) {
      return absl::InvalidArgumentError(absl::StrCat("--seed=", seed, " is not a seed"));
    }
    options.run_seed = value;
  } else if (summary) {
    options.run_seed = summary->random_seed();
  }
  return absl::OkStatus();
}

absl::Status Export() {
  ExportOptions options;
  options.program_path = absl::GetFlag(FLAGS_program);
  options.feature_size = absl::GetFlag(FLAGS_feature_size);
  options.class_name = absl::GetFlag(FLAGS_class_name);
  const std::string out = absl::GetFlag(FLAGS_out);
  if (options.program_path.empty()) return absl::InvalidArgumentError("--program is required");
  if (out.empty()) return absl::InvalidArgumentError("--out is required");
  ASSIGN_OR_RETURN(const ExportLanguage language, ExportLanguageFromName(absl::GetFlag(FLAGS_to)));
  RETURN_IF_ERROR(FillSource(options));
  ASSIGN_OR_RETURN(const Program program, ReadProgramFile(options.program_path));
  ASSIGN_OR_RETURN(const std::string text, ExportProgram(program, language, options));
  std::ofstream file(out, std::ios::trunc);
  if (!(file << text) || !file.flush()) {
    return absl::InvalidArgumentError(absl::StrCat("cannot write --out=", out));
  }
  return absl::OkStatus();
}

}  // namespace
}  // namespace automl

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Exports a program as C++ or Python. Usage: --program=PATH --to=cpp|python "
      "--feature_size=F --out=PATH");
  absl::ParseCommandLine(argc, argv);
  if (absl::Status s = automl::Export(); !s.ok()) {
    std::cerr << "error: " << s.message() << std::endl;
    return 1;
  }
  return 0;
}
