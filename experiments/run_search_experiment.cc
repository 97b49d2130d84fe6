// Runs an evolutionary search described by a text-format ExperimentSpec and prints the best
// program it found. See README.md ("Running a search") for the flags and outputs;
// run_search_experiment_mpi is the same program spread over MPI processes.
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "experiments/search_main.h"

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("Evolves ML algorithms from scratch. Usage: --spec=PATH ...");
  automl::SearchMainOptions options;
  options.unparsed_args = absl::ParseCommandLine(argc, argv);
  return automl::SearchMain(options).code;
}
