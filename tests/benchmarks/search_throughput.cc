// Measures search throughput (individuals per second) with each speed option of the executor
// and the search evaluator on and off, in one process, interleaving the configurations round
// by round so that the machine's load affects them alike; reports medians and ratios. Every
// configuration runs the same search as run_search_experiment's first experiment on one island
// (same seeds), for a fixed number of individuals, and the exact ones must end with identical
// results (best fitness, FEC hits, train steps), which the binary checks. Used by
// experiments/bench_throughput.sh, e.g.
//   search_throughput --spec=experiments/specs/linear_demo.textproto --individuals=200000
//       --configs=all,no_dce,no_memo,reference_dispatch,original --rounds=3
// The "pareto" configuration selects by NSGA-II over quality x inference_cost (with an archive
// of archive_size members) instead of quality alone: its ratio to "all" is the cost of PARETO
// selection (docs/objectives.md); --archive_offer_ns also times the archive on its own.
#include <time.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "evolution/experiment_spec.h"
#include "evolution/generator.h"
#include "evolution/mutator.h"
#include "evolution/pareto_archive.h"
#include "evolution/regularized_evolution.h"
#include "evolution/search_evaluator.h"
#include "evolution/selection.h"
#include "executor/executor.h"
#include "instructions/random.h"
#include "tasks/task_registry.h"

ABSL_FLAG(std::string, spec, "", "Experiment spec (text format) whose search is timed.");
ABSL_FLAG(uint64_t, random_seed, 1, "As run_search_experiment's --random_seed.");
ABSL_FLAG(int64_t, individuals, 100000,
          "Individuals per timed search, including the initial population.");
ABSL_FLAG(std::string, configs, "all,no_dce,no_memo,reference_dispatch,original",
          "Comma-separated configurations: all, no_dce, no_memo, no_fec, reference_dispatch, "
          "decoded_switch, original (everything off), pareto (NSGA-II selection on quality x "
          "inference_cost).");
ABSL_FLAG(int32_t, rounds, 3, "Timed repetitions of every configuration, interleaved.");
ABSL_FLAG(int32_t, train_examples, 0, "If > 0, overrides the search tasks' num_train_examples.");
ABSL_FLAG(int32_t, valid_examples, 0, "If > 0, overrides the search tasks' num_valid_examples.");
ABSL_FLAG(int32_t, archive_size, 100, "The pareto configuration's archive_size.");
ABSL_FLAG(bool, archive_offer_ns, false,
          "Also time ParetoArchive::Offer on a full archive of --archive_size members on a "
          "two-objective front (random candidates, mostly dominated).");
ABSL_FLAG(bool, time_executor, false,
          "Also run each configuration once more with a clock around every executor call, and "
          "report the fraction of the time spent inside the executor.");

namespace automl {
namespace {

constexpr uint64_t kExperimentStream = 1;  // As evolution/experiment.cc.
constexpr uint64_t kRandomOpStream = 2;

struct Config {
  std::string name;
  bool dce = true;
  Dispatch dispatch = Dispatch::kThreaded;
  bool memo = true;
  bool fec = true;
  bool exact = true;  // Must give the same results as "all".
  bool pareto = false;
};

absl::StatusOr<Config> ParseConfig(const std::string& name) {
  Config c;
  c.name = name;
  if (name == "all") return c;
  if (name == "no_dce") {
    c.dce = false;
  } else if (name == "no_memo") {
    c.memo = false;
  } else if (name == "no_fec") {
    c.fec = false;
    c.exact = false;  // The FEC changes which fitness a program gets (signature collisions).
  } else if (name == "reference_dispatch") {
    c.dispatch = Dispatch::kReference;
  } else if (name == "decoded_switch") {
    c.dispatch = Dispatch::kDecodedSwitch;
  } else if (name == "pareto") {
    c.pareto = true;
    c.exact = false;  // Another selection: another search.
  } else if (name == "original") {
    c.dce = false;
    c.memo = false;
    c.dispatch = Dispatch::kReference;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("--configs: unknown configuration '", name, "'"));
  }
  return c;
}

// Forwards to an executor and clocks every call.
class TimingExecutor final : public Executor {
 public:
  explicit TimingExecutor(std::unique_ptr<Executor> inner)
      : Executor(inner->options(), inner->num_tasks()), inner_(std::move(inner)) {}

  Fitness Evaluate(const Program& program, int first_task, int num_tasks) override {
    Clock clock(this);
    return inner_->Evaluate(program, first_task, num_tasks);
  }
  Fitness EvaluateTask(const Program& program, int task) override {
    Clock clock(this);
    return inner_->EvaluateTask(program, task);
  }
  std::vector<TaskScore> EvaluatePerTask(const Program& program) override {
    Clock clock(this);
    return inner_->EvaluatePerTask(program);
  }
  uint64_t FecSignature(const Program& program, int num_train, int num_valid) override {
    Clock clock(this);
    return inner_->FecSignature(program, num_train, num_valid);
  }
  ProgramKey ExecutionKey(const Program& program) override {
    Clock clock(this);
    return inner_->ExecutionKey(program);
  }
  Fitness StaticObjectives(const Program& program) override {
    Clock clock(this);
    return inner_->StaticObjectives(program);
  }
  std::unique_ptr<Executor> Clone() const override {
    return std::make_unique<TimingExecutor>(inner_->Clone());
  }
  int64_t nanos() const { return nanos_; }

 private:
  struct Clock {
    explicit Clock(TimingExecutor* e) : e(e), start(absl::GetCurrentTimeNanos()) {}
    ~Clock() {
      e->nanos_ += absl::GetCurrentTimeNanos() - start;
      e->train_steps_ = e->inner_->train_steps();
    }
    TimingExecutor* e;
    int64_t start;
  };
  std::unique_ptr<Executor> inner_;
  int64_t nanos_ = 0;
};

// CPU time of this thread: unlike wall time it barely moves when other processes compete for
// the cores, which they do on a shared machine.
double ThreadCpuSeconds() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

struct RunResult {
  double seconds = 0.0;  // Thread CPU time.
  double wall_seconds = 0.0;
  double executor_fraction = -1.0;
  int64_t individuals = 0;
  int64_t train_steps = 0;
  SearchEvaluatorStats stats;
  double best_fitness = 0.0;
  double mean_fitness = 0.0;
};

// PARETO on quality x inference_cost with --archive_size.
ObjectivesSpec ParetoObjectives() {
  ObjectivesSpec spec;
  spec.set_selection(PARETO);
  spec.add_pareto_objectives(QUALITY);
  spec.add_pareto_objectives(INFERENCE_COST);
  spec.set_archive_size(absl::GetFlag(FLAGS_archive_size));
  return spec;
}

class Bench {
 public:
  static absl::StatusOr<std::unique_ptr<Bench>> Create(const ExperimentSpec& spec,
                                                       uint64_t random_seed) {
    std::unique_ptr<Bench> bench(new Bench);
    bench->spec_ = spec;
    absl::StatusOr<SearchSpace> space = BuildSearchSpace(spec);
    if (!space.ok()) return space.status();
    bench->space_ = *space;
    absl::StatusOr<std::vector<Dataset>> datasets = GenerateTasks(spec.search_tasks());
    if (!datasets.ok()) return datasets.status();
    bench->datasets_ = *std::move(datasets);
    bench->random_seed_ = random_seed;
    return bench;
  }

  absl::StatusOr<RunResult> Run(const Config& config, int64_t individuals, bool time_executor) {
    ExecutorOptions options;
    options.shape = space_.shape;
    options.max_abs_error = spec_.max_abs_error();
    options.combination =
        spec_.fitness_combination() == MEDIAN ? TaskCombination::kMedian : TaskCombination::kMean;
    options.random_op_seed = DeriveSeed(random_seed_, kRandomOpStream);
    options.dead_code_elimination = config.dce;
    options.dispatch = config.dispatch;
    absl::StatusOr<std::unique_ptr<Executor>> executor = Executor::Create(datasets_, options);
    if (!executor.ok()) return executor.status();
    TimingExecutor* timing = nullptr;
    if (time_executor) {
      auto wrapped = std::make_unique<TimingExecutor>(*std::move(executor));
      timing = wrapped.get();
      executor = std::unique_ptr<Executor>(std::move(wrapped));
    }
    // The pareto configuration's spec has its objectives, so the evaluator computes the
    // inference cost of every child as a search with them does.
    ExperimentSpec spec = spec_;
    if (config.pareto) *spec.mutable_objectives() = ParetoObjectives();
    SearchEvaluatorOptions evaluator_options = SearchEvaluatorOptionsFromSpec(spec);
    evaluator_options.fec_enabled = config.fec;
    evaluator_options.signature_memo = config.memo;
    if (spec_.train_budget().enabled()) {
      return absl::UnimplementedError("specs with a train budget are not supported here");
    }
    const Mutator mutator = Mutator::FromSpec(spec_, space_);

    const absl::Time start = absl::Now();
    const double cpu_start = ThreadCpuSeconds();
    SearchEvaluator evaluator(*std::move(executor), evaluator_options);
    // Island 0 of experiment 0 runs on the experiment seed itself (island_partition.h).
    RegularizedEvolution evolution(
        spec_.population_size(), spec_.tournament_size(), &evaluator, &mutator,
        DeriveSeed(random_seed_, kExperimentStream),
        config.pareto ? Selection::FromSpec(spec.objectives()) : Selection());
    std::vector<Program> initial;
    for (int i = 0; i < spec_.population_size(); ++i) {
      absl::StatusOr<Program> program =
          InitialProgram(spec_.initial_population(), space_, evolution.rng());
      if (!program.ok()) return program.status();
      initial.push_back(*std::move(program));
    }
    evolution.Initialize(initial);
    while (evolution.num_individuals() < individuals) evolution.Step();

    RunResult result;
    result.seconds = ThreadCpuSeconds() - cpu_start;
    result.wall_seconds = absl::ToDoubleSeconds(absl::Now() - start);
    // The executor's clock is wall time, so the fraction is of wall time.
    if (timing != nullptr) {
      result.executor_fraction = timing->nanos() * 1e-9 / result.wall_seconds;
    }
    result.individuals = evolution.num_individuals();
    result.train_steps = evaluator.train_steps();
    result.stats = evaluator.stats();
    result.best_fitness = evolution.best_ever().fitness.quality;
    result.mean_fitness = evolution.MeanFitness();
    return result;
  }

 private:
  Bench() = default;
  ExperimentSpec spec_;
  SearchSpace space_;
  std::vector<Dataset> datasets_;
  uint64_t random_seed_ = 1;
};

// Nanoseconds per Offer to a full archive whose members lie on the front quality = c / 1000
// (c the cost), against random candidates (most dominated, some entering and pushing another
// out): the archive's share of a step when the costs make a real front.
double ArchiveOfferNanos() {
  const int size = absl::GetFlag(FLAGS_archive_size);
  ParetoArchive archive(Selection::FromSpec(ParetoObjectives()), size);
  const auto member = [](double quality, double cost) {
    Individual individual;
    individual.program = std::make_shared<const Program>();
    individual.fitness.quality = quality;
    individual.fitness.inference_cost = cost;
    return individual;
  };
  for (int i = 0; i < size; ++i) archive.Offer(member(i / 1000.0, i));
  Rng rng(7);
  std::vector<Individual> candidates;
  for (int i = 0; i < 4096; ++i) {
    candidates.push_back(member(rng.UniformDouble() * size / 1000.0, rng.UniformDouble() * size));
  }
  constexpr int kOffers = 1000000;
  const double start = ThreadCpuSeconds();
  int kept = 0;
  for (int i = 0; i < kOffers; ++i) kept += archive.Offer(candidates[i % candidates.size()]);
  const double nanos = (ThreadCpuSeconds() - start) * 1e9 / kOffers;
  std::printf("archive_offer: size=%d ns_per_offer=%.0f kept=%d of %d\n", size, nanos, kept,
              kOffers);
  return nanos;
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

bool SameResult(const RunResult& a, const RunResult& b) {
  return a.best_fitness == b.best_fitness && a.mean_fitness == b.mean_fitness &&
         a.train_steps == b.train_steps && a.stats.fec_hits == b.stats.fec_hits &&
         a.stats.fec_lookups == b.stats.fec_lookups &&
         a.stats.full_evaluations == b.stats.full_evaluations;
}

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "error: %s\n", std::string(status.message()).c_str());
  return 1;
}

int Main() {
  const std::string path = absl::GetFlag(FLAGS_spec);
  if (path.empty()) return Fail(absl::InvalidArgumentError("--spec is required"));
  absl::StatusOr<ExperimentSpec> spec = ReadExperimentSpecFile(path);
  if (!spec.ok()) return Fail(spec.status());
  for (TaskSpec& task : *spec->mutable_search_tasks()->mutable_tasks()) {
    if (absl::GetFlag(FLAGS_train_examples) > 0) {
      task.set_num_train_examples(absl::GetFlag(FLAGS_train_examples));
    }
    if (absl::GetFlag(FLAGS_valid_examples) > 0) {
      task.set_num_valid_examples(absl::GetFlag(FLAGS_valid_examples));
    }
  }
  if (absl::Status s = ValidateExperimentSpec(*spec); !s.ok()) {
    return Fail(absl::InvalidArgumentError(absl::StrCat(path, ": ", s.message())));
  }
  if (absl::GetFlag(FLAGS_individuals) <= spec->population_size()) {
    return Fail(absl::InvalidArgumentError("--individuals must exceed the population size"));
  }
  if (absl::GetFlag(FLAGS_rounds) < 1) {
    return Fail(absl::InvalidArgumentError("--rounds must be >= 1"));
  }
  std::vector<Config> configs;
  for (absl::string_view name : absl::StrSplit(absl::GetFlag(FLAGS_configs), ',')) {
    absl::StatusOr<Config> config = ParseConfig(std::string(name));
    if (!config.ok()) return Fail(config.status());
    configs.push_back(*config);
  }
  absl::StatusOr<std::unique_ptr<Bench>> bench =
      Bench::Create(*spec, absl::GetFlag(FLAGS_random_seed));
  if (!bench.ok()) return Fail(bench.status());

  const int64_t individuals = absl::GetFlag(FLAGS_individuals);
  std::map<std::string, std::vector<double>> rates;
  std::map<std::string, RunResult> last;
  std::map<std::string, double> fractions;
  for (int round = 0; round < absl::GetFlag(FLAGS_rounds); ++round) {
    for (const Config& config : configs) {
      absl::StatusOr<RunResult> r = (*bench)->Run(config, individuals, false);
      if (!r.ok()) return Fail(r.status());
      const double rate = r->individuals / r->seconds;
      rates[config.name].push_back(rate);
      last[config.name] = *r;
      std::printf(
          "round=%d config=%s indivs=%lld cpu_secs=%.2f wall_secs=%.2f "
          "indivs_per_cpu_sec=%.0f\n",
          round, config.name.c_str(), static_cast<long long>(r->individuals), r->seconds,
          r->wall_seconds, rate);
      std::fflush(stdout);
    }
  }
  if (absl::GetFlag(FLAGS_archive_offer_ns)) ArchiveOfferNanos();
  if (absl::GetFlag(FLAGS_time_executor)) {
    for (const Config& config : configs) {
      absl::StatusOr<RunResult> r = (*bench)->Run(config, individuals, true);
      if (!r.ok()) return Fail(r.status());
      fractions[config.name] = r->executor_fraction;
    }
  }

  const std::string& base = configs.front().name;
  const double base_rate = Median(rates[base]);
  std::printf("\n%-20s %12s %8s %12s %9s %9s %9s %s\n", "config", "indivs/cpu_s", "vs_first",
              "train_steps/s", "fec_hit", "memo_hit", "in_exec", "same_result_as_first");
  bool all_exact = true;
  for (const Config& config : configs) {
    const RunResult& r = last[config.name];
    const double rate = Median(rates[config.name]);
    const bool same = SameResult(r, last[base]);
    if (config.exact && configs.front().exact && !same) all_exact = false;
    const double memo_rate = r.stats.fec_lookups == 0
                                 ? 0.0
                                 : static_cast<double>(r.stats.memo_hits) / r.stats.fec_lookups;
    char fraction[32] = "-";
    if (fractions.count(config.name)) {
      std::snprintf(fraction, sizeof(fraction), "%.2f", fractions[config.name]);
    }
    std::printf("%-20s %12.0f %8.3f %12.3g %9.4f %9.4f %9s %s\n", config.name.c_str(), rate,
                rate / base_rate, r.train_steps / (r.individuals / rate), r.stats.fec_hit_rate(),
                memo_rate, fraction, same ? "yes" : (config.exact ? "NO" : "no (not exact)"));
  }
  std::printf("best_fitness=%.17g train_steps=%lld (of %s)\n", last[base].best_fitness,
              static_cast<long long>(last[base].train_steps), base.c_str());
  if (!all_exact) {
    std::fprintf(stderr, "error: an exact configuration changed the search's results\n");
    return 2;
  }
  return 0;
}

}  // namespace
}  // namespace automl

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Times the search with each speed option on and off. Usage: --spec=PATH ...");
  absl::ParseCommandLine(argc, argv);
  return automl::Main();
}
