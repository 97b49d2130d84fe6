#include "experiments/search_outputs.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "evolution/early_stop.h"
#include "evolution/experiment_checkpoint.h"
#include "evolution/objectives_spec.h"
#include "executor/objectives.h"
#include "experiments/simplified_program.h"
#include "instructions/printer.h"
#include "instructions/program_proto.h"
#include "instructions/status_macros.h"

namespace automl {
namespace {

// The files WriteSearchOutputs writes at the end (progress.csv is opened at the start).
constexpr const char kBestText[] = "best_algorithm.txt";
constexpr const char kBestProto[] = "best_algorithm.pb";
constexpr const char kBestSimplified[] = "best_algorithm_simplified.txt";
constexpr const char kSummary[] = "summary.json";
constexpr const char* kEndOutputFiles[] = {kBestText, kBestProto, kBestSimplified, kSummary};

absl::Status CannotWrite(const std::string& path, int error) {
  return absl::InternalError(absl::StrCat("cannot write ", path, ": ", std::strerror(error)));
}

// An end output that already exists must be writable (not a directory, not read-only), so
// that the run fails now rather than after the whole search. Opening without O_TRUNC leaves
// the old file as it is until the end.
absl::Status CheckEndOutputsWritable(const std::string& dir) {
  for (const char* name : kEndOutputFiles) {
    const std::string path = absl::StrCat(dir, "/", name);
    std::error_code error;
    if (!std::filesystem::exists(path, error)) continue;
    const int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return CannotWrite(path, errno);
    close(fd);
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status WriteTextFile(const std::string& path, const std::string& contents) {
  errno = 0;
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  const int open_error = errno;
  file << contents;
  file.close();
  if (!file) return CannotWrite(path, open_error != 0 ? open_error : errno);
  return absl::OkStatus();
}

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
  return CheckEndOutputsWritable(dir);
}

absl::Status ProgressCsvWriter::Open(const std::string& dir) {
  const std::string path = dir + "/progress.csv";
  errno = 0;
  file_.open(path, std::ios::trunc);
  if (!file_) return CannotWrite(path, errno);
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

void PrintRunStart(uint64_t random_seed, const LoadedCheckpoint* resumed,
                   const ExperimentSpec& spec) {
  std::cout << "random_seed=" << random_seed << std::endl;
  if (resumed == nullptr) return;
  const CheckpointProto& checkpoint = resumed->checkpoint;
  std::cout << "resuming from " << resumed->source_path << ": experiment "
            << checkpoint.experiment() << " at " << CheckpointIndividuals(checkpoint)
            << " individuals, " << checkpoint.experiments_size() << " experiment(s) done, "
            << checkpoint.progress_size() << " progress line(s) restored" << std::endl;
  for (const std::string& change : ChangedStoppingLimits(checkpoint.spec(), spec)) {
    std::cout << "resuming with " << change << std::endl;
  }
  const std::vector<std::string> differing = DifferingSpecFields(checkpoint.spec(), spec);
  if (!differing.empty()) {
    std::cout << "resuming with a changed spec (--force_spec_change): "
              << absl::StrJoin(differing, ", ") << std::endl;
  }
}

void PrintExperimentEnd(const ExperimentSummary& summary) {
  std::cout << "experiment=" << summary.experiment << " search_fitness=" << summary.search_fitness
            << " select_fitness=" << summary.select_fitness << " indivs=" << summary.individuals
            << " best_island=" << summary.best_island << " secs=" << summary.seconds
            << (summary.interrupted ? " interrupted" : "");
  if (summary.early_stop != NOT_STOPPED_EARLY) {
    std::cout << " early_stop=" << EarlyStopName(summary.early_stop);
  }
  if (summary.select_candidates_scored > 0) {
    std::cout << " select_candidates=" << summary.select_candidates_scored
              << " chosen_at=" << summary.chosen_at_individuals;
  }
  std::cout << std::endl;
}

absl::Status WriteSearchOutputs(const std::string& dir, const SearchResult& result,
                                const RunInfo& info) {
  const auto path = [&dir](const char* name) { return absl::StrCat(dir, "/", name); };
  RETURN_IF_ERROR(WriteTextFile(path(kBestText), PrintProgram(result.best_program)));
  RETURN_IF_ERROR(WriteProgramFile(result.best_program, path(kBestProto)));
  ASSIGN_OR_RETURN(const std::string summary, SummaryJson(ToSummaryProto(result, info)));
  return WriteTextFile(path(kSummary), summary);
}

namespace {

// "objectives SPLIT: quality=... dppl=..." for the best program.
void PrintObjectives(const char* split, const std::vector<Objective>& objectives,
                     const Fitness& fitness) {
  std::cout << "objectives " << split << ":" << FormatObjectives(objectives, fitness) << std::endl;
}

}  // namespace

absl::Status ReportSearchEnd(const SearchResult& result, const RunInfo& info,
                             const OutputPaths& outputs, const MachineShape& shape) {
  if (result.interrupted) {
    const ExperimentSummary& last = result.experiments.back();
    std::cout << "interrupted: experiment " << last.experiment << " stopped at " << last.individuals
              << " individuals";
    if (!outputs.dir.empty() && outputs.checkpoint_written) {
      std::cout << "; checkpoint " << outputs.checkpoint_path
                << " (continue with --resume --output_dir=" << outputs.dir << ")";
    }
    std::cout << std::endl;
  }
  std::cout << "final_fitness=" << result.final_fitness << std::endl;
  if (result.final_has_test) {
    std::cout << "final_test_fitness=" << result.final_test_fitness << std::endl;
  }
  // Quality alone is in the lines above: a spec without other objectives prints as before.
  if (result.objectives.size() > 1) {
    PrintObjectives("search", result.objectives, result.best_search_objectives);
    PrintObjectives("select", result.objectives, result.best_select_objectives);
    PrintObjectives("final_valid", result.objectives, result.final_objectives);
    if (result.final_has_test) {
      PrintObjectives("final_test", result.objectives, result.final_test_objectives);
    }
  }
  std::cout << PrintProgram(result.best_program);
  ASSIGN_OR_RETURN(const SimplifiedProgram simplified,
                   SimplifyForReading(result.best_program, shape));
  std::cout << simplified.Shown();
  if (outputs.dir.empty()) return absl::OkStatus();
  RETURN_IF_ERROR(WriteSearchOutputs(outputs.dir, result, info));
  RETURN_IF_ERROR(
      WriteTextFile(absl::StrCat(outputs.dir, "/", kBestSimplified), simplified.Printed()));
  std::cout << "outputs written to " << outputs.dir;
  if (result.interrupted) {
    std::cout << " (best program so far, progress.csv, summary.json"
              << (outputs.checkpoint_written ? ", checkpoint.pb)" : ")");
  }
  std::cout << std::endl;
  return absl::OkStatus();
}

}  // namespace automl
