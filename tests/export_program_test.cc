// Exported programs (experiments/export/) predict what the engine predicts: for 240 random
// programs covering every op (random ops included) and the hand-written baselines, the C++
// export, compiled by the system g++ with Bazel's fastbuild flags, gives bit-identical
// predictions while training, and the Python export (python3 + numpy) agrees to 1e-12
// relative. The engine side drives ExecuteInstruction under the executor's protocol
// (executor.h) on the original program, so the check covers Simplify too. All C++ exports go
// into one translation unit and all Python ones into one process, to keep the test short.
#include "experiments/export/export_program.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "evolution/experiment_setup.h"
#include "executor/executor_impl.h"
#include "executor/interpreters.h"
#include "executor/memory.h"
#include "executor/simplify.h"
#include "experiments/export/op_expressions.h"
#include "experiments/program_file.h"
#include "gtest/gtest.h"
#include "instructions/instruction.h"
#include "instructions/ops.h"
#include "instructions/program.h"
#include "instructions/random.h"
#include "instructions/standard_programs.h"
#include "tests/test_util.h"

namespace automl {
namespace {

constexpr int kF = 4;
constexpr uint64_t kRunSeed = 1;
constexpr int kNumRandomPrograms = 240;
constexpr int kNumExamples = 40;

struct Case {
  std::string name;
  Program program;
  bool classification;
};

struct Example {
  Vector<kF> features;
  double label;
};

TEST(OpExpressionsTest, OneEntryPerOpInIdOrder) {
  for (int k = 0; k < kNumOps; ++k) {
    EXPECT_EQ(static_cast<int>(kOpExpressions[k].op), k);
    EXPECT_NE(kOpExpressions[k].python[0], '\0') << GetOpInfo(kOpExpressions[k].op).name;
    if (k != 0) {
      EXPECT_NE(kOpExpressions[k].cpp[0], '\0') << GetOpInfo(kOpExpressions[k].op).name;
    }
  }
}

TEST(OpExpressionsTest, LiteralsReadBack) {
  for (double value : {0.01, -0.0, 1e300, 5e-324, 0.1 + 0.2, 3.0}) {
    const std::string text = DoubleLiteral(value, ExportLanguage::kCpp);
    const double back = std::strtod(text.c_str(), nullptr);
    EXPECT_EQ(back, value) << text;
    EXPECT_EQ(std::signbit(back), std::signbit(value)) << text;
  }
}

// The baselines, one program per op, and random programs over a small shape (registers collide
// often, so ops interact); instruction j of program k has op (15 k + j) mod 65, so every op occurs
// many times.
std::vector<Case> TestCases() {
  std::vector<Case> cases;
  cases.push_back({"linear_regression", LinearRegressionSgdProgram(0.01), false});
  cases.push_back({"logistic_regression", LogisticRegressionSgdProgram(0.01), true});
  cases.push_back({"two_layer_network", TwoLayerNetworkProgram(kF, 0.03, 0.1), true});
  for (const char* file : {"logistic_regression", "two_layer_network"}) {
    absl::StatusOr<Program> program =
        ReadProgramFile(absl::StrCat("experiments/baselines/", file, ".txt"));
    EXPECT_TRUE(program.ok()) << program.status();
    if (program.ok()) cases.push_back({absl::StrCat(file, "_txt"), *program, true});
  }
  MachineShape shape;
  shape.num_scalars = 4;
  shape.num_vectors = 4;
  shape.num_matrices = 2;
  shape.feature_size = kF;
  Rng rng(20261204);
  const std::vector<Op>& ops = AllOps();
  // One program per op whose result reaches the prediction: random registers, the op in
  // Predict (and again in Learn), its output reduced to s1.
  for (Op op : ops) {
    if (op == Op::NO_OP) continue;
    Program program;
    program.setup = {Ins(Op::SCALAR_GAUSSIAN_SET, 2, 0, 0, 0.0, 1.0),
                     Ins(Op::SCALAR_GAUSSIAN_SET, 3, 0, 0, 0.0, 1.0),
                     Ins(Op::VECTOR_GAUSSIAN_SET, 1, 0, 0, 0.0, 1.0),
                     Ins(Op::VECTOR_GAUSSIAN_SET, 2, 0, 0, 0.0, 1.0),
                     Ins(Op::MATRIX_GAUSSIAN_SET, 0, 0, 0, 0.0, 1.0),
                     Ins(Op::MATRIX_GAUSSIAN_SET, 1, 0, 0, 0.0, 1.0)};
    const Instruction ins = RandomInstructionForOp(op, shape, rng);
    program.predict.push_back(ins);
    switch (GetOpInfo(op).out) {
      case OperandKind::S:
        program.predict.push_back(Ins(Op::SCALAR_SUM, 1, ins.out, 2));
        break;
      case OperandKind::V:
        program.predict.push_back(Ins(Op::VECTOR_INNER_PRODUCT, 1, ins.out, 0));
        break;
      default:
        program.predict.push_back(Ins(Op::MATRIX_VECTOR_PRODUCT, 3, ins.out, 0));
        program.predict.push_back(Ins(Op::VECTOR_INNER_PRODUCT, 1, 3, 0));
    }
    program.learn = {Ins(Op::SCALAR_DIFF, 3, 0, 1), Ins(Op::SCALAR_VECTOR_PRODUCT, 2, 3, 0),
                     Ins(Op::VECTOR_SUM, 1, 1, 2), RandomInstructionForOp(op, shape, rng)};
    cases.push_back({absl::StrCat("op_", GetOpInfo(op).name), program, false});
  }
  for (int k = 0; k < kNumRandomPrograms; ++k) {
    Program program;
    int j = 0;
    for (auto [function, size] :
         {std::pair{ComponentFunction::kSetup, 3}, std::pair{ComponentFunction::kPredict, 6},
          std::pair{ComponentFunction::kLearn, 6}}) {
      for (int n = 0; n < size; ++n, ++j) {
        program.function(function).push_back(
            RandomInstructionForOp(ops[(15 * k + j) % kNumOps], shape, rng));
      }
    }
    cases.push_back({absl::StrCat("random", k), program, k % 2 == 1});
  }
  return cases;
}

std::vector<Example> TestExamples(bool classification) {
  Rng rng(classification ? 11 : 12);
  Vector<kF> weights;
  for (int i = 0; i < kF; ++i) weights[i] = rng.Uniform(-1, 1);
  std::vector<Example> examples(kNumExamples);
  for (Example& example : examples) {
    for (int i = 0; i < kF; ++i) example.features[i] = rng.Uniform(-1, 1);
    const double y = weights.dot(example.features);
    example.label = classification ? (y > 0 ? 1.0 : 0.0) : y;
  }
  return examples;
}

// The engine's training predictions (executor.h protocol, task 0 of a run with kRunSeed).
std::vector<double> EnginePredictions(const Program& program, bool classification,
                                      const std::vector<Example>& examples) {
  MachineShape all;
  all.num_scalars = kMaxScalarRegisters;
  all.num_vectors = kMaxVectorRegisters;
  all.num_matrices = kMaxMatrixRegisters;
  all.feature_size = kF;
  auto memory = std::make_unique<Memory<kF>>();
  memory->Wipe(all);
  Rng rng(DeriveSeed(RandomOpSeedOfRun(kRunSeed), 0));
  for (const Instruction& ins : program.setup) ExecuteInstruction<kF>(ins, *memory, rng);
  std::vector<double> predictions;
  for (const Example& example : examples) {
    memory->vector[kFeaturesVectorAddress] = example.features;
    memory->scalar[kLabelScalarAddress] = 0.0;
    for (const Instruction& ins : program.predict) ExecuteInstruction<kF>(ins, *memory, rng);
    double& prediction = memory->scalar[kPredictionScalarAddress];
    if (classification) prediction = Sigmoid(prediction);
    predictions.push_back(prediction);
    memory->scalar[kLabelScalarAddress] = example.label;
    for (const Instruction& ins : program.learn) ExecuteInstruction<kF>(ins, *memory, rng);
  }
  return predictions;
}

std::string DataFile(const std::vector<Example>& examples) {
  std::string text;
  for (const Example& example : examples) {
    absl::StrAppend(&text, absl::StrFormat("%a", example.label));
    for (int i = 0; i < kF; ++i)
      absl::StrAppend(&text, absl::StrFormat(" %a", example.features[i]));
    absl::StrAppend(&text, "\n");
  }
  return text;
}

// Writes one export per case into `dir`; returns false on an export error.
bool WriteExports(const std::vector<Case>& cases, ExportLanguage language, const std::string& dir) {
  for (size_t k = 0; k < cases.size(); ++k) {
    ExportOptions options;
    options.class_name = absl::StrCat("P", k);
    options.feature_size = kF;
    options.program_path = cases[k].name;
    options.run_seed = kRunSeed;
    absl::StatusOr<std::string> text = ExportProgram(cases[k].program, language, options);
    if (!text.ok()) {
      ADD_FAILURE() << cases[k].name << ": " << text.status();
      return false;
    }
    WriteBytes(absl::StrCat(dir, "/p", k, language == ExportLanguage::kCpp ? ".h" : ".py"), *text);
  }
  return true;
}

// A main that runs every exported class on its data file and prints one line of hex
// predictions per class.
std::string CppDriver(const std::vector<Case>& cases) {
  std::string text =
      "#include <cstdio>\n#include <cstdlib>\n#include <fstream>\n#include <memory>\n";
  for (size_t k = 0; k < cases.size(); ++k) absl::StrAppend(&text, "#include \"p", k, ".h\"\n");
  absl::StrAppend(&text, R"(
template <typename P>
void Run(const char* data_path, bool classification) {
  auto p = std::make_unique<P>(P::TaskSeed(P::kRunRandomOpSeed, 0), classification);
  p->Setup();
  std::ifstream data(data_path);
  std::string label_text;
  while (data >> label_text) {
    typename P::Vector x;
    for (int i = 0; i < P::kF; ++i) {
      std::string value;
      data >> value;
      x[i] = std::strtod(value.c_str(), nullptr);
    }
    std::printf("%a ", p->Predict(x));
    p->Learn(std::strtod(label_text.c_str(), nullptr));
  }
  std::printf("\n");
}

int main(int argc, char** argv) {
)");
  for (size_t k = 0; k < cases.size(); ++k) {
    const bool c = cases[k].classification;
    absl::StrAppend(&text, "  Run<P", k, ">(argv[", c ? 2 : 1, "], ", c ? "true" : "false", ");\n");
  }
  absl::StrAppend(&text, "}\n");
  return text;
}

std::string PythonDriver(const std::vector<Case>& cases, const std::string& dir) {
  std::string text =
      absl::StrCat("import importlib, sys\nsys.path.insert(0, '", dir, "')\n", "flags = [", "");
  for (const Case& c : cases) absl::StrAppend(&text, c.classification ? "True, " : "False, ");
  absl::StrAppend(&text, R"(]
for k, classification in enumerate(flags):
    module = importlib.import_module('p%d' % k)
    p = getattr(module, 'P%d' % k)(module.task_seed(module.RUN_RANDOM_OP_SEED, 0), classification)
    p.setup()
    out = []
    for line in open(sys.argv[2 if classification else 1]):
        values = [float.fromhex(v) for v in line.split()]
        out.append(p.predict(values[1:]).hex())
        p.learn(values[0])
    print(' '.join(out))
)");
  return text;
}

// Runs `command`, whose stdout has one line of hex doubles per case.
std::vector<std::vector<double>> RunAndParse(const std::string& command, const std::string& out) {
  const int rc = std::system(absl::StrCat(command, " > ", out).c_str());
  EXPECT_EQ(rc, 0) << command;
  std::vector<std::vector<double>> rows;
  for (absl::string_view line : absl::StrSplit(ReadBytes(out), '\n', absl::SkipEmpty())) {
    std::vector<double> row;
    for (absl::string_view value : absl::StrSplit(line, ' ', absl::SkipEmpty())) {
      row.push_back(std::strtod(std::string(value).c_str(), nullptr));
    }
    rows.push_back(row);
  }
  return rows;
}

bool Same(double x, double y) { return (std::isnan(x) && std::isnan(y)) || x == y; }

bool Close(double x, double y) {
  if (Same(x, y)) return true;
  return std::fabs(x - y) <= 1e-12 * std::max(std::fabs(x), std::fabs(y));
}

// The exports run simplified programs: every op must survive simplification somewhere, and
// enough programs must predict something that changes while they train, or the comparison
// below would prove little.
TEST(ExportTestCasesTest, CoverEveryOpAndPredictSomething) {
  const std::vector<Case> cases = TestCases();
  std::set<Op> live_ops;
  int varying = 0;
  for (const Case& c : cases) {
    absl::StatusOr<Program> simplified = Simplify(c.program, SmallestShape(c.program, kF));
    ASSERT_TRUE(simplified.ok()) << simplified.status();
    for (ComponentFunction f : kAllComponentFunctions) {
      for (const Instruction& ins : simplified->function(f)) live_ops.insert(ins.op);
    }
    const std::vector<double> predictions =
        EnginePredictions(c.program, c.classification, TestExamples(c.classification));
    std::set<double> finite;
    for (double p : predictions) {
      if (std::isfinite(p)) finite.insert(p);
    }
    varying += finite.size() > 1 ? 1 : 0;
  }
  for (Op op : AllOps()) {
    if (op != Op::NO_OP) EXPECT_TRUE(live_ops.count(op)) << GetOpInfo(op).name;
  }
  std::printf("%d of %zu programs predict at least two distinct finite values\n", varying,
              cases.size());
  EXPECT_GE(varying, static_cast<int>(cases.size()) / 4);
}

class ExportMatchesEngineTest : public testing::Test {
 protected:
  void SetUp() override {
    cases_ = TestCases();
    regression_ = TestExamples(false);
    classification_ = TestExamples(true);
    dir_ = FreshTempDir("export");
    WriteBytes(dir_ + "/regression.txt", DataFile(regression_));
    WriteBytes(dir_ + "/classification.txt", DataFile(classification_));
    for (const Case& c : cases_) {
      engine_.push_back(EnginePredictions(c.program, c.classification,
                                          c.classification ? classification_ : regression_));
    }
  }

  std::vector<Case> cases_;
  std::vector<Example> regression_, classification_;
  std::string dir_;
  std::vector<std::vector<double>> engine_;
};

TEST_F(ExportMatchesEngineTest, CppIsBitIdentical) {
  ASSERT_TRUE(WriteExports(cases_, ExportLanguage::kCpp, dir_));
  WriteBytes(dir_ + "/main.cc", CppDriver(cases_));
  // Bazel's fastbuild flags that matter for the arithmetic: no optimization, no -march (SSE2
  // on x86-64), and the project's copts (.bazelrc).
  const std::string compile = absl::StrCat(
      "g++ -std=c++17 -O0 -fopenmp -DEIGEN_DONT_PARALLELIZE -Wall -Werror -isystem "
      "/usr/include/eigen3 -o ",
      dir_, "/main ", dir_, "/main.cc");
  ASSERT_EQ(std::system(compile.c_str()), 0) << compile;
  const std::vector<std::vector<double>> rows = RunAndParse(
      absl::StrCat(dir_, "/main ", dir_, "/regression.txt ", dir_, "/classification.txt"),
      dir_ + "/cpp.out");
  ASSERT_EQ(rows.size(), cases_.size());
  for (size_t k = 0; k < cases_.size(); ++k) {
    ASSERT_EQ(rows[k].size(), engine_[k].size()) << cases_[k].name;
    for (size_t i = 0; i < rows[k].size(); ++i) {
      ASSERT_TRUE(Same(rows[k][i], engine_[k][i]))
          << cases_[k].name << " example " << i << ": export " << rows[k][i] << " engine "
          << engine_[k][i];
    }
  }
}

TEST_F(ExportMatchesEngineTest, PythonAgreesTo1e12) {
  ASSERT_TRUE(WriteExports(cases_, ExportLanguage::kPython, dir_));
  WriteBytes(dir_ + "/driver.py", PythonDriver(cases_, dir_));
  const std::vector<std::vector<double>> rows =
      RunAndParse(absl::StrCat("python3 ", dir_, "/driver.py ", dir_, "/regression.txt ", dir_,
                               "/classification.txt"),
                  dir_ + "/python.out");
  ASSERT_EQ(rows.size(), cases_.size());
  int exact = 0;
  for (size_t k = 0; k < cases_.size(); ++k) {
    ASSERT_EQ(rows[k].size(), engine_[k].size()) << cases_[k].name;
    bool all_same = true;
    for (size_t i = 0; i < rows[k].size(); ++i) {
      all_same &= Same(rows[k][i], engine_[k][i]);
      EXPECT_TRUE(Close(rows[k][i], engine_[k][i]))
          << cases_[k].name << " example " << i << ": export " << rows[k][i] << " engine "
          << engine_[k][i];
    }
    exact += all_same ? 1 : 0;
  }
  std::printf("Python: %d of %zu programs bit-identical\n", exact, cases_.size());
}

}  // namespace
}  // namespace automl
