#include "experiments/summary_json.h"

#include <algorithm>
#include <cmath>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "evolution/early_stop.h"
#include "executor/objectives.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/json_util.h"

namespace automl {
namespace {

// Seconds to the millisecond: finer digits are timing noise.
double Milliseconds(double seconds) { return std::round(seconds * 1000) / 1000; }

// The names of the 64-bit integer fields of `type` and of the messages it holds.
void AddInt64FieldNames(const google::protobuf::Descriptor& type,
                        absl::flat_hash_set<std::string>& names) {
  using google::protobuf::FieldDescriptor;
  for (int i = 0; i < type.field_count(); ++i) {
    const FieldDescriptor& field = *type.field(i);
    if (field.cpp_type() == FieldDescriptor::CPPTYPE_INT64 ||
        field.cpp_type() == FieldDescriptor::CPPTYPE_UINT64) {
      names.insert(field.name());
    } else if (field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      AddInt64FieldNames(*field.message_type(), names);
    }
  }
}

// One line of the printer's output, `"name": "123",` -> `"name": 123,` when `name` is a 64-bit
// integer field (no field of summary.proto shares its name with a string field).
std::string UnquoteInt64(absl::string_view line, const absl::flat_hash_set<std::string>& names) {
  const size_t key_end = line.find("\": \"");
  if (line.empty() || line[0] != '"' || key_end == absl::string_view::npos ||
      !names.contains(line.substr(1, key_end - 1))) {
    return std::string(line);
  }
  const absl::string_view value = line.substr(key_end + 4);  // After the opening quote.
  const size_t value_end = value.find('"');
  return absl::StrCat(line.substr(0, key_end + 3), value.substr(0, value_end),
                      value.substr(value_end + 1));
}

void AddObjectives(const std::vector<Objective>& objectives, const Fitness& search,
                   const Fitness& select,
                   google::protobuf::RepeatedPtrField<SearchSummaryProto::ObjectiveValues>& out) {
  for (Objective objective : objectives) {
    SearchSummaryProto::ObjectiveValues& values = *out.Add();
    values.set_name(std::string(Info(objective).name));
    values.set_search(ObjectiveValue(search, objective));
    values.set_select(ObjectiveValue(select, objective));
  }
}

}  // namespace

SearchSummaryProto ToSummaryProto(const SearchResult& result, const RunInfo& info) {
  SearchSummaryProto summary;
  summary.set_random_seed(info.random_seed);
  summary.set_spec_path(info.spec_path);
  summary.set_final_fitness(result.final_fitness);
  if (result.final_has_test) summary.set_final_test_fitness(result.final_test_fitness);
  summary.set_best_experiment(result.best_experiment);
  summary.set_best_select_fitness(result.best_select_fitness);
  summary.set_num_islands(result.num_islands);
  summary.set_individuals(result.total_individuals);
  summary.set_seconds(Milliseconds(result.seconds));
  summary.set_interrupted(result.interrupted);
  summary.set_resumed(result.resumed);
  AddObjectives(result.objectives, result.best_search_objectives, result.best_select_objectives,
                *summary.mutable_objectives());
  for (int i = 0; i < summary.objectives_size(); ++i) {
    const Objective objective = result.objectives[i];
    summary.mutable_objectives(i)->set_final_valid(
        ObjectiveValue(result.final_objectives, objective));
    if (result.final_has_test) {
      summary.mutable_objectives(i)->set_final_test(
          ObjectiveValue(result.final_test_objectives, objective));
    }
  }
  for (const ExperimentSummary& e : result.experiments) {
    SearchSummaryProto::Experiment& experiment = *summary.add_experiments();
    experiment.set_experiment(e.experiment);
    experiment.set_seed(e.seed);
    experiment.set_search_fitness(e.search_fitness);
    experiment.set_select_fitness(e.select_fitness);
    experiment.set_individuals(e.individuals);
    experiment.set_train_steps(e.train_steps);
    experiment.set_seconds(Milliseconds(e.seconds));
    AddObjectives(result.objectives, e.search_objectives, e.select_objectives,
                  *experiment.mutable_objectives());
    if (e.interrupted) experiment.set_interrupted(true);
    if (e.early_stop != NOT_STOPPED_EARLY) experiment.set_early_stop(EarlyStopName(e.early_stop));
    if (e.select_candidates_scored > 0) {
      experiment.set_select_candidates_scored(e.select_candidates_scored);
      experiment.set_chosen_at_individuals(e.chosen_at_individuals);
    }
  }
  return summary;
}

absl::StatusOr<std::string> SummaryJson(const SearchSummaryProto& summary) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.always_print_primitive_fields = true;
  options.preserve_proto_field_names = true;
  std::string printed;
  if (const auto status = google::protobuf::util::MessageToJsonString(summary, &printed, options);
      !status.ok()) {
    return absl::InternalError(
        absl::StrCat("cannot print summary.json: ", status.message().as_string()));
  }
  absl::flat_hash_set<std::string> int64_names;
  AddInt64FieldNames(*SearchSummaryProto::descriptor(), int64_names);
  // The printer puts every field on its own line and indents by one space per level.
  std::string text;
  for (absl::string_view line : absl::StrSplit(printed, '\n', absl::SkipEmpty())) {
    const size_t indent = std::min(line.find_first_not_of(' '), line.size());
    absl::StrAppend(&text, std::string(2 * indent, ' '),
                    UnquoteInt64(line.substr(indent), int64_names), "\n");
  }
  return text;
}

}  // namespace automl
