// How often the restricted Fashion space's mutations (experiments/specs/fashion_search.textproto)
// propose the two steps of a learned output bias from the hand-written network, and how often a
// child drops the first step again: the rates docs/real-data.md uses to estimate how many
// individuals the standard habitat needs to find that improvement. Each step is one insertion
// with every operand right (`s1 = s1 + s4` last in Predict, `s4 = s4 + s2` anywhere in Learn),
// and either step alone leaves the predictions unchanged (s4 is read by nothing, or stays 0).
// The expected rates are products of the mutator's uniform choices (evolution/mutator.cc,
// instructions/instruction.cc); the test counts them over a million draws (the removal over
// 200,000). Last, the rates at which INSERT_INITIALIZED_INPUT and INSERT_INITIALIZED_UPDATE
// (evolution/initialized_input.h) propose a learning-rate decay, both steps in one child.
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "evolution/experiment_spec.h"
#include "evolution/experiment_spec.pb.h"
#include "evolution/mutator.h"
#include "evolution/search_space.h"
#include "gtest/gtest.h"
#include "instructions/parser.h"
#include "instructions/program.h"
#include "instructions/random.h"

namespace automl {
namespace {

// Enough for a few dozen hits of the rarest step; a fixed seed makes the counts exact.
constexpr int kDraws = 1000000;

class NetworkMutationRatesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<ExperimentSpec> spec =
        ReadExperimentSpecFile("experiments/specs/fashion_search.textproto");
    ASSERT_TRUE(spec.ok()) << spec.status();
    absl::StatusOr<SearchSpace> space = BuildSearchSpace(*spec);
    ASSERT_TRUE(space.ok()) << space.status();
    mutator_ = std::make_unique<Mutator>(Mutator::FromSpec(*spec, *space));
    mutate_prob_ = spec->mutate_prob();
    // The rates below assume the benchmark's mutations: five types, REMOVE weighted twice.
    ASSERT_EQ(spec->mutation_types_size(), 5);
    absl::StatusOr<Program> network =
        ParseProgramFile("experiments/baselines/two_layer_network.txt");
    ASSERT_TRUE(network.ok()) << network.status();
    network_ = *network;
  }

  // `program` with `line` inserted into `f` before position `position`.
  static Program WithInserted(Program program, ComponentFunction f, int position,
                              const std::string& line) {
    absl::StatusOr<Instruction> instruction = ParseInstruction(line);
    EXPECT_TRUE(instruction.ok()) << instruction.status();
    std::vector<Instruction>& instructions = program.function(f);
    instructions.insert(instructions.begin() + position, *instruction);
    return program;
  }

  // The share of `draws` mutations of `parent` (MaybeMutate, as a child is made) that give one
  // of `targets`.
  double ProposalRate(const Program& parent, const std::vector<Program>& targets, uint64_t seed,
                      int draws = kDraws) const {
    Rng rng(seed);
    int64_t hits = 0;
    for (int i = 0; i < draws; ++i) {
      Program child = parent;
      mutator_->MaybeMutate(child, rng);
      for (const Program& target : targets) {
        if (child == target) {
          ++hits;
          break;
        }
      }
    }
    return static_cast<double>(hits) / draws;
  }

  // The chance that a mutation inserts into function `f`: mutate, choose INSERT (weight 1 of
  // 6), choose `f` (1 of 3; every function is below its max size).
  double InsertInto() const { return mutate_prob_ * (1.0 / 6) * (1.0 / 3); }

  std::unique_ptr<Mutator> mutator_;
  double mutate_prob_ = 0;
  Program network_;
};

// Both operand orders of a scalar sum: inputs drawn from s0-s4 (2 of 25 pairs), output from
// s1-s4 (1 of 4).
constexpr double kOperands = (2.0 / 25) * (1.0 / 4);

TEST_F(NetworkMutationRatesTest, OutputBiasInPredictIsProposedOnceIn25000Children) {
  const int last = static_cast<int>(network_.function(ComponentFunction::kPredict).size());
  const std::vector<Program> targets = {
      WithInserted(network_, ComponentFunction::kPredict, last, "s1 = s1 + s4"),
      WithInserted(network_, ComponentFunction::kPredict, last, "s1 = s4 + s1")};
  // Position: last of 5; op: SCALAR_SUM, 1 of Predict's 5.
  const double expected = InsertInto() * (1.0 / 5) * (1.0 / 5) * kOperands;
  EXPECT_NEAR(expected, 4.0e-5, 1e-7);
  EXPECT_NEAR(ProposalRate(network_, targets, 1), expected, 0.35 * expected);  // 37 hits
}

TEST_F(NetworkMutationRatesTest, OutputBiasUpdateInLearnIsProposedOnceIn9000Children) {
  std::vector<Program> targets;
  const int size = static_cast<int>(network_.function(ComponentFunction::kLearn).size());
  // Anywhere: before `s2 = s3 * s2` it adds the previous example's step, one example late.
  for (int position = 0; position <= size; ++position) {
    targets.push_back(WithInserted(network_, ComponentFunction::kLearn, position, "s4 = s4 + s2"));
    targets.push_back(WithInserted(network_, ComponentFunction::kLearn, position, "s4 = s2 + s4"));
  }
  // Op: SCALAR_SUM, 1 of Learn's 9; any of the 9 positions.
  const double expected = InsertInto() * (1.0 / 9) * kOperands;
  EXPECT_NEAR(expected, 1.11e-4, 1e-6);
  EXPECT_NEAR(ProposalRate(network_, targets, 2), expected, 0.25 * expected);  // 100 hits
}

TEST_F(NetworkMutationRatesTest, OneChildIn50DropsTheFirstStepByRemovingIt) {
  const int last = static_cast<int>(network_.function(ComponentFunction::kPredict).size());
  const Program carrier = WithInserted(network_, ComponentFunction::kPredict, last, "s1 = s1 + s4");
  // Mutate, choose REMOVE (weight 2 of 6), choose Predict (1 of 3), the step (1 of its 5).
  const double expected = mutate_prob_ * (2.0 / 6) * (1.0 / 3) * (1.0 / 5);
  EXPECT_NEAR(expected, 0.02, 1e-9);
  EXPECT_NEAR(ProposalRate(carrier, {network_}, 3, kDraws / 5), expected, 0.06 * expected);
}

// A learning-rate decay: `s4 = c` in Setup with c in [0.9998, 0.99995] (the factors that help
// at the network's learning rate, docs/real-data.md) and `s3 = s3 * s4` anywhere in Learn, the
// rest of the network unchanged.
bool IsNetworkWithDecay(const Program& child, const Program& network) {
  if (child.setup.size() != network.setup.size() + 1 ||
      child.learn.size() != network.learn.size() + 1 || child.predict != network.predict) {
    return false;
  }
  auto without = [](std::vector<Instruction> function, auto is_step) {
    for (size_t i = 0; i < function.size(); ++i) {
      if (is_step(function[i])) {
        function.erase(function.begin() + i);
        return function;
      }
    }
    return std::vector<Instruction>();
  };
  const std::vector<Instruction> setup = without(child.setup, [](const Instruction& ins) {
    return ins.op == Op::SCALAR_CONST_SET && ins.out == 4 && ins.data0 >= 0.9998 &&
           ins.data0 <= 0.99995;
  });
  const std::vector<Instruction> learn = without(child.learn, [](const Instruction& ins) {
    return ins.op == Op::SCALAR_PRODUCT && ins.out == 3 &&
           ((ins.in1 == 3 && ins.in2 == 4) || (ins.in1 == 4 && ins.in2 == 3));
  });
  return setup == network.setup && learn == network.learn;
}

// The share of `draws` applications of `type` to the network that give it a decay.
double DecayRate(const Mutator& mutator, MutationType type, const Program& network, uint64_t seed,
                 int draws) {
  Rng rng(seed);
  int64_t hits = 0;
  for (int i = 0; i < draws; ++i) {
    Program child = network;
    EXPECT_TRUE(mutator.MutateWith(type, child, rng));
    hits += IsNetworkWithDecay(child, network);
  }
  return static_cast<double>(hits) / draws;
}

// The constant of `s4 = c` in range: sign 1/2, near one 1/2, below one 1/2, log10(4) of 4
// decades.
const double kDecayFactorInRange = 0.125 * std::log10(4.0) / 4;

TEST_F(NetworkMutationRatesTest, InsertInitializedInputProposesADecayOnceIn51000) {
  // Setup op: SCALAR_CONST_SET, 1 of the 6 Setup ops whose kind has a free register (s4;
  // v6, v7; no matrix); the register s4; Learn, 1 of the 2 functions that read scalars;
  // SCALAR_PRODUCT, 1 of Learn's 4 ops that do; the other input s3 (1 of 5), the output s3
  // (1 of 4); the constant in range.
  const double expected =
      (1.0 / 6) * (1.0 / 2) * (1.0 / 4) * (1.0 / 5) * (1.0 / 4) * kDecayFactorInRange;
  EXPECT_NEAR(expected, 1.96e-5, 1e-7);
  const double rate = DecayRate(*mutator_, INSERT_INITIALIZED_INPUT, network_, 4, 2 * kDraws);
  EXPECT_NEAR(rate, expected, 0.35 * expected);  // 39 hits
}

TEST_F(NetworkMutationRatesTest, InsertInitializedUpdateProposesADecayOnceIn7700) {
  // As above up to the reader: Learn, 1 of the 2 functions with a scalar update (Predict's
  // `s1 = s1 + new`); SCALAR_PRODUCT, 1 of Learn's 4 ops that can update with a scalar (sum,
  // difference, product, scalar times vector); either slot; s3, 1 of the 3 scalars Learn uses
  // besides s0 (s1, s2, s3); the constant in range.
  const double expected = (1.0 / 6) * (1.0 / 2) * (1.0 / 4) * (1.0 / 3) * kDecayFactorInRange;
  EXPECT_NEAR(expected, 1.31e-4, 1e-6);
  const double rate = DecayRate(*mutator_, INSERT_INITIALIZED_UPDATE, network_, 5, kDraws);
  EXPECT_NEAR(rate, expected, 0.3 * expected);  // 131 hits
}

}  // namespace
}  // namespace automl
