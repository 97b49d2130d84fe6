#include "evolution/checkpoint.h"

#include <algorithm>
#include <memory>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "evolution/checkpoint_file.h"
#include "evolution/fec_cache.h"
#include "evolution/fitness_proto.h"
#include "evolution/hurdle.h"
#include "evolution/member_proto.h"
#include "google/protobuf/util/message_differencer.h"
#include "instructions/status_macros.h"

namespace automl {
namespace {

using ::google::protobuf::Message;
using ::google::protobuf::util::MessageDifferencer;

// Collects the path of every differing field, e.g. "fec.cache_size" or "mutation_types[1]".
class FieldPathCollector : public MessageDifferencer::Reporter {
 public:
  void ReportAdded(const Message&, const Message&,
                   const std::vector<MessageDifferencer::SpecificField>& path) override {
    Add(path);
  }
  void ReportDeleted(const Message&, const Message&,
                     const std::vector<MessageDifferencer::SpecificField>& path) override {
    Add(path);
  }
  void ReportModified(const Message&, const Message&,
                      const std::vector<MessageDifferencer::SpecificField>& path) override {
    Add(path);
  }

  // In the order found, without duplicates, and without a message's path when one of its
  // fields is listed too (the field says more).
  std::vector<std::string> Paths() const {
    std::vector<std::string> out;
    for (const std::string& path : paths_) {
      const bool has_child = std::any_of(paths_.begin(), paths_.end(), [&](const std::string& p) {
        return p.size() > path.size() && p.compare(0, path.size(), path) == 0 &&
               (p[path.size()] == '.' || p[path.size()] == '[');
      });
      if (!has_child && std::find(out.begin(), out.end(), path) == out.end()) out.push_back(path);
    }
    return out;
  }

 private:
  void Add(const std::vector<MessageDifferencer::SpecificField>& path) {
    std::string text;
    for (const MessageDifferencer::SpecificField& field : path) {
      if (!text.empty()) text += ".";
      text += field.field != nullptr ? field.field->name()
                                     : absl::StrCat("(field ", field.unknown_field_number, ")");
      if (field.index >= 0) absl::StrAppend(&text, "[", field.index, "]");
    }
    paths_.push_back(std::move(text));
  }

  std::vector<std::string> paths_;
};

std::string LimitText(const ExperimentSpec& spec, const char* name) {
  const auto* field = ExperimentSpec::descriptor()->FindFieldByName(name);
  const auto* reflection = spec.GetReflection();
  if (!reflection->HasField(spec, field)) return "none";
  if (field->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_DOUBLE) {
    return absl::StrCat(reflection->GetDouble(spec, field));
  }
  return absl::StrCat(reflection->GetInt64(spec, field));
}

constexpr const char* kStoppingLimits[] = {"max_individuals", "max_train_steps", "max_seconds"};

}  // namespace

void SaveRng(const Rng::State& state, RngStateProto* proto) {
  proto->clear_words();
  for (uint64_t word : state) proto->add_words(word);
}

absl::StatusOr<Rng::State> RestoreRng(const RngStateProto& proto) {
  Rng::State state;
  if (proto.words_size() != static_cast<int>(state.size())) {
    return absl::DataLossError(
        absl::StrCat("an RNG state has ", proto.words_size(), " words, expected ", state.size()));
  }
  for (size_t i = 0; i < state.size(); ++i) state[i] = proto.words(i);
  return state;
}

void SaveEvaluatorState(const SearchEvaluator& evaluator, SearchEvaluatorStateProto* proto) {
  proto->Clear();
  proto->set_train_steps(evaluator.train_steps());
  if (const FecCache* fec = evaluator.fec()) {
    proto->set_has_fec(true);
    for (const auto& [signature, fitness] : fec->EntriesOldestFirst()) {
      proto->add_fec_signatures(signature);
      ToProto(fitness, proto->add_fec_objectives());
    }
    proto->set_fec_cache_hits(fec->hits());
    proto->set_fec_cache_lookups(fec->lookups());
  }
  if (const RollingHurdle* hurdle = evaluator.hurdle()) {
    const RollingHurdle::State state = hurdle->state();
    proto->set_has_hurdle(true);
    for (double value : state.window) proto->add_hurdle_window(value);
    proto->set_hurdle_next(state.next);
    proto->set_hurdle_seen(state.seen);
    proto->set_hurdle_value(state.hurdle);
  }
  const SearchEvaluatorStats& stats = evaluator.stats();
  proto->set_evaluations(stats.evaluations);
  proto->set_fec_lookups(stats.fec_lookups);
  proto->set_fec_hits(stats.fec_hits);
  proto->set_hurdle_checks(stats.hurdle_checks);
  proto->set_hurdle_cuts(stats.hurdle_cuts);
  proto->set_budget_rejections(stats.budget_rejections);
  proto->set_full_evaluations(stats.full_evaluations);
  proto->set_memo_hits(stats.memo_hits);
}

absl::Status RestoreEvaluatorState(const SearchEvaluatorStateProto& proto,
                                   SearchEvaluator& evaluator) {
  if (FecCache* fec = evaluator.fec(); fec != nullptr && proto.has_fec()) {
    // Older builds saved the quality alone, in fec_fitness.
    const bool old_format = proto.fec_objectives_size() == 0;
    const int num_values = old_format ? proto.fec_fitness_size() : proto.fec_objectives_size();
    if (proto.fec_signatures_size() != num_values ||
        (!old_format && proto.fec_fitness_size() > 0)) {
      return absl::DataLossError(absl::StrCat(
          "the saved FEC has ", proto.fec_signatures_size(), " signatures but ",
          proto.fec_objectives_size(), " fitness values and ", proto.fec_fitness_size(),
          " quality values (expected as many fitness values, or quality values, as signatures)"));
    }
    std::vector<std::pair<uint64_t, Fitness>> entries;
    entries.reserve(proto.fec_signatures_size());
    for (int i = 0; i < proto.fec_signatures_size(); ++i) {
      entries.emplace_back(proto.fec_signatures(i), old_format
                                                        ? Fitness{proto.fec_fitness(i)}
                                                        : FromProto(proto.fec_objectives(i)));
    }
    fec->Restore(entries, proto.fec_cache_hits(), proto.fec_cache_lookups());
  }
  if (RollingHurdle* hurdle = evaluator.hurdle(); hurdle != nullptr && proto.has_hurdle()) {
    RollingHurdle::State state;
    state.window.assign(proto.hurdle_window().begin(), proto.hurdle_window().end());
    state.next = proto.hurdle_next();
    state.seen = proto.hurdle_seen();
    state.hurdle = proto.hurdle_value();
    if (state.next < 0 || (state.next > 0 && state.next >= static_cast<int>(state.window.size()))) {
      return absl::DataLossError(absl::StrCat("the saved hurdle position ", state.next,
                                              " is outside its window of ", state.window.size()));
    }
    hurdle->set_state(state);
  }
  SearchEvaluatorStats stats;
  stats.evaluations = proto.evaluations();
  stats.fec_lookups = proto.fec_lookups();
  stats.fec_hits = proto.fec_hits();
  stats.hurdle_checks = proto.hurdle_checks();
  stats.hurdle_cuts = proto.hurdle_cuts();
  stats.budget_rejections = proto.budget_rejections();
  stats.full_evaluations = proto.full_evaluations();
  stats.memo_hits = proto.memo_hits();
  evaluator.RestoreCounters(stats, proto.train_steps());
  return absl::OkStatus();
}

void SaveEvolutionState(const RegularizedEvolution& evolution, IslandStateProto* proto) {
  proto->clear_population();
  for (const Individual& member : evolution.population()) {
    ToProto(member, proto->add_population());
  }
  proto->set_oldest(evolution.oldest_index());
  proto->set_num_individuals(evolution.num_individuals());
  ToProto(evolution.best_ever(), proto->mutable_best_ever());
  SaveRng(evolution.rng().state(), proto->mutable_rng());
  proto->clear_archive();
  if (const ParetoArchive* archive = evolution.archive()) {
    for (const Individual& member : archive->members()) ToProto(member, proto->add_archive());
  }
}

absl::Status RestoreEvolutionState(const IslandStateProto& proto, RegularizedEvolution& evolution) {
  std::vector<Individual> population;
  population.reserve(proto.population_size());
  for (const MemberProto& member : proto.population()) {
    ASSIGN_OR_RETURN(Individual individual, FromProto(member));
    population.push_back(std::move(individual));
  }
  ASSIGN_OR_RETURN(Individual best, FromProto(proto.best_ever()));
  ASSIGN_OR_RETURN(const Rng::State rng, RestoreRng(proto.rng()));
  RETURN_IF_ERROR(evolution.RestoreState(std::move(population), proto.oldest(),
                                         proto.num_individuals(), std::move(best), rng));
  std::vector<Individual> archive;
  for (const MemberProto& member : proto.archive()) {
    ASSIGN_OR_RETURN(Individual individual, FromProto(member));
    archive.push_back(std::move(individual));
  }
  return evolution.RestoreArchive(std::move(archive));
}

absl::Status WriteCheckpoint(const std::string& path, const CheckpointProto& checkpoint) {
  std::string payload;
  if (!checkpoint.SerializeToString(&payload)) {
    return absl::InternalError(absl::StrCat("cannot serialize the checkpoint for ", path));
  }
  return WriteCheckpointFile(path, payload);
}

absl::StatusOr<CheckpointProto> ParseCheckpoint(const std::string& payload,
                                                const std::string& source) {
  CheckpointProto checkpoint;
  if (!checkpoint.ParseFromString(payload)) {
    return absl::DataLossError(absl::StrCat("checkpoint ", source, " does not parse"));
  }
  if (checkpoint.format_version() != kCheckpointFormatVersion) {
    return absl::FailedPreconditionError(
        absl::StrCat("checkpoint ", source, " has format version ", checkpoint.format_version(),
                     "; this build reads version ", kCheckpointFormatVersion));
  }
  return checkpoint;
}

absl::StatusOr<LoadedCheckpoint> ReadCheckpoint(const std::string& path) {
  ASSIGN_OR_RETURN(const CheckpointRead read, ReadCheckpointFile(path));
  absl::StatusOr<CheckpointProto> parsed = ParseCheckpoint(read.payload, read.source_path);
  if (parsed.ok()) {
    return LoadedCheckpoint{*std::move(parsed), read.source_path, read.warning};
  }
  const std::string previous_path = path + ".prev";
  if (read.source_path == previous_path || !absl::IsDataLoss(parsed.status())) {
    return parsed.status();
  }
  // The latest file had a valid frame but not a checkpoint inside: try the previous one.
  absl::StatusOr<CheckpointRead> previous = ReadCheckpointFile(previous_path);
  if (!previous.ok() || previous->source_path != previous_path) {
    return absl::DataLossError(absl::StrCat(
        parsed.status().message(), "; ",
        previous.ok() ? absl::StrCat("no usable ", previous_path) : previous.status().message()));
  }
  absl::StatusOr<CheckpointProto> previous_parsed =
      ParseCheckpoint(previous->payload, previous_path);
  if (!previous_parsed.ok()) {
    return absl::DataLossError(
        absl::StrCat(parsed.status().message(), "; ", previous_parsed.status().message()));
  }
  return LoadedCheckpoint{
      *std::move(previous_parsed), previous_path,
      absl::StrCat(parsed.status().message(), "; using the previous checkpoint ", previous_path)};
}

std::vector<std::string> DifferingSpecFields(const ExperimentSpec& saved,
                                             const ExperimentSpec& now) {
  FieldPathCollector collector;  // Outlives the differencer, which points to it.
  MessageDifferencer differencer;
  differencer.set_message_field_comparison(MessageDifferencer::EQUIVALENT);
  for (const char* limit : kStoppingLimits) {
    differencer.IgnoreField(ExperimentSpec::descriptor()->FindFieldByName(limit));
  }
  differencer.ReportDifferencesTo(&collector);
  differencer.Compare(saved, now);
  return collector.Paths();
}

std::vector<std::string> ChangedStoppingLimits(const ExperimentSpec& saved,
                                               const ExperimentSpec& now) {
  std::vector<std::string> changes;
  for (const char* limit : kStoppingLimits) {
    const std::string before = LimitText(saved, limit);
    const std::string after = LimitText(now, limit);
    if (before != after) changes.push_back(absl::StrCat(limit, " ", after, " (was ", before, ")"));
  }
  return changes;
}

}  // namespace automl
