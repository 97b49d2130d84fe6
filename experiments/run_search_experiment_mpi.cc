// run_search_experiment spread over MPI processes: each rank hosts a block of the islands
// (--islands counts all of them) and runs them on its own threads; migrants cross ranks as
// ProgramProto bytes. Rank 0 gathers the best programs, runs the select and final
// evaluations, prints, and writes --output_dir; the other ranks print and write nothing. The
// result equals run_search_experiment's with the same seed and --islands.
//   mpirun --hostfile hosts -np 8 bazel-bin/experiments/run_search_experiment_mpi
//       --spec=... --islands=16 --random_seed=1 --output_dir=...
// Any error (or a rank that dies) stops every rank. A bad flag, spec or output directory is
// found by the ranks together before the search: rank 0 prints it and every rank exits 1.
// Later errors call MPI_Abort, and mpirun kills the job when a rank exits abnormally.
#include <mpi.h>

#include <algorithm>
#include <cstring>
#include <iostream>
#include <vector>

#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "evolution/island_scheduler.h"
#include "experiments/lsan_openmpi.h"
#include "experiments/mpi_island_comm.h"
#include "experiments/search_main.h"
#include "instructions/status_macros.h"

namespace automl {
namespace {

// Processes of this job on this machine, so that by default they share its cores.
int RanksOnThisNode() {
  MPI_Comm node;
  if (MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node) !=
      MPI_SUCCESS) {
    return 1;
  }
  int size = 1;
  MPI_Comm_size(node, &size);
  MPI_Comm_free(&node);
  return std::max(size, 1);
}

// One line on rank 0 summing every rank's traffic (the numbers the README quotes).
absl::Status ReportTraffic(MpiIslandComm& comm, double seconds) {
  const MpiTraffic mine = comm.traffic();
  std::string bytes(reinterpret_cast<const char*>(&mine), sizeof(mine));
  ASSIGN_OR_RETURN(const std::vector<std::string> all, comm.AllGather(bytes));
  if (comm.rank() != 0) return absl::OkStatus();
  MpiTraffic sum;
  for (const std::string& entry : all) {
    MpiTraffic t;
    std::memcpy(&t, entry.data(), sizeof(t));
    sum.all_to_all_bytes += t.all_to_all_bytes;
    sum.all_gather_bytes += t.all_gather_bytes;
    sum.largest_message = std::max(sum.largest_message, t.largest_message);
    sum.seconds = std::max(sum.seconds, t.seconds);
  }
  std::cout << absl::StrFormat(
                   "mpi_traffic ranks=%d migration_rounds=%d migration_bytes=%d "
                   "migration_bytes_per_sec=%.0f status_gathers=%d status_bytes=%d "
                   "largest_message_bytes=%d max_secs_in_mpi=%.3f run_secs=%.3f",
                   comm.num_ranks(), mine.all_to_alls, sum.all_to_all_bytes,
                   seconds > 0 ? sum.all_to_all_bytes / seconds : 0.0, mine.all_gathers,
                   sum.all_gather_bytes, sum.largest_message, sum.seconds, seconds)
            << std::endl;
  return absl::OkStatus();
}

}  // namespace
}  // namespace automl

int main(int argc, char** argv) {
  // Only the main thread calls MPI; OpenMP threads run islands between the calls.
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  const absl::Time start = absl::Now();
  absl::SetProgramUsageMessage(
      "Evolves ML algorithms on islands spread over MPI ranks. Usage: mpirun -np N "
      "run_search_experiment_mpi --spec=PATH --islands=K ...");
  const std::vector<char*> unparsed_args = absl::ParseCommandLine(argc, argv);

  automl::MpiIslandComm comm(MPI_COMM_WORLD);
  automl::SearchMainOptions options;
  options.comm = &comm;
  options.default_threads = std::max(1, automl::DefaultThreadCount() / automl::RanksOnThisNode());
  options.unparsed_args = unparsed_args;
  const automl::SearchExit exit = automl::SearchMain(options);
  if (exit.code != 0) {
    // The other ranks may be waiting for us, unless they stop at the same error.
    if (!exit.every_rank_knows) MPI_Abort(MPI_COMM_WORLD, exit.code);
    automl::CheckLeaksBeforeMpiFinalize();
    MPI_Finalize();
    return exit.code;
  }
  if (absl::Status s = automl::ReportTraffic(comm, absl::ToDoubleSeconds(absl::Now() - start));
      !s.ok()) {
    std::cerr << "rank " << comm.rank() << ": error: " << s.message() << std::endl;
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  automl::CheckLeaksBeforeMpiFinalize();
  MPI_Finalize();
  return 0;
}
