// Tests of Simplify (executor/simplify.h). Unit tests pin each rewrite on small hand-written
// programs and the demo's evolved program; a property test simplifies thousands of random
// programs over all 65 ops (several shapes, F = 4 and 16, regression and classification, 1-3
// epochs) and requires bit-identical results from the executor, idempotence, no growth and an
// exact text round trip.
#include "executor/simplify.h"

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/casts.h"
#include "absl/strings/str_cat.h"
#include "executor/dataset.h"
#include "executor/dead_code.h"
#include "executor/executor.h"
#include "gtest/gtest.h"
#include "instructions/instruction.h"
#include "instructions/ops.h"
#include "instructions/parser.h"
#include "instructions/printer.h"
#include "instructions/program.h"
#include "instructions/random.h"
#include "instructions/standard_programs.h"
#include "tasks/task_registry.h"

namespace automl {
namespace {

constexpr MachineShape kDemoShape{4, 3, 1, 4};  // experiments/specs/linear_demo.textproto.

// Simplifies `text` and returns the printed result.
std::string SimplifyText(const std::string& text, const MachineShape& shape = kDemoShape) {
  const absl::StatusOr<Program> program = ParseProgram(text);
  EXPECT_TRUE(program.ok()) << program.status();
  if (!program.ok()) return "";
  const absl::StatusOr<Program> simplified = Simplify(*program, shape);
  EXPECT_TRUE(simplified.ok()) << simplified.status();
  return simplified.ok() ? PrintProgram(*simplified) : "";
}

// --- The demo's program ---

// The best program of the demo search (experiments/run_demo.sh), as printed.
constexpr char kDemoProgram[] = R"(
def Setup():
  v1 = v1 + v1
  s1 = 0.1783247330273321
  v1 = v1 + v2
  s2 = s0 * s1
  v1 = v2 + v1
  s2 = -0.17717719607333776
  s1 = s1 * s2
  v2 = v0 + v0
  s3 = s2 * s0
  s3 = s1 * s1
def Predict():
  s2 = 0.6848786310909043
  s1 = dot(v2, v0)
def Learn():
  s2 = s3 * s2
  s1 = s0 - s1
  v2 = s0 * v2
  v2 = s1 * v0
  v1 = v1 + v2
  s3 = 0.5459006091272094
  s3 = s3 - s2
  v2 = s2 * v1
)";

TEST(SimplifyTest, DemoProgramIsLinearRegressionBySgd) {
  // Setup's one value that matters is s3 = (s1 * s2)^2 (now s2); the rest stores zeros into
  // zeros (memory starts at zero, v0 too) or is overwritten. Predict: weights (now v1) dot the
  // features. Learn: the error times the features (v1) adds to a gradient sum (v2), and the
  // weights are the sum times a rate r (s3) that follows r' = 0.6848... * (0.5459... - r) from
  // 0.6848... times Setup's constant towards its fixed point: not a constant, so it stays.
  const double setup_product = 0.1783247330273321 * -0.17717719607333776;
  const std::string setup_constant = FormatDouble(setup_product * setup_product);
  EXPECT_EQ(setup_constant, "0.0009982488393450648");
  EXPECT_EQ(SimplifyText(kDemoProgram),
            "def Setup():\n"
            "  s2 = 0.0009982488393450648\n"
            "def Predict():\n"
            "  s3 = 0.6848786310909043\n"
            "  s1 = dot(v1, v0)\n"
            "def Learn():\n"
            "  s3 = s2 * s3\n"
            "  s1 = s0 - s1\n"
            "  v1 = s1 * v0\n"
            "  v2 = v2 + v1\n"
            "  s2 = 0.5459006091272094\n"
            "  s2 = s2 - s3\n"
            "  v1 = s3 * v2\n");
  EXPECT_EQ(LiveInstructionCount(ParseProgram(kDemoProgram).value()), 17);
}

// --- One rewrite at a time ---

TEST(SimplifyTest, RemovesDeadInstructionsAndNoOps) {
  EXPECT_EQ(SimplifyText("def Setup():\n  s3 = 0.5\n  no_op\n"
                         "def Predict():\n  s2 = norm(v0)\n  s1 = dot(v0, v1)\n  no_op\n"
                         "def Learn():\n  v1 = s0 * v0\n  s3 = s3 + s0\n"),
            "def Setup():\ndef Predict():\n  s1 = dot(v0, v1)\ndef Learn():\n"
            "  v1 = s0 * v0\n");
}

TEST(SimplifyTest, FoldsKnownResultsIntoOneConstant) {
  // Setup starts on zeros: cos(s3) is 1, and the sum is known.
  EXPECT_EQ(SimplifyText("def Setup():\n  s2 = 0.5\n  s3 = cos(s3)\n  s2 = s2 + s3\n"
                         "def Predict():\n  v2 = s2 * v0\n  s1 = dot(v2, v1)\n"
                         "def Learn():\n  v1 = v1 + v0\n"),
            "def Setup():\n  s2 = 1.5\ndef Predict():\n  v1 = s2 * v0\n  s1 = dot(v1, v2)\n"
            "def Learn():\n  v2 = v2 + v0\n");
}

TEST(SimplifyTest, UsesTheZeroInS0WhenPredictStarts) {
  // s0 is 0 when Predict starts (the label only arrives for Learn), so exp(s0) is 1; s3
  // accumulates labels and stays unknown.
  EXPECT_EQ(SimplifyText("def Predict():\n  s2 = exp(s0)\n  s1 = s2 * s3\n"
                         "def Learn():\n  s3 = s3 + s0\n  s2 = s0 * s3\n"),
            "def Setup():\ndef Predict():\n  s2 = 1\n  s1 = s2 * s3\n"
            "def Learn():\n  s3 = s3 + s0\n");
}

TEST(SimplifyTest, RemovesStoresOfWhatARegisterHolds) {
  // v1 + v2 is zero plus zero; Predict's s2 = 0.5 repeats Setup's, which nothing changes; the
  // product with s0 (0 in Setup) is +0, which s3 holds (a -0 would differ: see below).
  EXPECT_EQ(SimplifyText("def Setup():\n  v1 = v1 + v2\n  s2 = 0.5\n  s3 = s2 * s0\n"
                         "def Predict():\n  s2 = 0.5\n  s1 = s2 * s3\n"
                         "def Learn():\n  s3 = s3 + s0\n"),
            "def Setup():\n  s2 = 0.5\ndef Predict():\n  s1 = s2 * s3\n"
            "def Learn():\n  s3 = s3 + s0\n");
}

TEST(SimplifyTest, ScoringRunsPredictAfterPredict) {
  // Learn restores s2 = 0.5 for every training Predict, but scoring runs Predict after
  // Predict, where s2 is 0.25: s2 + s2 is not known, and Predict's store, dead for training,
  // is live for scoring.
  const std::string program =
      "def Setup():\n  s2 = 0.5\n"
      "def Predict():\n  s3 = s2 + s2\n  s1 = dot(v0, v1)\n  s1 = s1 * s3\n  s2 = 0.25\n"
      "def Learn():\n  s2 = 0.5\n  v1 = v1 + v0\n";
  EXPECT_EQ(SimplifyText(program), PrintProgram(ParseProgram(program).value()));
}

TEST(SimplifyTest, TellsNegativeZeroFromZero) {
  EXPECT_EQ(SimplifyText("def Setup():\n  s2 = -0.5\n  s3 = s2 * s0\n"
                         "def Predict():\n  s1 = s3 * s1\n"),
            "def Setup():\n  s2 = -0\ndef Predict():\n  s1 = s2 * s1\ndef Learn():\n");
}

TEST(SimplifyTest, FoldsInfinitiesButOnlyNaNsThatRoundTrip) {
  EXPECT_EQ(SimplifyText("def Setup():\n  s3 = 1 / s2\ndef Predict():\n  s1 = s3 * s1\n"),
            "def Setup():\n  s2 = inf\ndef Predict():\n  s1 = s2 * s1\ndef Learn():\n");
  // 0 / 0: a NaN whose bits the text may not keep. Either way the result prints and parses
  // back exactly, and it is one instruction.
  const Program simplified =
      Simplify(
          ParseProgram("def Setup():\n  s3 = s2 / s2\ndef Predict():\n  s1 = s3 * s1\n").value(),
          kDemoShape)
          .value();
  ASSERT_EQ(simplified.setup.size(), 1u);
  EXPECT_TRUE(BitwiseEqual(ParseProgram(PrintProgram(simplified)).value(), simplified));
}

TEST(SimplifyTest, FoldsVectorAndMatrixResultsThatDifferInOneElement) {
  EXPECT_EQ(SimplifyText("def Setup():\n  v2[3] = 0.25\n  v1 = v2 + v2\n  m0 = outer(v2, v1)\n"
                         "def Predict():\n  v1 = m0 @ v1\n  s1 = dot(v1, v0)\n"),
            "def Setup():\n  v1[3] = 0.5\n  m0[3, 3] = 0.125\n"
            "def Predict():\n  v1 = m0 @ v1\n  s1 = dot(v1, v0)\ndef Learn():\n");
  // Two elements differ: no single instruction does it.
  EXPECT_EQ(SimplifyText("def Setup():\n  v2 = bcast(s2)\n  v2[0] = 1\n  v2[1] = 2\n"
                         "  v1 = v2 * v2\ndef Predict():\n  s1 = dot(v1, v0)\n"),
            "def Setup():\n  v1[0] = 1\n  v1[1] = 2\n  v2 = v1 * v1\n"
            "def Predict():\n  s1 = dot(v2, v0)\ndef Learn():\n");
}

TEST(SimplifyTest, KeepsDeadRandomOpsWhoseDrawsLaterOnesNeed) {
  // The first uniform is overwritten, but the gaussian's value depends on its draw; the last
  // uniform comes after every live random op and goes.
  EXPECT_EQ(SimplifyText("def Setup():\n  s2 = uniform(-1, 1)\n  s2 = 0.5\n"
                         "  s3 = gaussian(0, 1)\n  s1 = uniform(-1, 1)\n"
                         "def Predict():\n  s1 = s3 * s2\n"),
            "def Setup():\n  s2 = uniform(-1, 1)\n  s2 = 0.5\n  s3 = gaussian(0, 1)\n"
            "def Predict():\n  s1 = s3 * s2\ndef Learn():\n");
}

TEST(SimplifyTest, RenumbersRegistersInOrderOfAppearance) {
  const MachineShape shape{8, 6, 4, 4};
  EXPECT_EQ(SimplifyText("def Predict():\n  v5 = m3 @ v0\n  s7 = dot(v5, v4)\n"
                         "  s1 = s7 * s6\n"
                         "def Learn():\n  m3 = outer(v0, v4)\n  s6 = s6 + s0\n  v4 = v4 + v0\n",
                         shape),
            "def Setup():\ndef Predict():\n  v1 = m0 @ v0\n  s2 = dot(v1, v2)\n"
            "  s1 = s2 * s3\n"
            "def Learn():\n  m0 = outer(v0, v2)\n  s3 = s3 + s0\n  v2 = v2 + v0\n");
}

TEST(SimplifyTest, RejectsWhatTheExecutorRejects) {
  const Program program = ParseProgram("def Predict():\n  s1 = dot(v5, v0)\n").value();
  EXPECT_FALSE(Simplify(program, kDemoShape).ok());  // v5 is beyond 3 vectors.
  MachineShape odd_size = kDemoShape;
  odd_size.feature_size = 3;
  EXPECT_FALSE(Simplify(ParseProgram(kDemoProgram).value(), odd_size).ok());
}

TEST(SimplifyTest, EveryFeatureSizeIsCompiledIn) {
  for (int feature_size : SupportedFeatureSizes()) {
    MachineShape shape = kDemoShape;
    shape.feature_size = feature_size;
    EXPECT_TRUE(Simplify(ParseProgram(kDemoProgram).value(), shape).ok()) << feature_size;
  }
}

// --- Property test: simplified programs behave exactly like the originals ---

uint64_t Bits(double x) { return absl::bit_cast<uint64_t>(x); }

// Two small linear tasks with 3 and 1-2 epochs; for classification the labels become their
// sign (0/1) and s1 goes through the executor's sigmoid.
std::vector<Dataset> SmallTasks(int feature_size, EvalType eval_type, int variant) {
  TaskCollection collection;
  for (int t = 0; t < 2; ++t) {
    TaskSpec& spec = *collection.add_tasks();
    spec.mutable_scrambled_linear_regression();
    spec.set_feature_size(feature_size);
    spec.set_num_train_examples(10);
    spec.set_num_valid_examples(6);
    spec.set_num_test_examples(5);
    spec.set_num_epochs(t == 0 ? 3 : 1 + variant % 2);
    spec.add_data_seeds(100 * variant + t + 1);
    spec.add_param_seeds(100 * variant + t + 1);
  }
  std::vector<Dataset> datasets = GenerateTasks(collection).value();
  if (eval_type == EvalType::kAccuracy) {
    for (Dataset& dataset : datasets) {
      dataset.eval_type = EvalType::kAccuracy;
      for (DataSplit* split : {&dataset.train, &dataset.valid, &dataset.test}) {
        for (double& label : split->labels) label = label > 0.0 ? 1.0 : 0.0;
      }
    }
  }
  return datasets;
}

bool FitsShape(Op op, const MachineShape& shape) {
  const OpInfo& info = GetOpInfo(op);
  return shape.num_matrices > 0 ||
         (info.out != OperandKind::M && info.in1 != OperandKind::M && info.in2 != OperandKind::M);
}

// A random instruction of any op the shape has registers for, a constant set with extra
// probability `constant_set` (they feed the folding), sometimes writing s0 or v0 as
// hand-written programs may.
Instruction RandomTestInstruction(const MachineShape& shape, double constant_set, Rng& rng) {
  static const Op kConstantSets[] = {Op::SCALAR_CONST_SET, Op::VECTOR_CONST_SET,
                                     Op::MATRIX_CONST_SET};
  Op op;
  do {
    op = rng.Bernoulli(constant_set) ? kConstantSets[rng.UniformInt(3)]
                                     : AllOps()[rng.UniformInt(AllOps().size())];
  } while (!FitsShape(op, shape));
  Instruction ins = RandomInstructionForOp(op, shape, rng);
  const OperandKind out = GetOpInfo(op).out;
  if ((out == OperandKind::S || out == OperandKind::V) && rng.Bernoulli(0.04)) ins.out = 0;
  return ins;
}

// Appends to Predict a sum into s1 of a value of every vector and matrix register, so that
// whatever Setup leaves there stays live.
void PredictFromEveryRegister(const MachineShape& shape, Program& program) {
  auto add = [&](const std::string& text) {
    program.predict.push_back(ParseInstruction(text).value());
    program.predict.push_back(ParseInstruction("s1 = s1 + s2").value());
  };
  for (int v = 1; v < shape.num_vectors; ++v) add(absl::StrCat("s2 = dot(v", v, ", v0)"));
  for (int m = 0; m < shape.num_matrices; ++m) add(absl::StrCat("s2 = mean(m", m, ")"));
}

// Half the programs start from linear regression by SGD, so that many train through several
// epochs; random instructions go in at random places. A third of the programs get them mostly
// in Setup, with many constant sets, where most values are known, and predict from every
// register.
Program RandomTestProgram(const MachineShape& shape, Rng& rng) {
  Program program;
  const MachineShape sgd_shape = MinimumShapeForLinearRegression(shape.feature_size);
  if (shape.num_scalars >= sgd_shape.num_scalars && shape.num_vectors >= sgd_shape.num_vectors &&
      rng.Bernoulli(0.5)) {
    program = LinearRegressionSgdProgram(rng.Uniform(0.001, 0.1));
  }
  const bool setup_heavy = rng.Bernoulli(0.33);
  const int inserts = rng.UniformIntIn(1, 18);
  for (int i = 0; i < inserts; ++i) {
    const int f = setup_heavy && rng.Bernoulli(0.6) ? 0 : rng.UniformInt(3);
    std::vector<Instruction>& function = program.function(kAllComponentFunctions[f]);
    function.insert(function.begin() + rng.UniformInt(function.size() + 1),
                    RandomTestInstruction(shape, setup_heavy ? 0.4 : 0.15, rng));
  }
  if (setup_heavy) PredictFromEveryRegister(shape, program);
  // Random programs rarely write the prediction: make it depend on something.
  if (!setup_heavy && !program.predict.empty() &&
      GetOpInfo(program.predict.back().op).out == OperandKind::S) {
    program.predict.back().out = kPredictionScalarAddress;
  }
  return program;
}

// Counts of what the random programs exercised.
struct Coverage {
  int removed = 0;           // Instructions removed in all.
  int beyond_dead_code = 0;  // Programs shorter than their live instruction count.
  int folded = 0;            // Constant sets whose value the original lacks.
  int element_folds = 0;     // ... of which vector or matrix elements.
  int kept_draws = 0;        // Programs keeping a dead random op for its draws.
  int live_random = 0;       // Programs with a live random op in the loop.
  int multi_epoch = 0;       // Tasks whose best epoch is not the first.
  int diverged = 0;          // Tasks that diverged.
};

void CountCoverage(const Program& raw, const Program& simplified,
                   const std::vector<TaskScore>& scores, Coverage& coverage) {
  coverage.removed += raw.size() - simplified.size();
  coverage.beyond_dead_code += simplified.size() < LiveInstructionCount(raw);
  std::vector<uint64_t> constants;
  for (ComponentFunction f : kAllComponentFunctions) {
    for (const Instruction& ins : raw.function(f)) constants.push_back(Bits(ins.data0));
  }
  ProgramLiveness liveness;
  AnalyzeLiveness(simplified, &liveness);
  bool kept_draws = false, live_random = false;
  for (ComponentFunction f : kAllComponentFunctions) {
    const std::vector<Instruction>& function = simplified.function(f);
    const std::vector<Liveness>& marks = f == ComponentFunction::kSetup     ? liveness.setup
                                         : f == ComponentFunction::kPredict ? liveness.predict
                                                                            : liveness.learn;
    for (size_t i = 0; i < function.size(); ++i) {
      const OpDataKind data = GetOpInfo(function[i].op).data;
      const bool constant = data == OpDataKind::kConstant || data == OpDataKind::kVectorElement ||
                            data == OpDataKind::kMatrixElement;
      if (constant && std::find(constants.begin(), constants.end(), Bits(function[i].data0)) ==
                          constants.end()) {
        ++coverage.folded;
        coverage.element_folds += data != OpDataKind::kConstant;
      }
      kept_draws |= marks[i] == Liveness::kSkipDraws;
      live_random |= f != ComponentFunction::kSetup && marks[i] == Liveness::kLive &&
                     IsRandomOp(function[i].op);
    }
  }
  coverage.kept_draws += kept_draws;
  coverage.live_random += live_random;
  for (const TaskScore& score : scores) {
    coverage.multi_epoch += score.best_epoch >= 1;
    coverage.diverged += score.diverged;
  }
}

struct PropertyCase {
  int feature_size;
  EvalType eval_type;
};

class SimplifyProperty : public ::testing::TestWithParam<PropertyCase> {};

TEST_P(SimplifyProperty, SimplifiedProgramsBehaveIdentically) {
  const PropertyCase& c = GetParam();
  const MachineShape shapes[] = {
      {4, 3, 1, c.feature_size}, {7, 5, 2, c.feature_size}, {3, 2, 0, c.feature_size}};
  // 3000 programs over the four cases, fewer at F = 16, which takes longer.
  const int programs_per_shape = c.feature_size == 4 ? 334 : 166;
  Coverage coverage;
  for (int s = 0; s < 3; ++s) {
    const MachineShape& shape = shapes[s];
    const std::vector<Dataset> datasets = SmallTasks(c.feature_size, c.eval_type, s);
    // The original runs on the reference interpreter without dead-code elimination: exactly
    // what it says. The simplified one runs the default way.
    ExecutorOptions raw_options;
    raw_options.shape = shape;
    raw_options.max_abs_error = 50.0;
    raw_options.random_op_seed = 11 + s;
    raw_options.dead_code_elimination = false;
    raw_options.dispatch = Dispatch::kReference;
    ExecutorOptions simplified_options = raw_options;
    simplified_options.dead_code_elimination = ExecutorOptions().dead_code_elimination;
    simplified_options.dispatch = ExecutorOptions().dispatch;
    std::unique_ptr<Executor> raw_executor = Executor::Create(datasets, raw_options).value();
    std::unique_ptr<Executor> simplified_executor =
        Executor::Create(datasets, simplified_options).value();
    Rng rng(DeriveSeed(c.feature_size * 10 + static_cast<int>(c.eval_type), s));
    for (int p = 0; p < programs_per_shape; ++p) {
      const Program raw = RandomTestProgram(shape, rng);
      ASSERT_TRUE(ValidateProgram(raw, shape).ok());
      const Program simplified = Simplify(raw, shape).value();
      SCOPED_TRACE(absl::StrCat("shape ", s, " program ", p, "\n", PrintProgram(raw),
                                "simplified:\n", PrintProgram(simplified)));
      ASSERT_TRUE(ValidateProgram(simplified, shape).ok());
      EXPECT_LE(simplified.size(), raw.size());
      EXPECT_TRUE(BitwiseEqual(Simplify(simplified, shape).value(), simplified));
      const absl::StatusOr<Program> reparsed = ParseProgram(PrintProgram(simplified));
      ASSERT_TRUE(reparsed.ok()) << reparsed.status();
      EXPECT_TRUE(BitwiseEqual(*reparsed, simplified));

      const std::vector<TaskScore> expected = raw_executor->EvaluatePerTask(raw);
      const std::vector<TaskScore> got = simplified_executor->EvaluatePerTask(simplified);
      ASSERT_EQ(got.size(), expected.size());
      for (size_t t = 0; t < got.size(); ++t) {
        EXPECT_EQ(Bits(got[t].valid_fitness), Bits(expected[t].valid_fitness)) << "task " << t;
        EXPECT_EQ(Bits(got[t].test_fitness), Bits(expected[t].test_fitness)) << "task " << t;
        EXPECT_EQ(got[t].best_epoch, expected[t].best_epoch) << "task " << t;
        EXPECT_EQ(got[t].diverged, expected[t].diverged) << "task " << t;
      }
      // The FEC signature hashes the first predictions' errors.
      EXPECT_EQ(simplified_executor->FecSignature(simplified, 10, 6),
                raw_executor->FecSignature(raw, 10, 6));
      EXPECT_EQ(simplified_executor->train_steps(), raw_executor->train_steps());
      if (HasFailure()) return;
      CountCoverage(raw, simplified, expected, coverage);
    }
  }
  // The programs must exercise every rewrite.
  EXPECT_GT(coverage.removed, 2000);
  EXPECT_GT(coverage.beyond_dead_code, 100);
  EXPECT_GT(coverage.folded, 50);
  EXPECT_GT(coverage.element_folds, 5);
  EXPECT_GT(coverage.kept_draws, 10);
  EXPECT_GT(coverage.live_random, 20);
  EXPECT_GT(coverage.multi_epoch, 25);
  EXPECT_GT(coverage.diverged, 30);
  std::cout << "removed " << coverage.removed << ", beyond dead code " << coverage.beyond_dead_code
            << ", folded " << coverage.folded << " (" << coverage.element_folds
            << " elements), kept draws " << coverage.kept_draws << ", live random "
            << coverage.live_random << ", multi-epoch " << coverage.multi_epoch << ", diverged "
            << coverage.diverged << "\n";
}

INSTANTIATE_TEST_SUITE_P(
    AllCases, SimplifyProperty,
    ::testing::Values(PropertyCase{4, EvalType::kRmsError}, PropertyCase{4, EvalType::kAccuracy},
                      PropertyCase{16, EvalType::kRmsError}, PropertyCase{16, EvalType::kAccuracy}),
    [](const ::testing::TestParamInfo<PropertyCase>& info) {
      return absl::StrCat(
          "F", info.param.feature_size,
          info.param.eval_type == EvalType::kAccuracy ? "_classification" : "_regression");
    });

}  // namespace
}  // namespace automl
