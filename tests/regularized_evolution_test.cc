// Tests of regularized (aging) evolution (evolution/regularized_evolution.h): the tournament
// winner is the best of its draws, the child replaces the oldest member, a population is
// entirely renewed after population_size steps, the best ever survives its own death, and
// migration keeps the same aging order.
//
// Fitness is made easy to control: on a task whose labels are all 0, the program
// "Predict: s1 = c" has RMSE |c|, so a smaller |c| is a strictly better member.
#include "evolution/regularized_evolution.h"

#include <cmath>
#include <memory>
#include <set>
#include <vector>

#include "evolution/mutator.h"
#include "evolution/search_evaluator.h"
#include "evolution/search_space.h"
#include "executor/dataset.h"
#include "executor/executor.h"
#include "gtest/gtest.h"
#include "instructions/check.h"
#include "instructions/instruction.h"
#include "instructions/program.h"
#include "instructions/random.h"

namespace automl {
namespace {

constexpr int kFeatureSize = 4;
constexpr double kPi = 3.14159265358979323846;

// Two scalars: a mutated "s1 = c" still writes s1 (outputs never write s0), so a mutation can
// only change the constant, never silence the prediction.
MachineShape Shape() { return MachineShape{2, 1, 0, kFeatureSize}; }

Dataset ZerosDataset() {
  Dataset dataset;
  dataset.name = "zeros";
  dataset.feature_size = kFeatureSize;
  for (DataSplit* split : {&dataset.train, &dataset.valid}) {
    split->features.assign(2 * kFeatureSize, 0.0);
    split->labels.assign(2, 0.0);
  }
  return dataset;
}

std::unique_ptr<SearchEvaluator> MakeEvaluator() {
  ExecutorOptions options;
  options.shape = Shape();
  absl::StatusOr<std::unique_ptr<Executor>> executor = Executor::Create({ZerosDataset()}, options);
  AUTOML_CHECK(executor.ok());
  SearchEvaluatorOptions evaluator_options;
  evaluator_options.fec_enabled = false;  // Every member is really evaluated.
  return std::make_unique<SearchEvaluator>(*std::move(executor), evaluator_options);
}

// Only Predict's single constant can change.
SearchSpace ConstantSpace() {
  SearchSpace space;
  space.shape = Shape();
  FunctionSpace& predict = space.function(ComponentFunction::kPredict);
  predict.ops = {Op::SCALAR_CONST_SET};
  predict.initial_size = predict.min_size = predict.max_size = 1;
  return space;
}

Program ConstantPredictor(double c) {
  Program program;
  Instruction ins;
  ins.op = Op::SCALAR_CONST_SET;
  ins.out = kPredictionScalarAddress;
  ins.data0 = c;
  program.predict = {ins};
  return program;
}

double ExpectedFitness(double c) { return 1.0 - 2.0 / kPi * std::atan(std::fabs(c)); }

// Constants whose ranks are scrambled with respect to their positions.
std::vector<Program> ScrambledInitialPopulation(int size) {
  std::vector<Program> programs;
  for (int i = 0; i < size; ++i) programs.push_back(ConstantPredictor(0.05 + ((i * 7) % size)));
  return programs;
}

// The tournament Tournament() would run with a copy of its RNG: the best of the draws, the
// earliest draw on ties. It assumes the draws are UniformInt(population_size), one per draw.
int ExpectedWinner(const RegularizedEvolution& evolution, Rng rng, int tournament_size) {
  const std::vector<Individual>& population = evolution.population();
  int winner = -1;
  for (int i = 0; i < tournament_size; ++i) {
    const int draw = static_cast<int>(rng.UniformInt(population.size()));
    if (winner < 0 || population[draw].fitness.quality > population[winner].fitness.quality) {
      winner = draw;
    }
  }
  return winner;
}

TEST(RegularizedEvolutionTest, InitializeEvaluatesEveryMember) {
  std::unique_ptr<SearchEvaluator> evaluator = MakeEvaluator();
  const Mutator mutator(ConstantSpace(), {ALTER_PARAM}, 0.0);
  RegularizedEvolution evolution(10, 3, evaluator.get(), &mutator, 1);
  const std::vector<Program> initial = ScrambledInitialPopulation(10);
  evolution.Initialize(initial);
  ASSERT_EQ(evolution.population().size(), 10u);
  EXPECT_EQ(evolution.num_individuals(), 10);
  EXPECT_EQ(evolution.oldest_index(), 0);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(*evolution.population()[i].program, initial[i]);
    EXPECT_NEAR(evolution.population()[i].fitness.quality,
                ExpectedFitness(initial[i].predict[0].data0), 1e-12);
  }
  // Member 0 has the smallest constant (0.05).
  EXPECT_EQ(*evolution.best_ever().program, initial[0]);
}

TEST(RegularizedEvolutionTest, TournamentWinnerIsTheBestOfTheDraws) {
  std::unique_ptr<SearchEvaluator> evaluator = MakeEvaluator();
  const Mutator mutator(ConstantSpace(), {ALTER_PARAM}, 0.0);
  constexpr int kPopulation = 20;
  constexpr int kTournament = 4;
  RegularizedEvolution evolution(kPopulation, kTournament, evaluator.get(), &mutator, 5);
  evolution.Initialize(ScrambledInitialPopulation(kPopulation));
  int best_index = 0;
  for (int i = 1; i < kPopulation; ++i) {
    if (evolution.population()[i].fitness.quality >
        evolution.population()[best_index].fitness.quality) {
      best_index = i;
    }
  }
  int best_wins = 0;
  std::set<int> winners;
  constexpr int kRounds = 2000;
  for (int round = 0; round < kRounds; ++round) {
    const int expected = ExpectedWinner(evolution, evolution.rng(), kTournament);
    const int winner = evolution.Tournament();
    ASSERT_EQ(winner, expected) << "round " << round;
    best_wins += winner == best_index;
    winners.insert(winner);
  }
  // The best member wins when drawn at least once: 1 - (19/20)^4 = 18.5% of rounds (sd 0.9%).
  EXPECT_GT(best_wins, kRounds * 0.15);
  EXPECT_LT(best_wins, kRounds * 0.22);
  // Selection is not just "take the best": members in the middle win too, whenever no better
  // one is drawn.
  EXPECT_GT(winners.size(), 10u);
}

TEST(RegularizedEvolutionTest, TournamentTiesGoToTheEarliestDraw) {
  std::unique_ptr<SearchEvaluator> evaluator = MakeEvaluator();
  const Mutator mutator(ConstantSpace(), {ALTER_PARAM}, 0.0);
  RegularizedEvolution evolution(8, 5, evaluator.get(), &mutator, 3);
  evolution.Initialize(std::vector<Program>(8, ConstantPredictor(0.5)));
  for (int round = 0; round < 100; ++round) {
    Rng copy = evolution.rng();
    const int first_draw = static_cast<int>(copy.UniformInt(8));
    EXPECT_EQ(evolution.Tournament(), first_draw);
  }
}

TEST(RegularizedEvolutionTest, ChildOfTheWinnerReplacesTheOldest) {
  std::unique_ptr<SearchEvaluator> evaluator = MakeEvaluator();
  // mutate_prob 0: every child is a clone, which shares its parent's program.
  const Mutator mutator(ConstantSpace(), {ALTER_PARAM}, 0.0);
  constexpr int kPopulation = 6;
  RegularizedEvolution evolution(kPopulation, 2, evaluator.get(), &mutator, 11);
  evolution.Initialize(ScrambledInitialPopulation(kPopulation));
  for (int step = 0; step < 3 * kPopulation; ++step) {
    const int oldest = evolution.oldest_index();
    EXPECT_EQ(oldest, step % kPopulation);
    const int winner = ExpectedWinner(evolution, evolution.rng(), 2);
    const std::vector<Individual> before = evolution.population();
    evolution.Step();
    const std::vector<Individual>& after = evolution.population();
    for (int i = 0; i < kPopulation; ++i) {
      if (i == oldest) {
        EXPECT_EQ(after[i].program, before[winner].program) << "step " << step;
        EXPECT_EQ(after[i].fitness, before[winner].fitness);
      } else {
        EXPECT_EQ(after[i].program, before[i].program) << "step " << step << " member " << i;
      }
    }
  }
  EXPECT_EQ(evolution.num_individuals(), 4 * kPopulation);
}

TEST(RegularizedEvolutionTest, AfterPopulationSizeStepsEveryInitialMemberIsGone) {
  std::unique_ptr<SearchEvaluator> evaluator = MakeEvaluator();
  // ALTER_PARAM always changes the only constant, so every child is a new program.
  const Mutator mutator(ConstantSpace(), {ALTER_PARAM}, 1.0);
  constexpr int kPopulation = 12;
  RegularizedEvolution evolution(kPopulation, 3, evaluator.get(), &mutator, 17);
  evolution.Initialize(ScrambledInitialPopulation(kPopulation));
  // Holding the initial programs keeps their addresses from being reused by children.
  const std::vector<Individual> initial_members = evolution.population();
  std::set<const Program*> initial;
  for (const Individual& member : initial_members) initial.insert(member.program.get());
  for (int step = 1; step <= kPopulation; ++step) {
    evolution.Step();
    int survivors = 0;
    for (const Individual& member : evolution.population()) {
      survivors += initial.count(member.program.get());
    }
    EXPECT_EQ(survivors, kPopulation - step);
  }
  EXPECT_EQ(evolution.num_individuals(), 2 * kPopulation);
}

TEST(RegularizedEvolutionTest, BestEverIsKeptAfterItAgesOut) {
  std::unique_ptr<SearchEvaluator> evaluator = MakeEvaluator();
  // Children get a fresh constant in [-1, 1): never as good as the champion's 1e-9.
  const Mutator mutator(ConstantSpace(), {RANDOMIZE_INSTRUCTION}, 1.0);
  constexpr int kPopulation = 10;
  RegularizedEvolution evolution(kPopulation, 3, evaluator.get(), &mutator, 23);
  std::vector<Program> initial = ScrambledInitialPopulation(kPopulation);
  initial[4] = ConstantPredictor(1e-9);
  evolution.Initialize(initial);
  const std::shared_ptr<const Program> champion = evolution.population()[4].program;
  const Fitness champion_fitness = evolution.population()[4].fitness;
  for (int step = 0; step < 3 * kPopulation; ++step) evolution.Step();
  for (const Individual& member : evolution.population()) {
    EXPECT_NE(member.program, champion);
    EXPECT_LT(member.fitness.quality, champion_fitness.quality);
  }
  EXPECT_EQ(evolution.best_ever().program, champion);
  EXPECT_EQ(evolution.best_ever().fitness, champion_fitness);
}

TEST(RegularizedEvolutionTest, BestEverFollowsImprovements) {
  std::unique_ptr<SearchEvaluator> evaluator = MakeEvaluator();
  const Mutator mutator(ConstantSpace(), {ALTER_PARAM, RANDOMIZE_INSTRUCTION}, 1.0);
  RegularizedEvolution evolution(20, 5, evaluator.get(), &mutator, 29);
  evolution.Initialize(ScrambledInitialPopulation(20));
  double best_seen = evolution.best_ever().fitness.quality;
  for (int step = 0; step < 400; ++step) {
    evolution.Step();
    for (const Individual& member : evolution.population()) {
      ASSERT_LE(member.fitness.quality, evolution.best_ever().fitness.quality);
    }
    ASSERT_GE(evolution.best_ever().fitness.quality, best_seen);
    best_seen = evolution.best_ever().fitness.quality;
  }
  // Selection works: the search shrank the constant well below the initial best (0.05), and
  // the population as a whole moved toward it (initial constants are 0.05, 1.05, ..., 19.05).
  EXPECT_GT(best_seen, ExpectedFitness(0.01));
  EXPECT_GT(evolution.MeanFitness(), ExpectedFitness(1.0));
}

TEST(RegularizedEvolutionTest, SameSeedSameRun) {
  auto run = [](uint64_t seed) {
    std::unique_ptr<SearchEvaluator> evaluator = MakeEvaluator();
    const Mutator mutator(ConstantSpace(), {ALTER_PARAM, RANDOMIZE_INSTRUCTION}, 0.9);
    RegularizedEvolution evolution(10, 3, evaluator.get(), &mutator, seed);
    evolution.Initialize(ScrambledInitialPopulation(10));
    for (int step = 0; step < 100; ++step) evolution.Step();
    std::vector<Program> programs;
    for (const Individual& member : evolution.population()) programs.push_back(*member.program);
    return programs;
  };
  EXPECT_EQ(run(31), run(31));
  EXPECT_NE(run(31), run(32));
}

TEST(RegularizedEvolutionTest, ImmigrantsReplaceTheOldestAndCanBecomeBestEver) {
  std::unique_ptr<SearchEvaluator> evaluator = MakeEvaluator();
  const Mutator mutator(ConstantSpace(), {ALTER_PARAM}, 1.0);
  RegularizedEvolution evolution(5, 2, evaluator.get(), &mutator, 37);
  evolution.Initialize(ScrambledInitialPopulation(5));
  evolution.Step();  // Member 0 is now the youngest; member 1 the oldest.
  ASSERT_EQ(evolution.oldest_index(), 1);
  const Program arrival_program = ConstantPredictor(1e-6);
  Individual arrival{std::make_shared<const Program>(arrival_program),
                     Fitness{ExpectedFitness(1e-6)}};
  const std::vector<Individual> before = evolution.population();
  evolution.Immigrate({arrival, arrival});
  EXPECT_EQ(*evolution.population()[1].program, arrival_program);
  EXPECT_EQ(*evolution.population()[2].program, arrival_program);
  // Each arrival is its own copy: islands on other threads share no reference counts.
  EXPECT_NE(evolution.population()[1].program, arrival.program);
  EXPECT_NE(evolution.population()[2].program, evolution.population()[1].program);
  EXPECT_EQ(evolution.population()[0].program, before[0].program);
  EXPECT_EQ(evolution.population()[3].program, before[3].program);
  EXPECT_EQ(evolution.oldest_index(), 3);
  EXPECT_EQ(*evolution.best_ever().program, arrival_program);
  // Arrivals keep their fitness: they were not evaluated again here.
  EXPECT_EQ(evolution.num_individuals(), 6);

  const std::vector<Individual> emigrants = evolution.Emigrants(3, /*include_best=*/true);
  ASSERT_EQ(emigrants.size(), 3u);
  EXPECT_EQ(*emigrants[0].program, arrival_program);
}

}  // namespace
}  // namespace automl
