// Tests of checkpoints, resume and warm start: the durable file framing (truncation,
// corruption, fallback to the previous file), the round trip of a search's state (every field
// restored, the RNG continuing identically), resumed runs equal to uninterrupted ones (after a
// limit was raised, after a stop request at a boundary, in the middle of a round, and in a later
// experiment), checkpoint timing not changing results, spec comparison, and seed programs.
#include "evolution/checkpoint.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "evolution/checkpoint_file.h"
#include "evolution/experiment.h"
#include "evolution/experiment_spec.h"
#include "evolution/generator.h"
#include "evolution/mutator.h"
#include "evolution/regularized_evolution.h"
#include "evolution/search_evaluator.h"
#include "evolution/seed_programs.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "instructions/printer.h"
#include "instructions/program_proto.h"
#include "instructions/standard_programs.h"
#include "tasks/task_registry.h"
#include "tests/run_comparison.h"
#include "tests/test_specs.h"
#include "tests/test_util.h"

namespace automl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// The tiny search with the FEC, hurdles and (with several islands) ring migration every 50
// individuals per island, so that every kind of state a checkpoint holds is in play.
constexpr char kCheckpointSettings[] = R"pb(
  fec { num_train_examples: 5 num_valid_examples: 5 cache_size: 50 }
  hurdles { enabled: true num_first_stage_tasks: 1 window_size: 50 min_samples: 20 }
  migration { every_individuals: 50 num_emigrants: 2 topology: RING }
  progress_every_individuals: 120
)pb";

ExperimentSpec TestSpec(int64_t max_individuals) {
  ExperimentSpec spec = TinySearchSpec();
  spec.MergeFrom(ParseTextOrDie<ExperimentSpec>(kCheckpointSettings));
  spec.set_max_individuals(max_individuals);
  ExpectValidSpec(spec);
  return spec;
}

// --- The file framing ---

TEST(CheckpointFileTest, RoundTripAndKeepsThePrevious) {
  const std::string path = TempPath("framing.ckpt");
  RemoveCheckpoints(path);
  ASSERT_TRUE(WriteCheckpointFile(path, "first").ok());
  ASSERT_TRUE(WriteCheckpointFile(path, "second").ok());
  absl::StatusOr<CheckpointRead> read = ReadCheckpointFile(path);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->payload, "second");
  EXPECT_EQ(read->source_path, path);
  EXPECT_TRUE((read->warning).empty());
  absl::StatusOr<CheckpointRead> previous = ReadCheckpointFile(path + ".prev");
  ASSERT_TRUE(previous.ok());
  EXPECT_EQ(previous->payload, "first");
  EXPECT_NE(::access((path + ".tmp").c_str(), F_OK), 0) << "the temporary file was left behind";
}

TEST(CheckpointFileTest, MissingIsNotFound) {
  const std::string path = TempPath("missing.ckpt");
  RemoveCheckpoints(path);
  absl::StatusOr<CheckpointRead> read = ReadCheckpointFile(path);
  EXPECT_TRUE(absl::IsNotFound(read.status())) << read.status();
  EXPECT_THAT(std::string(read.status().message()), HasSubstr(path));
}

TEST(CheckpointFileTest, TruncatedFallsBackToThePrevious) {
  const std::string path = TempPath("truncated.ckpt");
  RemoveCheckpoints(path);
  ASSERT_TRUE(WriteCheckpointFile(path, "the older state").ok());
  ASSERT_TRUE(WriteCheckpointFile(path, "the newer state, cut short by a crash").ok());
  const std::string bytes = ReadBytes(path);
  WriteBytes(path, bytes.substr(0, bytes.size() - 5));
  absl::StatusOr<CheckpointRead> read = ReadCheckpointFile(path);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->payload, "the older state");
  EXPECT_EQ(read->source_path, path + ".prev");
  EXPECT_THAT(read->warning, HasSubstr("truncated"));
  EXPECT_THAT(read->warning, HasSubstr(path + ".prev"));

  // Cut inside the header too.
  WriteBytes(path, bytes.substr(0, 10));
  read = ReadCheckpointFile(path);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->payload, "the older state");
}

TEST(CheckpointFileTest, CorruptedFallsBackToThePrevious) {
  const std::string path = TempPath("corrupted.ckpt");
  RemoveCheckpoints(path);
  ASSERT_TRUE(WriteCheckpointFile(path, "the older state").ok());
  ASSERT_TRUE(WriteCheckpointFile(path, "the newer state").ok());
  std::string bytes = ReadBytes(path);
  bytes[bytes.size() - 3] ^= 0x10;  // One flipped bit in the payload.
  WriteBytes(path, bytes);
  absl::StatusOr<CheckpointRead> read = ReadCheckpointFile(path);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->payload, "the older state");
  EXPECT_THAT(read->warning, HasSubstr("checksum"));
}

TEST(CheckpointFileTest, BothUnusableNamesBoth) {
  const std::string path = TempPath("both_bad.ckpt");
  RemoveCheckpoints(path);
  WriteBytes(path, "not a checkpoint at all");
  WriteBytes(path + ".prev", "");
  absl::StatusOr<CheckpointRead> read = ReadCheckpointFile(path);
  EXPECT_TRUE(absl::IsDataLoss(read.status())) << read.status();
  EXPECT_THAT(std::string(read.status().message()), HasSubstr(path + " "));
  EXPECT_THAT(std::string(read.status().message()), HasSubstr(path + ".prev"));
}

CheckpointProto SmallCheckpoint(int experiment) {
  CheckpointProto checkpoint;
  checkpoint.set_format_version(kCheckpointFormatVersion);
  checkpoint.set_random_seed(7);
  checkpoint.set_num_islands(1);
  checkpoint.set_experiment(experiment);
  return checkpoint;
}

TEST(ReadCheckpointTest, AFileThatDoesNotParseFallsBackToThePrevious) {
  const std::string path = TempPath("unparseable.ckpt");
  RemoveCheckpoints(path);
  ASSERT_TRUE(WriteCheckpoint(path, SmallCheckpoint(3)).ok());
  // A correctly framed payload that is not a CheckpointProto (an invalid tag).
  ASSERT_TRUE(WriteCheckpointFile(path, std::string("\xff\xff\xff\xff", 4)).ok());
  absl::StatusOr<LoadedCheckpoint> loaded = ReadCheckpoint(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->checkpoint.experiment(), 3);
  EXPECT_EQ(loaded->source_path, path + ".prev");
  EXPECT_THAT(loaded->warning, HasSubstr("does not parse"));
}

TEST(ReadCheckpointTest, AnotherFormatVersionIsRefused) {
  const std::string path = TempPath("version.ckpt");
  RemoveCheckpoints(path);
  CheckpointProto checkpoint = SmallCheckpoint(0);
  checkpoint.set_format_version(kCheckpointFormatVersion + 1);
  ASSERT_TRUE(WriteCheckpoint(path, checkpoint).ok());
  absl::StatusOr<LoadedCheckpoint> loaded = ReadCheckpoint(path);
  EXPECT_FALSE(loaded.ok());
  EXPECT_THAT(std::string(loaded.status().message()),
              HasSubstr(absl::StrCat("format version ", kCheckpointFormatVersion + 1)));
}

// --- One island's state ---

// An evaluator and a population on the test spec's search tasks.
class IslandParts {
 public:
  IslandParts(const ExperimentSpec& spec, uint64_t seed) {
    absl::StatusOr<SearchSpace> space = BuildSearchSpace(spec);
    EXPECT_TRUE(space.ok());
    space_ = *space;
    absl::StatusOr<std::vector<Dataset>> datasets = GenerateTasks(spec.search_tasks());
    EXPECT_TRUE(datasets.ok());
    ExecutorOptions options;
    options.shape = space_.shape;
    absl::StatusOr<std::unique_ptr<Executor>> executor = Executor::Create(*datasets, options);
    EXPECT_TRUE(executor.ok());
    mutator_ = std::make_unique<Mutator>(Mutator::FromSpec(spec, space_));
    evaluator_ = std::make_unique<SearchEvaluator>(std::move(*executor),
                                                   SearchEvaluatorOptionsFromSpec(spec));
    evolution_ = std::make_unique<RegularizedEvolution>(
        spec.population_size(), spec.tournament_size(), evaluator_.get(), mutator_.get(), seed);
  }

  void Initialize() {
    std::vector<Program> initial;
    for (int i = 0; i < 20; ++i) initial.push_back(RandomProgram(space_, evolution_->rng()));
    evolution_->Initialize(initial);
  }

  void Steps(int n) {
    for (int i = 0; i < n; ++i) evolution_->Step();
  }

  IslandStateProto Save() const {
    IslandStateProto proto;
    SaveEvolutionState(*evolution_, &proto);
    SaveEvaluatorState(*evaluator_, proto.mutable_evaluator());
    return proto;
  }

  SearchEvaluator& evaluator() { return *evaluator_; }
  RegularizedEvolution& evolution() { return *evolution_; }

 private:
  SearchSpace space_;
  std::unique_ptr<Mutator> mutator_;
  std::unique_ptr<SearchEvaluator> evaluator_;
  std::unique_ptr<RegularizedEvolution> evolution_;
};

void ExpectSameIsland(IslandParts& a, IslandParts& b) {
  ASSERT_EQ(a.evolution().population().size(), b.evolution().population().size());
  for (size_t i = 0; i < a.evolution().population().size(); ++i) {
    EXPECT_EQ(*a.evolution().population()[i].program, *b.evolution().population()[i].program)
        << "member " << i;
    EXPECT_EQ(a.evolution().population()[i].fitness, b.evolution().population()[i].fitness);
  }
  EXPECT_EQ(a.evolution().oldest_index(), b.evolution().oldest_index());
  EXPECT_EQ(a.evolution().num_individuals(), b.evolution().num_individuals());
  EXPECT_EQ(*a.evolution().best_ever().program, *b.evolution().best_ever().program);
  EXPECT_EQ(a.evolution().best_ever().fitness, b.evolution().best_ever().fitness);
  EXPECT_EQ(a.evolution().rng().state(), b.evolution().rng().state());
  EXPECT_EQ(a.evaluator().train_steps(), b.evaluator().train_steps());
  const SearchEvaluatorStats& sa = a.evaluator().stats();
  const SearchEvaluatorStats& sb = b.evaluator().stats();
  EXPECT_EQ(sa.evaluations, sb.evaluations);
  EXPECT_EQ(sa.fec_lookups, sb.fec_lookups);
  EXPECT_EQ(sa.fec_hits, sb.fec_hits);
  EXPECT_EQ(sa.hurdle_checks, sb.hurdle_checks);
  EXPECT_EQ(sa.hurdle_cuts, sb.hurdle_cuts);
  EXPECT_EQ(sa.full_evaluations, sb.full_evaluations);
  EXPECT_EQ(a.evaluator().fec()->EntriesOldestFirst(), b.evaluator().fec()->EntriesOldestFirst());
  EXPECT_EQ(a.evaluator().fec()->hits(), b.evaluator().fec()->hits());
  EXPECT_EQ(a.evaluator().fec()->lookups(), b.evaluator().fec()->lookups());
  const RollingHurdle::State ha = a.evaluator().hurdle()->state();
  const RollingHurdle::State hb = b.evaluator().hurdle()->state();
  EXPECT_EQ(ha.window, hb.window);
  EXPECT_EQ(ha.next, hb.next);
  EXPECT_EQ(ha.seen, hb.seen);
  EXPECT_EQ(ha.hurdle, hb.hurdle);
}

TEST(IslandStateTest, EveryFieldIsRestoredAndTheSearchContinuesIdentically) {
  const ExperimentSpec spec = TestSpec(1000);
  IslandParts original(spec, 11);
  original.Initialize();
  original.Steps(1500);  // Fills the FEC past its capacity and the hurdle window past its size.
  ASSERT_EQ(original.evaluator().fec()->size(), 50);
  ASSERT_GT(original.evaluator().stats().hurdle_cuts, 0);

  // Through bytes, as a checkpoint file holds it, into parts built with another seed.
  IslandStateProto saved;
  ASSERT_TRUE(saved.ParseFromString(original.Save().SerializeAsString()));
  IslandParts restored(spec, 999);
  ASSERT_TRUE(RestoreEvolutionState(saved, restored.evolution()).ok());
  ASSERT_TRUE(RestoreEvaluatorState(saved.evaluator(), restored.evaluator()).ok());
  ExpectSameIsland(original, restored);

  original.Steps(300);
  restored.Steps(300);
  ExpectSameIsland(original, restored);
}

TEST(IslandStateTest, BadSavedStatesAreErrors) {
  const ExperimentSpec spec = TestSpec(1000);
  IslandParts parts(spec, 1);
  parts.Initialize();
  IslandStateProto saved = parts.Save();

  IslandStateProto short_population = saved;
  short_population.mutable_population()->RemoveLast();
  EXPECT_THAT(std::string(RestoreEvolutionState(short_population, parts.evolution()).message()),
              HasSubstr("19 members but population_size is 20"));

  IslandStateProto bad_rng = saved;
  bad_rng.mutable_rng()->add_words(1);
  EXPECT_THAT(std::string(RestoreEvolutionState(bad_rng, parts.evolution()).message()),
              HasSubstr("5 words"));

  IslandStateProto bad_fec = saved;
  bad_fec.mutable_evaluator()->add_fec_fitness(0.5);
  EXPECT_FALSE(RestoreEvaluatorState(bad_fec.evaluator(), parts.evaluator()).ok());
}

// --- Whole runs ---

constexpr int64_t kLong = 2400;  // 2N: a multiple of the progress interval (120).

// The uninterrupted reference runs, computed once.
const SearchResult& Reference(int islands, int experiments) {
  static auto* cache = new std::map<std::pair<int, int>, SearchResult>();
  auto it = cache->find({islands, experiments});
  if (it == cache->end()) {
    SearchOptions options = BaseOptions(islands, 2);
    options.max_experiments = experiments;
    it = cache
             ->emplace(std::make_pair(islands, experiments),
                       MustRun(TestSpec(kLong), options).result)
             .first;
  }
  return it->second;
}

TEST(ResumeTest, ARunToNResumedToTwoNEqualsARunToTwoN) {
  for (int islands : {1, 3}) {
    SCOPED_TRACE(absl::StrCat(islands, " islands"));
    const std::string path = TempPath(absl::StrCat("half_", islands, ".ckpt"));
    RemoveCheckpoints(path);
    SearchOptions first = BaseOptions(islands, 2);
    first.checkpoint_path = path;
    const RunOutcome half = MustRun(TestSpec(kLong / 2), first);
    EXPECT_EQ(half.result.total_individuals, kLong / 2);
    EXPECT_FALSE(half.result.interrupted);
    // At the experiment's end, and the run's completion mark (60 s never passed).
    EXPECT_EQ(half.checkpoints_written, 2);

    const CheckpointProto checkpoint = MustReadCheckpoint(path);
    EXPECT_TRUE(checkpoint.search().finished());
    EXPECT_TRUE(checkpoint.run_complete());
    EXPECT_EQ(checkpoint.search().islands_size(), islands);
    EXPECT_EQ(checkpoint.progress_size(), static_cast<int>(half.result.progress.size()));
    EXPECT_EQ(checkpoint.discoveries_size(), static_cast<int>(half.result.discoveries.size()));
    SearchOptions second = BaseOptions(islands, 1);  // The thread count never matters.
    second.resume = &checkpoint;
    const RunOutcome resumed = MustRun(TestSpec(kLong), second);
    EXPECT_TRUE(resumed.result.resumed);
    EXPECT_EQ(resumed.result.resumed_individuals, kLong / 2);
    ExpectSameRun(Reference(islands, 1), resumed.result);
  }
}

// PARETO: archives are saved with every island and the run's front with every ended
// experiment; a resumed run ends with the same front (scored the same) as an uninterrupted one.
TEST(ResumeTest, AParetoRunResumedEqualsAnUninterruptedOne) {
  const auto pareto = [](int64_t max_individuals) {
    ExperimentSpec spec = TestSpec(max_individuals);
    *spec.mutable_objectives() = ParseTextOrDie<ObjectivesSpec>(
        "selection: PARETO pareto_objectives: [ QUALITY, SIZE ] archive_size: 4");
    return spec;
  };
  const int islands = 3;
  const SearchResult reference = MustRun(pareto(kLong), BaseOptions(islands, 2)).result;
  ASSERT_FALSE(reference.pareto.members.empty());

  const std::string path = TempPath("pareto.ckpt");
  RemoveCheckpoints(path);
  SearchOptions first = BaseOptions(islands, 2);
  first.checkpoint_path = path;
  MustRun(pareto(kLong / 2), first);
  const CheckpointProto checkpoint = MustReadCheckpoint(path);
  for (const IslandStateProto& island : checkpoint.search().islands()) {
    EXPECT_GT(island.archive_size(), 0);
    EXPECT_LE(island.archive_size(), 4);
  }
  SearchOptions second = BaseOptions(islands, 1);
  second.resume = &checkpoint;
  const SearchResult resumed = MustRun(pareto(kLong), second).result;
  ExpectSameRun(reference, resumed);
  ASSERT_EQ(reference.pareto.members.size(), resumed.pareto.members.size());
  for (size_t i = 0; i < reference.pareto.members.size(); ++i) {
    const ParetoMember& e = reference.pareto.members[i];
    const ParetoMember& a = resumed.pareto.members[i];
    EXPECT_EQ(e.program, a.program) << "member " << i;
    EXPECT_EQ(e.experiment, a.experiment);
    EXPECT_EQ(e.search, a.search);
    EXPECT_EQ(e.select, a.select);
    EXPECT_EQ(e.final_valid, a.final_valid);
  }
  EXPECT_EQ(reference.pareto.recommended.index, resumed.pareto.recommended.index);

  // An ended experiment keeps its front in the checkpoint.
  ExperimentSummary summary;
  summary.best_program = reference.best_program;
  for (const ParetoMember& member : reference.pareto.members) {
    summary.pareto_front.push_back(
        Individual{std::make_shared<const Program>(member.program), member.search});
  }
  ExperimentSummaryProto saved;
  ASSERT_TRUE(saved.ParseFromString(ToProto(summary).SerializeAsString()));
  absl::StatusOr<ExperimentSummary> restored = FromProto(saved);
  ASSERT_TRUE(restored.ok()) << restored.status();
  ASSERT_EQ(restored->pareto_front.size(), summary.pareto_front.size());
  for (size_t i = 0; i < summary.pareto_front.size(); ++i) {
    EXPECT_EQ(*restored->pareto_front[i].program, *summary.pareto_front[i].program);
    EXPECT_EQ(restored->pareto_front[i].fitness.quality, summary.pareto_front[i].fitness.quality);
  }
}

// The discovery rule (experiment_records.h): at progress points, a strictly higher best-ever
// fitness; each experiment's first progress point is one, its last discovery has its best
// fitness (the program may differ: a later tie is not a discovery).
TEST(DiscoveryTest, EveryRiseOfTheBestAtAProgressPoint) {
  const SearchResult& run = Reference(3, 2);
  std::vector<Discovery> expected;
  for (const ProgressRecord& record : run.progress) {
    if (expected.empty() || expected.back().experiment != record.experiment ||
        record.best_fitness > expected.back().fitness) {
      expected.push_back(Discovery{record.experiment, record.individuals, 0.0, record.best_fitness,
                                   Fitness{record.best_fitness}, Program()});
    }
  }
  ASSERT_EQ(run.discoveries.size(), expected.size());
  ASSERT_GT(expected.size(), 2u);
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(run.discoveries[i].experiment, expected[i].experiment);
    EXPECT_EQ(run.discoveries[i].individuals, expected[i].individuals);
    EXPECT_EQ(run.discoveries[i].fitness, expected[i].fitness);
    EXPECT_EQ(run.discoveries[i].objectives.quality, expected[i].fitness);
  }
  for (const ExperimentSummary& summary : run.experiments) {
    const Discovery* last = nullptr;
    for (const Discovery& d : run.discoveries) {
      if (d.experiment == summary.experiment) last = &d;
    }
    ASSERT_NE(last, nullptr);
    EXPECT_EQ(last->fitness, summary.search_fitness) << "experiment " << summary.experiment;
  }
}

TEST(ResumeTest, CheckpointsAtEveryBoundaryDoNotChangeResults) {
  const std::string path = TempPath("every_boundary.ckpt");
  RemoveCheckpoints(path);
  SearchOptions options = BaseOptions(3, 2);
  options.checkpoint_path = path;
  options.checkpoint_every_secs = 0;
  const RunOutcome outcome = MustRun(TestSpec(kLong), options);
  EXPECT_GT(outcome.checkpoints_written, 20);
  ExpectSameRun(Reference(3, 1), outcome.result);
  // The last one is the end state marked complete; the one before it is kept.
  EXPECT_TRUE(MustReadCheckpoint(path).run_complete());
  EXPECT_TRUE(MustReadCheckpoint(path).search().finished());
  EXPECT_FALSE(MustReadCheckpoint(path + ".prev").run_complete());
}

// Stops where `stop` is set, then resumes from the checkpoint to the end.
void StopAndResume(int islands, int experiments, const std::string& name,
                   const std::function<void(std::atomic<bool>&, const ProgressRecord&)>& stop) {
  const std::string path = TempPath(name + ".ckpt");
  RemoveCheckpoints(path);
  std::atomic<bool> stop_requested{false};
  SearchOptions first = BaseOptions(islands, 2);
  first.max_experiments = experiments;
  first.checkpoint_path = path;
  first.stop_requested = &stop_requested;
  first.on_progress = [&](const ProgressRecord& record) { stop(stop_requested, record); };
  const RunOutcome stopped = MustRun(TestSpec(kLong), first);
  ASSERT_TRUE(stopped.result.interrupted) << "the run ended before the stop request";
  EXPECT_TRUE(stopped.result.experiments.back().interrupted);
  EXPECT_LT(stopped.result.total_individuals, static_cast<int64_t>(experiments) * kLong);

  const CheckpointProto checkpoint = MustReadCheckpoint(path);
  EXPECT_FALSE(checkpoint.search().finished());
  EXPECT_FALSE(checkpoint.run_complete());
  EXPECT_EQ(checkpoint.experiments_size(), experiments - 1);
  int64_t steps_left = 0;
  for (const IslandStateProto& island : checkpoint.search().islands()) {
    steps_left += island.round_steps_left();
  }
  std::cout << name << ": stopped in experiment " << checkpoint.experiment() << " at round "
            << checkpoint.search().planned() << " -> " << checkpoint.search().round_target()
            << " with " << steps_left << " steps left" << std::endl;
  SearchOptions second = BaseOptions(islands, 2);
  second.max_experiments = experiments;
  second.resume = &checkpoint;
  ExpectSameRun(Reference(islands, experiments), MustRun(TestSpec(kLong), second).result);
}

TEST(ResumeTest, AStopRequestAtABoundaryResumesExactly) {
  // The flag is seen before any island steps: the round is saved with all its steps left.
  StopAndResume(3, 1, "stop_boundary", [](std::atomic<bool>& stop, const ProgressRecord& r) {
    if (r.individuals == 840) stop = true;
  });
}

TEST(ResumeTest, AStopRequestInTheMiddleOfARoundResumesExactly) {
  // Wherever the request lands (usually inside a round, islands at different steps), the
  // resumed run equals the uninterrupted one.
  std::vector<std::thread> timers;
  StopAndResume(3, 1, "stop_mid_round", [&](std::atomic<bool>& stop, const ProgressRecord& r) {
    if (r.individuals == 240) {
      timers.emplace_back([&stop] {
        std::this_thread::sleep_for(std::chrono::milliseconds(3));
        stop = true;
      });
    }
    if (r.individuals == 1800) stop = true;  // Should a loaded machine delay the timer.
  });
  for (std::thread& timer : timers) timer.join();
}

TEST(ResumeTest, AStopInALaterExperimentKeepsTheEarlierOnes) {
  StopAndResume(2, 2, "stop_experiment_1", [](std::atomic<bool>& stop, const ProgressRecord& r) {
    if (r.experiment == 1 && r.individuals == 480) stop = true;
  });
}

TEST(ResumeTest, MismatchedSettingsAreRefused) {
  CheckpointProto checkpoint = SmallCheckpoint(0);
  checkpoint.set_num_islands(2);
  SearchOptions options = BaseOptions(3, 1);
  options.resume = &checkpoint;
  absl::StatusOr<SearchResult> result = RunSearch(TestSpec(600), options);
  EXPECT_THAT(std::string(result.status().message()),
              HasSubstr("the checkpoint has 2 islands but this run has 3"));

  checkpoint.set_num_islands(3);
  checkpoint.set_random_seed(8);
  result = RunSearch(TestSpec(600), options);
  EXPECT_THAT(std::string(result.status().message()), HasSubstr("random seed is 8, not 42"));
}

// --- Spec comparison ---

TEST(SpecComparisonTest, NamesTheDifferingFieldsButNotTheStoppingLimits) {
  const ExperimentSpec saved = TestSpec(1000);
  ExperimentSpec now = saved;
  EXPECT_TRUE((DifferingSpecFields(saved, now)).empty());

  now.set_max_individuals(5000);
  now.set_max_seconds(30);
  EXPECT_TRUE((DifferingSpecFields(saved, now)).empty());
  EXPECT_THAT(ChangedStoppingLimits(saved, now),
              ElementsAre("max_individuals 5000 (was 1000)", "max_seconds 30 (was none)"));

  // An unset field equals its default set explicitly.
  now.mutable_fec()->set_enabled(true);
  now.set_fitness_combination(MEAN);
  EXPECT_TRUE((DifferingSpecFields(saved, now)).empty());

  now.set_population_size(30);
  now.mutable_fec()->set_cache_size(77);
  now.mutable_search_tasks()->mutable_tasks(0)->set_num_train_examples(20);
  now.set_mutation_types(1, RANDOMIZE_FUNCTION);
  std::vector<std::string> differing = DifferingSpecFields(saved, now);
  std::sort(differing.begin(), differing.end());
  EXPECT_THAT(differing, ElementsAre("fec.cache_size", "mutation_types[1]", "population_size",
                                     "search_tasks.tasks[0].num_train_examples"));
}

// --- Seed programs ---

TEST(SeedProgramsTest, ParsesSeveralProgramsSeparatedByDashes) {
  const Program linear = LinearRegressionSgdProgram(0.01);
  const std::string text = absl::StrCat("# two programs\n", PrintProgram(linear), "---\n",
                                        "def Predict():\n  s1 = dot(v0, v1)\n", "---\n");
  absl::StatusOr<std::vector<Program>> programs = ParseSeedPrograms(text);
  ASSERT_TRUE(programs.ok()) << programs.status();
  ASSERT_EQ(programs->size(), 2u);
  EXPECT_EQ((*programs)[0], linear);
  EXPECT_EQ((*programs)[1].predict, linear.predict);
  EXPECT_TRUE(((*programs)[1].learn).empty());
}

TEST(SeedProgramsTest, ErrorsNameTheProgramAndTheLineOfTheFile) {
  absl::StatusOr<std::vector<Program>> programs =
      ParseSeedPrograms("def Predict():\n  s1 = dot(v0, v1)\n---\ndef Learn():\n  s2 = s0 -\n");
  EXPECT_THAT(std::string(programs.status().message()), HasSubstr("program 2: line 5"));
  programs = ParseSeedPrograms(
      "def Predict():\n  s1 = dot(v0, v1)\n---\n# nothing\n---\n"
      "def Learn():\n");
  EXPECT_THAT(std::string(programs.status().message()), HasSubstr("program 2 (lines 4-4)"));
  programs = ParseSeedPrograms("");
  EXPECT_THAT(std::string(programs.status().message()), HasSubstr("program 1"));
}

TEST(SeedProgramsTest, ReadsPrintedAndBinaryFiles) {
  const Program linear = LinearRegressionSgdProgram(0.01);
  const std::string text_path = TempPath("seeds.txt");
  const std::string pb_path = TempPath("seed.pb");
  WriteBytes(text_path, absl::StrCat(PrintProgram(linear), "---\n", PrintProgram(linear)));
  ASSERT_TRUE(WriteProgramFile(linear, pb_path).ok());
  absl::StatusOr<std::vector<Program>> programs =
      ReadSeedPrograms(absl::StrCat(text_path, ",", pb_path));
  ASSERT_TRUE(programs.ok()) << programs.status();
  EXPECT_THAT(*programs, ElementsAre(linear, linear, linear));
  programs = ReadSeedPrograms(TempPath("no_such_seeds.txt"));
  EXPECT_THAT(std::string(programs.status().message()), HasSubstr("no_such_seeds.txt"));
}

TEST(SeedProgramsTest, FitsProgramsToTheSpace) {
  absl::StatusOr<SearchSpace> space = BuildSearchSpace(TestSpec(1000));
  ASSERT_TRUE(space.ok());
  Program program;
  program.predict = LinearRegressionSgdProgram(0.01).predict;
  absl::StatusOr<Program> fitted = FitSeedProgram(program, *space, "seed program 1");
  ASSERT_TRUE(fitted.ok()) << fitted.status();
  EXPECT_EQ(fitted->setup.size(), 1u);  // Padded with NO_OPs to min_size.
  EXPECT_EQ(fitted->learn.size(), 2u);
  EXPECT_EQ(fitted->predict, program.predict);

  program.learn.resize(7);
  EXPECT_THAT(std::string(FitSeedProgram(program, *space, "seed program 2").status().message()),
              HasSubstr("seed program 2: Learn has 7 instructions but its max_size is 6"));
  Program wide = LinearRegressionSgdProgram(0.01);
  wide.predict[0].in1 = 5;  // v5: the spec has 3 vectors.
  EXPECT_THAT(std::string(FitSeedProgram(wide, *space, "seed program 3").status().message()),
              HasSubstr("seed program 3 does not fit the spec's registers"));
}

TEST(WarmStartTest, AKnownGoodProgramKeepsItsFitnessFromTheFirstProgressLine) {
  const ExperimentSpec spec = TestSpec(600);
  const Program linear = LinearRegressionSgdProgram(0.01);
  IslandParts parts(spec, 1);
  const double linear_fitness = parts.evaluator().executor().Evaluate(linear).quality;

  SearchOptions cold = BaseOptions(2, 1);
  const SearchResult cold_result = MustRun(spec, cold).result;
  SearchOptions warm = BaseOptions(2, 1);
  warm.seed_programs = {linear};
  const SearchResult warm_result = MustRun(spec, warm).result;

  ASSERT_FALSE(warm_result.progress.empty());
  // Random programs are far from it at the first line; the warm start has it from there on.
  EXPECT_LT(cold_result.progress.front().best_fitness, linear_fitness);
  for (const ProgressRecord& record : warm_result.progress) {
    EXPECT_GE(record.best_fitness, linear_fitness) << FormatProgressLine(record);
  }
  EXPECT_GE(warm_result.experiments[0].search_fitness, linear_fitness);

  warm.seed_programs.assign(21, linear);
  EXPECT_THAT(std::string(RunSearch(spec, warm).status().message()),
              HasSubstr("21 seed programs but population_size is 20"));
}

}  // namespace
}  // namespace automl
