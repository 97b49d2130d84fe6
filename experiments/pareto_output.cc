#include "experiments/pareto_output.h"

#include <filesystem>
#include <iostream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "evolution/objectives_spec.h"
#include "executor/objectives.h"
#include "experiments/search_outputs.h"
#include "instructions/printer.h"
#include "instructions/status_macros.h"

namespace automl {
namespace {

// The pareto objectives in the spec's order, then the other computed ones.
std::vector<Objective> Columns(const ExperimentSpec& spec) {
  std::vector<Objective> columns;
  for (int name : spec.objectives().pareto_objectives()) {
    columns.push_back(ToObjective(static_cast<ObjectiveName>(name)));
  }
  for (Objective objective : ComputedObjectives(spec)) {
    bool listed = false;
    for (Objective c : columns) listed |= c == objective;
    if (!listed) columns.push_back(objective);
  }
  return columns;
}

std::string Name(Objective objective) { return std::string(Info(objective).name); }

}  // namespace

std::string ParetoProgramFile(int index) {
  return absl::StrFormat("pareto/member_%03d.txt", index);
}

std::string ParetoCsv(const ExperimentSpec& spec, const ParetoResult& pareto) {
  const std::vector<Objective> columns = Columns(spec);
  const char* splits[] = {"search", "select", "final_valid", "final_test"};
  std::string csv = "index,experiment,recommended";
  for (const char* split : splits) {
    for (Objective objective : columns) absl::StrAppend(&csv, ",", split, "_", Name(objective));
  }
  csv += ",program\n";
  for (int i = 0; i < static_cast<int>(pareto.members.size()); ++i) {
    const ParetoMember& member = pareto.members[i];
    absl::StrAppend(&csv, i, ",", member.experiment, ",", i == pareto.recommended.index ? 1 : 0);
    for (const Fitness* fitness :
         {&member.search, &member.select, &member.final_valid, &member.final_test}) {
      for (Objective objective : columns) {
        absl::StrAppend(&csv, ",", absl::StrFormat("%.9g", ObjectiveValue(*fitness, objective)));
      }
    }
    absl::StrAppend(&csv, ",", ParetoProgramFile(i), "\n");
  }
  return csv;
}

std::string ParetoRecommendationLine(const ExperimentSpec& spec, const ParetoResult& pareto) {
  const int index = pareto.recommended.index;
  std::string line = absl::StrCat("pareto_front=", pareto.members.size(),
                                  " recommended=", ParetoProgramFile(index), " rule=\"",
                                  pareto.recommended.rule, "\"");
  for (Objective objective : Columns(spec)) {
    absl::StrAppend(
        &line, " select_", Name(objective), "=",
        absl::StrFormat("%.6g", ObjectiveValue(pareto.members[index].select, objective)));
  }
  return line;
}

absl::Status ReportParetoFront(const ExperimentSpec& spec, const ParetoResult& pareto,
                               const std::string& dir) {
  if (pareto.members.empty()) return absl::OkStatus();
  std::cout << ParetoRecommendationLine(spec, pareto) << std::endl;
  if (dir.empty()) return absl::OkStatus();
  std::error_code error;
  std::filesystem::create_directories(absl::StrCat(dir, "/pareto"), error);
  if (error) {
    return absl::InternalError(absl::StrCat("cannot create ", dir, "/pareto: ", error.message()));
  }
  for (int i = 0; i < static_cast<int>(pareto.members.size()); ++i) {
    RETURN_IF_ERROR(WriteTextFile(absl::StrCat(dir, "/", ParetoProgramFile(i)),
                                  PrintProgram(pareto.members[i].program)));
  }
  return WriteTextFile(absl::StrCat(dir, "/pareto.csv"), ParetoCsv(spec, pareto));
}

}  // namespace automl
