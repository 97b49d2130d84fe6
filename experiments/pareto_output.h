// What a PARETO run leaves at its end (docs/objectives.md, "Selection"): one line naming the
// recommended program, and in --output_dir pareto.csv (one row per member of the run's front:
// every computed objective on T_search, T_select, the final tasks' validation and test
// splits, and the member's program file) and the programs, pareto/member_NNN.txt (printed
// like best_algorithm.txt, parseable). experiments/report.py draws the front from pareto.csv.
#ifndef EXPERIMENTS_PARETO_OUTPUT_H_
#define EXPERIMENTS_PARETO_OUTPUT_H_

#include <string>

#include "absl/status/status.h"
#include "evolution/experiment_pareto.h"
#include "evolution/experiment_spec.pb.h"

namespace automl {

// "pareto/member_003.txt" for member 3.
std::string ParetoProgramFile(int index);

// The contents of pareto.csv. Columns: index, experiment, recommended (1 or 0), then
// SPLIT_OBJECTIVE for SPLIT in search, select, final_valid, final_test and every computed
// objective (the pareto objectives first, in the spec's order, then the others in the table's
// order), then program (the file name). Values not known are "nan".
std::string ParetoCsv(const ExperimentSpec& spec, const ParetoResult& pareto);

// "pareto_front=N recommended=pareto/member_003.txt rule=\"...\" select_quality=... ..."
std::string ParetoRecommendationLine(const ExperimentSpec& spec, const ParetoResult& pareto);

// Prints the recommendation line and, when `dir` is not empty, writes pareto.csv and the
// programs. Nothing when the run has no front (not PARETO).
absl::Status ReportParetoFront(const ExperimentSpec& spec, const ParetoResult& pareto,
                               const std::string& dir);

}  // namespace automl

#endif  // EXPERIMENTS_PARETO_OUTPUT_H_
