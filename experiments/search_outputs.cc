#include "experiments/search_outputs.h"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "instructions/printer.h"
#include "instructions/program_proto.h"

namespace automl {
namespace {

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += absl::StrFormat("\\u%04x", c);
    } else {
      out += c;
    }
  }
  return out + "\"";
}

absl::Status WriteTextFile(const std::string& path, const std::string& contents) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << contents;
  file.close();
  if (!file) return absl::InternalError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

}  // namespace

absl::Status PrepareOutputDir(const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot create output_dir ", dir, ": ", error.message()));
  }
  const std::string probe = dir + "/.write_test";
  {
    std::ofstream file(probe);
    if (!file) {
      return absl::InvalidArgumentError(
          absl::StrCat("output_dir ", dir, " is not writable: ", std::strerror(errno)));
    }
  }
  std::filesystem::remove(probe, error);
  return absl::OkStatus();
}

absl::Status ProgressCsvWriter::Open(const std::string& dir) {
  const std::string path = dir + "/progress.csv";
  file_.open(path, std::ios::trunc);
  if (!file_) return absl::InternalError(absl::StrCat("cannot write ", path));
  file_ << "experiment,indivs,elapsed_secs,indivs_per_sec,best_fitness,mean_fitness,"
           "fec_hit_rate,hurdle_cut_rate,train_steps,migrations,remote_migrations\n";
  file_.flush();
  return absl::OkStatus();
}

void ProgressCsvWriter::Append(const ProgressRecord& r) {
  if (!file_.is_open()) return;
  file_ << absl::StrFormat("%d,%d,%.3f,%.1f,%.9g,%.9g,%.6f,%.6f,%d,%d,%d\n", r.experiment,
                           r.individuals, r.elapsed_secs, r.individuals_per_sec, r.best_fitness,
                           r.mean_fitness, r.fec_hit_rate, r.hurdle_cut_rate, r.train_steps,
                           r.migrations, r.remote_migrations);
  file_.flush();
}

std::string SummaryJson(const SearchResult& result, const RunInfo& info) {
  std::string experiments;
  for (const ExperimentSummary& e : result.experiments) {
    if (!experiments.empty()) experiments += ",\n";
    experiments += absl::StrFormat(
        "    {\"experiment\": %d, \"seed\": %d, \"search_fitness\": %.9g, "
        "\"select_fitness\": %.9g, \"individuals\": %d, \"train_steps\": %d, "
        "\"seconds\": %.3f%s}",
        e.experiment, e.seed, e.search_fitness, e.select_fitness, e.individuals, e.train_steps,
        e.seconds, e.interrupted ? ", \"interrupted\": true" : "");
  }
  std::string json = "{\n";
  json += absl::StrFormat("  \"random_seed\": %d,\n", info.random_seed);
  json += absl::StrCat("  \"spec_path\": ", JsonString(info.spec_path), ",\n");
  json += absl::StrFormat("  \"final_fitness\": %.9g,\n", result.final_fitness);
  if (result.final_has_test) {
    json += absl::StrFormat("  \"final_test_fitness\": %.9g,\n", result.final_test_fitness);
  }
  json += absl::StrFormat("  \"best_experiment\": %d,\n", result.best_experiment);
  json += absl::StrFormat("  \"best_select_fitness\": %.9g,\n", result.best_select_fitness);
  json += absl::StrFormat("  \"num_islands\": %d,\n", result.num_islands);
  json += absl::StrFormat("  \"individuals\": %d,\n", result.total_individuals);
  json += absl::StrFormat("  \"seconds\": %.3f,\n", result.seconds);
  // A stop request ended the run: the last experiment is partial (its best so far, scored on
  // T_select), and DIR/checkpoint.pb continues it with --resume.
  json += absl::StrFormat("  \"interrupted\": %s,\n", result.interrupted ? "true" : "false");
  json += absl::StrFormat("  \"resumed\": %s,\n", result.resumed ? "true" : "false");
  json += absl::StrCat("  \"experiments\": [\n", experiments, "\n  ]\n}\n");
  return json;
}

absl::Status WriteSearchOutputs(const std::string& dir, const SearchResult& result,
                                const RunInfo& info) {
  if (absl::Status s =
          WriteTextFile(dir + "/best_algorithm.txt", PrintProgram(result.best_program));
      !s.ok()) {
    return s;
  }
  if (absl::Status s = WriteProgramFile(result.best_program, dir + "/best_algorithm.pb"); !s.ok()) {
    return s;
  }
  return WriteTextFile(dir + "/summary.json", SummaryJson(result, info));
}

}  // namespace automl
