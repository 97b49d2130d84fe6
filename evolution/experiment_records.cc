#include "evolution/experiment_records.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "evolution/fitness_proto.h"
#include "evolution/member_proto.h"
#include "instructions/program_proto.h"

namespace automl {

std::string FormatProgressLine(const ProgressRecord& r) {
  return absl::StrFormat(
      "experiment=%d indivs=%d elapsed_secs=%.2f indivs_per_sec=%.0f best_fitness=%.6f "
      "mean_fitness=%.6f fec_hit_rate=%.4f hurdle_cut_rate=%.4f train_steps=%d migrations=%d%s",
      r.experiment, r.individuals, r.elapsed_secs, r.individuals_per_sec, r.best_fitness,
      r.mean_fitness, r.fec_hit_rate, r.hurdle_cut_rate, r.train_steps, r.migrations,
      r.processes > 1 ? absl::StrFormat(" remote_migrations=%d", r.remote_migrations) : "");
}

ProgressRecordProto ToProto(const ProgressRecord& r) {
  ProgressRecordProto proto;
  proto.set_experiment(r.experiment);
  proto.set_individuals(r.individuals);
  proto.set_elapsed_secs(r.elapsed_secs);
  proto.set_individuals_per_sec(r.individuals_per_sec);
  proto.set_best_fitness(r.best_fitness);
  proto.set_mean_fitness(r.mean_fitness);
  proto.set_fec_hit_rate(r.fec_hit_rate);
  proto.set_hurdle_cut_rate(r.hurdle_cut_rate);
  proto.set_train_steps(r.train_steps);
  proto.set_migrations(r.migrations);
  proto.set_remote_migrations(r.remote_migrations);
  proto.set_processes(r.processes);
  return proto;
}

ProgressRecord FromProto(const ProgressRecordProto& proto) {
  ProgressRecord r;
  r.experiment = proto.experiment();
  r.individuals = proto.individuals();
  r.elapsed_secs = proto.elapsed_secs();
  r.individuals_per_sec = proto.individuals_per_sec();
  r.best_fitness = proto.best_fitness();
  r.mean_fitness = proto.mean_fitness();
  r.fec_hit_rate = proto.fec_hit_rate();
  r.hurdle_cut_rate = proto.hurdle_cut_rate();
  r.train_steps = proto.train_steps();
  r.migrations = proto.migrations();
  r.remote_migrations = proto.remote_migrations();
  r.processes = proto.processes();
  return r;
}

DiscoveryProto ToProto(const Discovery& d) {
  DiscoveryProto proto;
  proto.set_experiment(d.experiment);
  proto.set_individuals(d.individuals);
  proto.set_elapsed_secs(d.elapsed_secs);
  proto.set_fitness(d.fitness);
  *proto.mutable_program() = ToProto(d.program);
  ToProto(d.objectives, proto.mutable_objectives());
  proto.set_search_tasks_rotation(d.search_tasks_rotation);
  return proto;
}

absl::StatusOr<Discovery> FromProto(const DiscoveryProto& proto) {
  absl::StatusOr<Program> program = FromProto(proto.program());
  if (!program.ok()) {
    return absl::DataLossError(absl::StrCat(
        "the checkpoint's discovery in experiment ", proto.experiment(), " at ",
        proto.individuals(), " individuals has a bad program: ", program.status().message()));
  }
  Discovery d;
  d.experiment = proto.experiment();
  d.individuals = proto.individuals();
  d.elapsed_secs = proto.elapsed_secs();
  d.fitness = proto.fitness();
  // Checkpoints of older builds have the quality alone.
  d.objectives = proto.has_objectives() ? FromProto(proto.objectives()) : Fitness{d.fitness};
  d.search_tasks_rotation = proto.search_tasks_rotation();
  d.program = *std::move(program);
  return d;
}

ExperimentSummaryProto ToProto(const ExperimentSummary& e) {
  ExperimentSummaryProto proto;
  proto.set_experiment(e.experiment);
  proto.set_seed(e.seed);
  *proto.mutable_best_program() = ToProto(e.best_program);
  proto.set_best_island(e.best_island);
  proto.set_search_fitness(e.search_fitness);
  proto.set_select_fitness(e.select_fitness);
  proto.set_individuals(e.individuals);
  proto.set_train_steps(e.train_steps);
  proto.set_seconds(e.seconds);
  ToProto(e.search_objectives, proto.mutable_search_objectives());
  ToProto(e.select_objectives, proto.mutable_select_objectives());
  if (e.early_stop != NOT_STOPPED_EARLY) proto.set_early_stop(e.early_stop);
  if (e.select_candidates_scored > 0) {
    proto.set_select_candidates_scored(e.select_candidates_scored);
    proto.set_chosen_at_individuals(e.chosen_at_individuals);
  }
  for (const Individual& member : e.pareto_front) ToProto(member, proto.add_pareto_front());
  return proto;
}

absl::StatusOr<ExperimentSummary> FromProto(const ExperimentSummaryProto& proto) {
  absl::StatusOr<Program> program = FromProto(proto.best_program());
  if (!program.ok()) {
    return absl::DataLossError(
        absl::StrCat("the checkpoint's experiment ", proto.experiment(),
                     " has a bad best program: ", program.status().message()));
  }
  ExperimentSummary e;
  e.experiment = proto.experiment();
  e.seed = proto.seed();
  e.best_program = *std::move(program);
  e.best_island = proto.best_island();
  e.search_fitness = proto.search_fitness();
  e.select_fitness = proto.select_fitness();
  e.individuals = proto.individuals();
  e.train_steps = proto.train_steps();
  e.seconds = proto.seconds();
  // Checkpoints of older builds have the quality alone.
  e.search_objectives = proto.has_search_objectives() ? FromProto(proto.search_objectives())
                                                      : Fitness{e.search_fitness};
  e.select_objectives = proto.has_select_objectives() ? FromProto(proto.select_objectives())
                                                      : Fitness{e.select_fitness};
  e.early_stop = proto.early_stop();
  e.select_candidates_scored = proto.select_candidates_scored();
  e.chosen_at_individuals = proto.has_chosen_at_individuals() ? proto.chosen_at_individuals() : -1;
  for (const MemberProto& saved : proto.pareto_front()) {
    absl::StatusOr<Individual> member = FromProto(saved);
    if (!member.ok()) {
      return absl::DataLossError(
          absl::StrCat("the checkpoint's experiment ", proto.experiment(),
                       " has a bad Pareto front member: ", member.status().message()));
    }
    e.pareto_front.push_back(*std::move(member));
  }
  return e;
}

}  // namespace automl
