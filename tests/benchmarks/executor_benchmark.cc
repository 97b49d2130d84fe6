// Micro-benchmarks of the executor: the cost of one executed instruction in the
// search's interpreter (pre-decoded, threaded) for a scalar, a vector and a
// matrix op at F = 4 and F = 16, and whole evaluations of the linear SGD
// program on the demo's task shape with each dispatch, of the 2-layer network with and without
// independent predictions, and the classification sigmoid with its
// shortcuts against the plain formula, on predictions inside and far outside [-40, 40]. Run with:
//   bazel run -c opt //tests/benchmarks:executor_benchmark -- --benchmark_repetitions=3 \
//       --benchmark_report_aggregates_only=true
#include <cmath>
#include <memory>
#include <vector>

#include "benchmark/benchmark.h"
#include "executor/dataset.h"
#include "executor/dead_code.h"
#include "executor/decoded_program.h"
#include "executor/executor.h"
#include "executor/executor_impl.h"
#include "executor/interpreters.h"
#include "executor/memory.h"
#include "instructions/instruction.h"
#include "instructions/random.h"
#include "instructions/standard_programs.h"
#include "tests/test_util.h"

namespace automl {
namespace {

constexpr int kFunctionSize = 100;

// A function of `kFunctionSize` copies of `op`. Outputs rotate over
// registers 2..5 and inputs are registers 0 and 1, which nothing writes: values
// stay fixed, so no run drifts into denormals or overflow, which would time the
// FPU's slow paths instead of the engine.
std::vector<Instruction> RepeatedOp(Op op) {
  std::vector<Instruction> function(kFunctionSize);
  for (int i = 0; i < kFunctionSize; ++i) {
    function[i].op = op;
    function[i].in1 = 0;
    function[i].in2 = 1;
    function[i].out = static_cast<uint8_t>(2 + i % 4);
  }
  return function;
}

template <int F>
void BM_Instruction(benchmark::State& state, Op op) {
  auto mem = std::make_unique<Memory<F>>();
  Rng rng(1);
  for (double& x : mem->scalar) x = rng.Gaussian(0.0, 1.0);
  for (Vector<F>& x : mem->vector) {
    for (int k = 0; k < F; ++k) x(k) = rng.Gaussian(0.0, 1.0);
  }
  for (Matrix<F>& x : mem->matrix) {
    for (int k = 0; k < F * F; ++k) x.data()[k] = rng.Gaussian(0.0, 1.0);
  }
  const std::vector<Instruction> function = RepeatedOp(op);
  std::vector<DecodedInstruction> decoded;
  DecodeFunction<F>(function, std::vector<Liveness>(function.size(), Liveness::kLive),
                    MemoryLayout<F>(*mem), &decoded);
  double* base = reinterpret_cast<double*>(mem.get());
  for (auto _ : state) {
    RunThreaded<F>(decoded.data(), base, rng);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * kFunctionSize);  // Instructions per second.
  // Inverted rate: seconds per instruction, printed with an SI prefix (e.g.
  // "2.8ns").
  state.counters["time_per_instruction"] = benchmark::Counter(
      kFunctionSize, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

// BENCHMARK_CAPTURE pastes the function name into identifiers, so no template
// arguments there.
void BM_InstructionF4(benchmark::State& state, Op op) { BM_Instruction<4>(state, op); }
void BM_InstructionF16(benchmark::State& state, Op op) { BM_Instruction<16>(state, op); }

BENCHMARK_CAPTURE(BM_InstructionF4, scalar_sum, Op::SCALAR_SUM);
BENCHMARK_CAPTURE(BM_InstructionF16, scalar_sum, Op::SCALAR_SUM);
BENCHMARK_CAPTURE(BM_InstructionF4, vector_sum, Op::VECTOR_SUM);
BENCHMARK_CAPTURE(BM_InstructionF16, vector_sum, Op::VECTOR_SUM);
BENCHMARK_CAPTURE(BM_InstructionF4, dot, Op::VECTOR_INNER_PRODUCT);
BENCHMARK_CAPTURE(BM_InstructionF16, dot, Op::VECTOR_INNER_PRODUCT);
BENCHMARK_CAPTURE(BM_InstructionF4, matrix_vector, Op::MATRIX_VECTOR_PRODUCT);
BENCHMARK_CAPTURE(BM_InstructionF16, matrix_vector, Op::MATRIX_VECTOR_PRODUCT);

// Evaluates `program` once per iteration: evaluations per second, and its fitness.
void BenchmarkEvaluations(benchmark::State& state, Executor& executor, const Program& program) {
  double quality = 0.0;
  // No DoNotOptimize(quality): Evaluate is a virtual call that changes the executor, so it is not
  // optimized away, and with GCC libbenchmark 1.7.1's "+m,r" constraint overwrote the double.
  for (auto _ : state) quality = executor.Evaluate(program).quality;
  state.SetItemsProcessed(state.iterations());
  state.counters["fitness"] = quality;
}

// The demo's shape: F = 4, 100 train and 100 valid examples, 10 tasks, 1 epoch.
void BM_EvaluateLinearSgd(benchmark::State& state, Dispatch dispatch) {
  std::vector<Dataset> datasets;
  for (int t = 0; t < 10; ++t) datasets.push_back(RandomLinearDataset(4, 100, 100, 0, 1000 + t));
  ExecutorOptions options;
  options.shape = MinimumShapeForLinearRegression(4);
  options.dispatch = dispatch;
  std::unique_ptr<Executor> executor = Executor::Create(datasets, options).value();
  BenchmarkEvaluations(state, *executor, LinearRegressionSgdProgram(0.05));
}

BENCHMARK_CAPTURE(BM_EvaluateLinearSgd, threaded, Dispatch::kThreaded);
BENCHMARK_CAPTURE(BM_EvaluateLinearSgd, decoded_switch, Dispatch::kDecodedSwitch);
BENCHMARK_CAPTURE(BM_EvaluateLinearSgd, reference, Dispatch::kReference);

// The hand-written 2-layer network on the standard habitat's task shape (F = 16, 8000 train and
// 1000 valid examples, one epoch; 2 tasks here), scored one example after another on the same
// memory or with independent predictions (each valid example from the trained memory): the
// option's cost per evaluation.
void BM_EvaluateTwoLayerNetwork(benchmark::State& state, bool independent_predictions) {
  std::vector<Dataset> datasets;
  for (int t = 0; t < 2; ++t) {
    datasets.push_back(RandomLinearDataset(16, 8000, 1000, 0, 2000 + t, EvalType::kAccuracy));
  }
  ExecutorOptions options;
  options.shape = MinimumShapeForTwoLayerNetwork(16);
  options.independent_predictions = independent_predictions;
  std::unique_ptr<Executor> executor = Executor::Create(datasets, options).value();
  BenchmarkEvaluations(state, *executor, TwoLayerNetworkProgram(16, 0.01, 0.1));
}

BENCHMARK_CAPTURE(BM_EvaluateTwoLayerNetwork, sequential, false);
BENCHMARK_CAPTURE(BM_EvaluateTwoLayerNetwork, independent_predictions, true);

// The sigmoid on 1024 predictions drawn uniformly from [low, high] (both signs when `mirror`).
template <bool kShortcuts>
void BM_Sigmoid(benchmark::State& state, double low, double high, bool mirror) {
  std::vector<double> inputs(1024);
  Rng rng(5);
  for (double& x : inputs) {
    x = rng.Uniform(low, high);
    if (mirror && rng.Bernoulli(0.5)) x = -x;
  }
  double sum = 0.0;
  for (auto _ : state) {
    for (double x : inputs) sum += kShortcuts ? Sigmoid(x) : 1.0 / (1.0 + std::exp(-x));
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * inputs.size());
  state.counters["time_per_call"] = benchmark::Counter(
      inputs.size(), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}
void BM_SigmoidShortcuts(benchmark::State& state, double low, double high, bool mirror) {
  BM_Sigmoid<true>(state, low, high, mirror);
}
void BM_SigmoidFormula(benchmark::State& state, double low, double high, bool mirror) {
  BM_Sigmoid<false>(state, low, high, mirror);
}

BENCHMARK_CAPTURE(BM_SigmoidShortcuts, inside, -8.0, 8.0, false);
BENCHMARK_CAPTURE(BM_SigmoidFormula, inside, -8.0, 8.0, false);
BENCHMARK_CAPTURE(BM_SigmoidShortcuts, above_40, 41.0, 1000.0, false);
BENCHMARK_CAPTURE(BM_SigmoidFormula, above_40, 41.0, 1000.0, false);
BENCHMARK_CAPTURE(BM_SigmoidShortcuts, below_minus_710, -1000.0, -711.0, false);
BENCHMARK_CAPTURE(BM_SigmoidFormula, below_minus_710, -1000.0, -711.0, false);
BENCHMARK_CAPTURE(BM_SigmoidShortcuts, both_signs_far_out, 711.0, 1000.0, true);
BENCHMARK_CAPTURE(BM_SigmoidFormula, both_signs_far_out, 711.0, 1000.0, true);

}  // namespace
}  // namespace automl
