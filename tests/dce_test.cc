// Tests of the executor's speed paths: dead-code elimination (executor/dead_code.h) and the
// pre-decoded interpreters (executor/decoded_program.h) must not change any result. Unit tests
// pin the liveness rules; property tests run thousands of random programs over all 65 ops,
// several machine shapes, F = 4 and 8, regression and classification and several epochs, and
// require bit-identical fitness, test fitness, epochs, divergence, train steps, FEC signatures
// and execution keys against the reference interpreter without DCE.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "executor/dataset.h"
#include "executor/dead_code.h"
#include "executor/executor.h"
#include "executor/signature.h"
#include "gtest/gtest.h"
#include "instructions/instruction.h"
#include "instructions/ops.h"
#include "instructions/printer.h"
#include "instructions/program.h"
#include "instructions/random.h"
#include "instructions/standard_programs.h"
#include "tests/test_util.h"

namespace automl {
namespace {

// --- Helpers ---

std::vector<Liveness> Marks(std::initializer_list<Liveness> marks) { return marks; }

constexpr Liveness kL = Liveness::kLive;
constexpr Liveness kD = Liveness::kDead;
constexpr Liveness kS = Liveness::kSkipDraws;

uint64_t Bits(double x) {
  uint64_t bits;
  std::memcpy(&bits, &x, sizeof(bits));
  return bits;
}

// --- Liveness rules ---

TEST(LivenessTest, LinearSgdIsFullyLive) {
  const Program program = LinearRegressionSgdProgram(0.1);
  ProgramLiveness liveness;
  AnalyzeLiveness(program, &liveness);
  EXPECT_EQ(liveness.setup, Marks({kL}));
  EXPECT_EQ(liveness.predict, Marks({kL}));
  EXPECT_EQ(liveness.learn, Marks({kL, kL, kL, kL}));
  EXPECT_EQ(liveness.valid_predict, Marks({kL}));
}

TEST(LivenessTest, WritesThatNothingReadsAreDead) {
  Program program;
  program.setup = {Ins(Op::SCALAR_CONST_SET, 2, 0, 0, 0.5),   // Read by Predict: live.
                   Ins(Op::SCALAR_CONST_SET, 3, 0, 0, 0.7)};  // Never read: dead.
  program.predict = {Ins(Op::VECTOR_NORM, 3, 0),              // s3 unused: dead.
                     Ins(Op::SCALAR_PRODUCT, 1, 2, 2),        // The prediction.
                     Ins(Op::NO_OP, 0)};
  program.learn = {Ins(Op::SCALAR_SUM, 3, 3, 0)};  // Feeds only itself: dead.
  ProgramLiveness liveness;
  AnalyzeLiveness(program, &liveness);
  EXPECT_EQ(liveness.setup, Marks({kL, kD}));
  EXPECT_EQ(liveness.predict, Marks({kD, kL, kD}));
  EXPECT_EQ(liveness.learn, Marks({kD}));
}

TEST(LivenessTest, LearnFeedsPredictThroughTheLoop) {
  // s2 is updated by Learn from s3, which Learn itself accumulates: both reach the prediction
  // only through later examples, which the fixed point must find.
  Program program;
  program.predict = {Ins(Op::SCALAR_SUM, 1, 2, 0)};
  program.learn = {Ins(Op::SCALAR_SUM, 2, 2, 3),   // s2 += s3 (read by the next Predict).
                   Ins(Op::SCALAR_SUM, 3, 3, 0)};  // s3 += label, after its use above.
  ProgramLiveness liveness;
  AnalyzeLiveness(program, &liveness);
  EXPECT_EQ(liveness.learn, Marks({kL, kL}));
  EXPECT_EQ(liveness.predict, Marks({kL}));
}

TEST(LivenessTest, ScoringPredictKeepsOnlyWhatReachesTheScore) {
  Program program;
  program.predict = {Ins(Op::VECTOR_INNER_PRODUCT, 1, 0, 1),    // The prediction.
                     Ins(Op::SCALAR_VECTOR_PRODUCT, 2, 1, 0)};  // v2 = s1 * v0, for Learn.
  program.learn = {Ins(Op::VECTOR_SUM, 1, 1, 2)};               // v1 += v2.
  ProgramLiveness liveness;
  AnalyzeLiveness(program, &liveness);
  EXPECT_EQ(liveness.predict, Marks({kL, kL}));
  EXPECT_EQ(liveness.valid_predict, Marks({kL, kD}));
  EXPECT_EQ(liveness.learn, Marks({kL}));
}

TEST(LivenessTest, ScoringPredictCarriesStateAcrossExamples) {
  // Learn overwrites s3 before anything reads it, so Predict's write of s3 is dead for
  // training; but scoring runs Predict after Predict, and the next one reads s3.
  Program program;
  program.predict = {Ins(Op::SCALAR_SUM, 1, 3, 3),  // s1 = s3 + s3.
                     Ins(Op::SCALAR_SIN, 3, 1)};    // s3 = sin(s1), for the next example.
  program.learn = {Ins(Op::SCALAR_CONST_SET, 3, 0, 0, 0.5)};
  ProgramLiveness liveness;
  AnalyzeLiveness(program, &liveness);
  EXPECT_EQ(liveness.predict, Marks({kL, kD}));
  EXPECT_EQ(liveness.valid_predict, Marks({kL, kL}));
  EXPECT_EQ(liveness.learn, Marks({kL}));
}

TEST(LivenessTest, HarnessWritesEndLiveness) {
  // The executor sets s0 and v0 before Predict: Setup's writes to them are dead, and so is a
  // Learn write to v0 (hand-written programs may write them).
  Program program;
  program.setup = {Ins(Op::SCALAR_CONST_SET, 0, 0, 0, 1.0),
                   Ins(Op::VECTOR_CONST_SET, 0, 0, 0, 2.0)};
  program.predict = {Ins(Op::VECTOR_INNER_PRODUCT, 1, 0, 0), Ins(Op::SCALAR_SUM, 1, 1, 0)};
  program.learn = {Ins(Op::VECTOR_ABS, 0, 0)};
  ProgramLiveness liveness;
  AnalyzeLiveness(program, &liveness);
  EXPECT_EQ(liveness.setup, Marks({kD, kD}));
  EXPECT_EQ(liveness.learn, Marks({kD}));
  EXPECT_EQ(liveness.predict, Marks({kL, kL}));
}

TEST(LivenessTest, PartialWritesKeepTheRegisterLive) {
  // v1[0] = c does not define all of v1: the earlier full write of v1 stays live.
  Program program;
  program.setup = {Ins(Op::SCALAR_BROADCAST, 1, 2),  // v1 = bcast(s2).
                   Ins(Op::VECTOR_CONST_SET, 1, 0, 0, 3.0)};
  program.predict = {Ins(Op::VECTOR_INNER_PRODUCT, 1, 0, 1)};
  ProgramLiveness liveness;
  AnalyzeLiveness(program, &liveness);
  EXPECT_EQ(liveness.setup, Marks({kL, kL}));
}

TEST(LivenessTest, DeadRandomOpsKeepTheirDrawsOnlyBeforeALiveOne) {
  Program program;
  program.setup = {Ins(Op::VECTOR_GAUSSIAN_SET, 2, 0, 0, 0.0, 1.0),   // Dead, draws needed.
                   Ins(Op::SCALAR_UNIFORM_SET, 2, 0, 0, -1.0, 1.0),   // Live.
                   Ins(Op::SCALAR_GAUSSIAN_SET, 3, 0, 0, 0.0, 1.0)};  // Dead, nothing after.
  program.predict = {Ins(Op::SCALAR_SUM, 1, 2, 2)};
  ProgramLiveness liveness;
  AnalyzeLiveness(program, &liveness);
  EXPECT_EQ(liveness.setup, Marks({kS, kL, kD}));

  // A live random op in Learn keeps every dead random op of the loop and of Setup.
  program.learn = {Ins(Op::MATRIX_UNIFORM_SET, 0, 0, 0, -1.0, 1.0),   // Dead: m0 unused.
                   Ins(Op::SCALAR_GAUSSIAN_SET, 2, 0, 0, 0.0, 1.0)};  // Live.
  AnalyzeLiveness(program, &liveness);
  EXPECT_EQ(liveness.setup, Marks({kS, kL, kS}));
  EXPECT_EQ(liveness.learn, Marks({kS, kL}));
}

TEST(LivenessTest, KeysIgnoreDeadCodeAndSeeLiveCode) {
  Program a = LinearRegressionSgdProgram(0.1);
  Program b = a;
  b.setup.push_back(Ins(Op::SCALAR_CONST_SET, 2, 0, 0, 0.25));  // Dead: s2 is set in Learn.
  b.learn.push_back(Ins(Op::MATRIX_ABS, 0, 0));                 // Dead.
  ProgramLiveness la, lb;
  AnalyzeLiveness(a, &la);
  AnalyzeLiveness(b, &lb);
  EXPECT_EQ(EffectiveProgramKey(a, la), EffectiveProgramKey(b, lb));
  Program c = a;
  c.setup[0].data0 = 0.2;  // A live constant.
  ProgramLiveness lc;
  AnalyzeLiveness(c, &lc);
  EXPECT_NE(EffectiveProgramKey(a, la), EffectiveProgramKey(c, lc));
  // Without DCE every instruction counts.
  MarkAllLive(a, &la);
  MarkAllLive(b, &lb);
  EXPECT_NE(EffectiveProgramKey(a, la), EffectiveProgramKey(b, lb));
}

TEST(LivenessTest, BitwiseEqualTellsSignedZerosApart) {
  Program a;
  a.setup = {Ins(Op::SCALAR_CONST_SET, 2, 0, 0, 0.0)};
  Program b = a;
  b.setup[0].data0 = -0.0;
  EXPECT_TRUE(a == b);               // Instruction::operator== compares values...
  EXPECT_FALSE(BitwiseEqual(a, b));  // ...but 1 / s2 would differ.
  EXPECT_TRUE(BitwiseEqual(a, a));
}

// --- The FEC's error quantization without libm ---

TEST(QuantizeErrorTest, MatchesTheFrexpDefinition) {
  std::vector<double> values = {0.0,
                                -0.0,
                                1.0,
                                -1.0,
                                0.5,
                                3.0,
                                1e-300,
                                -1e300,
                                std::numeric_limits<double>::min(),
                                std::numeric_limits<double>::denorm_min(),
                                -std::numeric_limits<double>::denorm_min(),
                                std::numeric_limits<double>::max(),
                                -std::numeric_limits<double>::max(),
                                std::numeric_limits<double>::infinity()};
  // Mantissas exactly halfway between two 30-bit codes, just below and just above, and those
  // that round up to the next power of two.
  for (uint64_t low : {uint64_t{1} << 22, (uint64_t{1} << 22) - 1, (uint64_t{1} << 22) + 1,
                       (uint64_t{1} << 23) - 1, uint64_t{0x7FFFFF}}) {
    for (uint64_t high : {uint64_t{0}, uint64_t{0x1FFFFFFF}, uint64_t{0x12345678}}) {
      for (uint64_t exponent : {uint64_t{1}, uint64_t{1023}, uint64_t{2046}}) {
        for (uint64_t sign : {uint64_t{0}, uint64_t{1}}) {
          const uint64_t bits = (sign << 63) | (exponent << 52) | (high << 23) | low;
          double x;
          std::memcpy(&x, &bits, sizeof(x));
          values.push_back(x);
        }
      }
    }
  }
  Rng rng(2024);
  for (int i = 0; i < 300000; ++i) {
    const uint64_t bits = rng.Next();
    double x;
    std::memcpy(&x, &bits, sizeof(x));
    if (std::isnan(x)) continue;
    values.push_back(x);
    values.push_back(rng.Gaussian(0.0, 10.0));
  }
  for (double x : values) {
    ASSERT_EQ(QuantizeError(x), QuantizeErrorReference(x)) << x;
  }
}

// --- Property tests: every speed path gives the reference's results, bit for bit ---

bool OpFitsShape(Op op, const MachineShape& shape) {
  const OpInfo& info = GetOpInfo(op);
  return shape.num_matrices > 0 ||
         (info.out != OperandKind::M && info.in1 != OperandKind::M && info.in2 != OperandKind::M);
}

// Ops that keep values finite most of the time, so that programs often train through several
// epochs instead of diverging at the first example.
const std::vector<Op>& TameOps() {
  static const std::vector<Op>* const kOps =
      new std::vector<Op>{Op::SCALAR_SUM,           Op::SCALAR_DIFF,
                          Op::SCALAR_PRODUCT,       Op::SCALAR_CONST_SET,
                          Op::VECTOR_INNER_PRODUCT, Op::SCALAR_VECTOR_PRODUCT,
                          Op::VECTOR_SUM,           Op::VECTOR_DIFF,
                          Op::VECTOR_CONST_SET,     Op::MATRIX_VECTOR_PRODUCT,
                          Op::VECTOR_OUTER_PRODUCT, Op::MATRIX_SUM,
                          Op::SCALAR_UNIFORM_SET,   Op::VECTOR_GAUSSIAN_SET,
                          Op::MATRIX_UNIFORM_SET,   Op::SCALAR_GAUSSIAN_SET,
                          Op::SCALAR_SIN,           Op::VECTOR_MEAN};
  return *kOps;
}

std::vector<Instruction> RandomFunction(int max_size, bool tame, const MachineShape& shape,
                                        Rng& rng) {
  const std::vector<Op>& ops = tame ? TameOps() : AllOps();
  std::vector<Instruction> function(rng.UniformInt(max_size + 1));
  for (Instruction& ins : function) {
    Op op;
    do {
      op = ops[rng.UniformInt(ops.size())];
    } while (!OpFitsShape(op, shape));
    ins = RandomInstructionForOp(op, shape, rng);
    // Hand-written programs may write s0 and v0, which random ones never do.
    const OpInfo& info = GetOpInfo(op);
    if ((info.out == OperandKind::S || info.out == OperandKind::V) && rng.Bernoulli(0.05)) {
      ins.out = 0;
    }
  }
  return function;
}

Program RandomTestProgram(const MachineShape& shape, Rng& rng) {
  const bool tame = rng.Bernoulli(0.6);
  Program program;
  program.setup = RandomFunction(6, tame, shape, rng);
  program.predict = RandomFunction(6, tame, shape, rng);
  program.learn = RandomFunction(8, tame, shape, rng);
  // Make the prediction depend on something most of the time.
  if (!program.predict.empty() && rng.Bernoulli(0.7)) {
    Instruction& last = program.predict.back();
    if (GetOpInfo(last.op).out == OperandKind::S) last.out = kPredictionScalarAddress;
  }
  return program;
}

struct PathConfig {
  bool dce;
  Dispatch dispatch;
  const char* name;
};

constexpr PathConfig kPaths[] = {
    {true, Dispatch::kReference, "dce+reference"},
    {true, Dispatch::kDecodedSwitch, "dce+decoded_switch"},
    {true, Dispatch::kThreaded, "dce+threaded"},
    {false, Dispatch::kThreaded, "threaded"},
    {false, Dispatch::kDecodedSwitch, "decoded_switch"},
};

struct PropertyCase {
  int feature_size;
  EvalType eval_type;
};

class SpeedPathsMatchReference : public ::testing::TestWithParam<PropertyCase> {};

TEST_P(SpeedPathsMatchReference, BitIdenticalOnRandomPrograms) {
  const PropertyCase& c = GetParam();
  const MachineShape shapes[] = {
      {4, 3, 1, c.feature_size}, {6, 5, 2, c.feature_size}, {3, 2, 0, c.feature_size}};
  constexpr int kProgramsPerShape = 250;  // 3000 programs over the four cases.
  int removed = 0, skips = 0, multi_epoch = 0, diverged = 0, random_live = 0;
  for (int s = 0; s < 3; ++s) {
    const MachineShape& shape = shapes[s];
    std::vector<Dataset> datasets;
    datasets.push_back(RandomLinearDataset(c.feature_size, 12, 6, 5, 100 + s, c.eval_type, 3));
    datasets.push_back(RandomLinearDataset(c.feature_size, 12, 6, 5, 200 + s, c.eval_type, 2));
    ExecutorOptions reference_options;
    reference_options.shape = shape;
    reference_options.max_abs_error = 50.0;
    reference_options.random_op_seed = 7 + s;
    reference_options.dead_code_elimination = false;
    reference_options.dispatch = Dispatch::kReference;
    std::unique_ptr<Executor> reference = Executor::Create(datasets, reference_options).value();
    std::vector<std::unique_ptr<Executor>> paths;
    for (const PathConfig& path : kPaths) {
      ExecutorOptions options = reference_options;
      options.dead_code_elimination = path.dce;
      options.dispatch = path.dispatch;
      paths.push_back(Executor::Create(datasets, options).value());
    }
    Rng rng(DeriveSeed(c.feature_size * 10 + static_cast<int>(c.eval_type), s));
    for (int p = 0; p < kProgramsPerShape; ++p) {
      const Program program = RandomTestProgram(shape, rng);
      ASSERT_TRUE(ValidateProgram(program, shape).ok());
      const std::vector<TaskScore> expected = reference->EvaluatePerTask(program);
      const uint64_t expected_signature = reference->FecSignature(program, 5, 4);
      const double expected_fitness = reference->Evaluate(program).quality;
      ProgramLiveness liveness;
      AnalyzeLiveness(program, &liveness);
      for (const auto* marks : {&liveness.setup, &liveness.predict, &liveness.learn}) {
        for (Liveness l : *marks) {
          removed += l == Liveness::kDead;
          skips += l == Liveness::kSkipDraws;
        }
      }
      for (size_t i = 0; i < program.learn.size(); ++i) {
        random_live += liveness.learn[i] == Liveness::kLive && IsRandomOp(program.learn[i].op);
      }
      for (const TaskScore& score : expected) {
        multi_epoch += score.best_epoch >= 1;
        diverged += score.diverged;
      }
      for (size_t k = 0; k < paths.size(); ++k) {
        Executor& path = *paths[k];
        const std::vector<TaskScore> got = path.EvaluatePerTask(program);
        ASSERT_EQ(got.size(), expected.size());
        for (size_t t = 0; t < got.size(); ++t) {
          SCOPED_TRACE(::testing::Message()
                       << kPaths[k].name << " program " << p << " shape " << s << " task " << t);
          EXPECT_EQ(Bits(got[t].valid_fitness), Bits(expected[t].valid_fitness));
          EXPECT_EQ(Bits(got[t].test_fitness), Bits(expected[t].test_fitness));
          EXPECT_EQ(got[t].best_epoch, expected[t].best_epoch);
          EXPECT_EQ(got[t].diverged, expected[t].diverged);
        }
        EXPECT_EQ(path.FecSignature(program, 5, 4), expected_signature) << kPaths[k].name;
        EXPECT_EQ(Bits(path.Evaluate(program).quality), Bits(expected_fitness)) << kPaths[k].name;
        EXPECT_EQ(path.train_steps(), reference->train_steps()) << kPaths[k].name;
        if (HasFailure()) {
          FAIL() << "first mismatch: " << kPaths[k].name << ", program " << p << "\n"
                 << PrintProgram(program);
        }
      }
    }
  }
  // The programs must exercise what is being tested.
  EXPECT_GT(removed, 1000);
  EXPECT_GT(skips, 20);
  EXPECT_GT(random_live, 20);
  EXPECT_GT(multi_epoch, 50);
  EXPECT_GT(diverged, 30);
}

INSTANTIATE_TEST_SUITE_P(
    AllCases, SpeedPathsMatchReference,
    ::testing::Values(PropertyCase{4, EvalType::kRmsError}, PropertyCase{4, EvalType::kAccuracy},
                      PropertyCase{8, EvalType::kRmsError}, PropertyCase{8, EvalType::kAccuracy}),
    [](const ::testing::TestParamInfo<PropertyCase>& info) {
      return std::string("F") + std::to_string(info.param.feature_size) +
             (info.param.eval_type == EvalType::kAccuracy ? "_classification" : "_regression");
    });

// Programs with equal execution keys behave identically: adding dead code changes nothing.
TEST(ExecutionKeyTest, EqualKeysMeanEqualResults) {
  const MachineShape shape{4, 3, 1, 4};
  std::vector<Dataset> datasets{RandomLinearDataset(4, 12, 6, 5, 5, EvalType::kRmsError, 2)};
  ExecutorOptions options;
  options.shape = shape;
  std::unique_ptr<Executor> executor = Executor::Create(datasets, options).value();
  Rng rng(99);
  int equal_keys = 0;
  for (int p = 0; p < 500; ++p) {
    const Program program = RandomTestProgram(shape, rng);
    ProgramLiveness liveness;
    AnalyzeLiveness(program, &liveness);
    // Replace every dead non-random instruction by a NO_OP.
    Program variant = program;
    for (ComponentFunction f : kAllComponentFunctions) {
      const bool is_predict = f == ComponentFunction::kPredict;
      const std::vector<Liveness>& marks = f == ComponentFunction::kSetup
                                               ? liveness.setup
                                               : (is_predict ? liveness.predict : liveness.learn);
      for (size_t i = 0; i < marks.size(); ++i) {
        // Predict's instructions must be dead for training and for scoring.
        const bool dead = marks[i] == Liveness::kDead &&
                          (!is_predict || liveness.valid_predict[i] == Liveness::kDead);
        if (dead && !IsRandomOp(variant.function(f)[i].op)) {
          variant.function(f)[i] = Instruction{};
        }
      }
    }
    const ProgramKey key = executor->ExecutionKey(program);
    const Fitness fitness = executor->Evaluate(program);
    const uint64_t signature = executor->FecSignature(program, 10, 10);
    ASSERT_EQ(executor->ExecutionKey(variant), key);
    equal_keys += !(variant == program);
    EXPECT_EQ(Bits(executor->Evaluate(variant).quality), Bits(fitness.quality));
    EXPECT_EQ(executor->FecSignature(variant, 10, 10), signature);
  }
  EXPECT_GT(equal_keys, 100);  // Most random programs have dead code to replace.
}

}  // namespace
}  // namespace automl
