// Checks that evaluating programs allocates no memory once the executor and the search
// evaluator have seen a program of the largest size: memory, compiled code, task data and the
// random-op RNG are reused, so the search's memory does not grow with the number of
// individuals and the allocator stays out of the profile. Counts calls to the global operator
// new (replaced in this test binary).
#include <atomic>
#include <cstdlib>
#include <memory>
#include <new>
#include <vector>

#include "evolution/search_evaluator.h"
#include "executor/dataset.h"
#include "executor/executor.h"
#include "gtest/gtest.h"
#include "instructions/instruction.h"
#include "instructions/ops.h"
#include "instructions/program.h"
#include "instructions/random.h"

namespace {
std::atomic<bool> counting{false};
std::atomic<long> allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  if (counting.load(std::memory_order_relaxed)) allocations.fetch_add(1);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return operator new(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace automl {
namespace {

class CountAllocations {
 public:
  CountAllocations() {
    allocations = 0;
    counting = true;
  }
  ~CountAllocations() { counting = false; }
  long count() const { return allocations.load(); }
};

Dataset LinearDataset(int feature_size, EvalType eval_type, int num_epochs, uint64_t seed) {
  Dataset dataset;
  dataset.name = "linear";
  dataset.feature_size = feature_size;
  dataset.eval_type = eval_type;
  dataset.num_epochs = num_epochs;
  dataset.data_seed = seed;
  Rng rng(seed);
  for (DataSplit* split : {&dataset.train, &dataset.valid, &dataset.test}) {
    for (int i = 0; i < 20; ++i) {
      double y = 0.0;
      for (int k = 0; k < feature_size; ++k) {
        const double x = rng.Gaussian(0.0, 1.0);
        split->features.push_back(x);
        y += (k + 1) * x;
      }
      split->labels.push_back(eval_type == EvalType::kAccuracy ? (y > 0 ? 1.0 : 0.0) : y);
    }
  }
  return dataset;
}

Program RandomProgram(const MachineShape& shape, int size, Rng& rng) {
  Program program;
  for (ComponentFunction f : kAllComponentFunctions) {
    for (int i = 0; i < size; ++i) {
      const Op op = AllOps()[rng.UniformInt(kNumOps)];
      program.function(f).push_back(RandomInstructionForOp(op, shape, rng));
    }
  }
  return program;
}

// With `objectives`: every classification metric (the examples alternate between groups 0
// and 1) and the static objectives.
void ExpectNoAllocationPerEvaluation(int feature_size, EvalType eval_type, bool dce,
                                     Dispatch dispatch, bool objectives = false,
                                     bool independent_predictions = false) {
  const MachineShape shape{6, 5, 2, feature_size};
  std::vector<Dataset> datasets{LinearDataset(feature_size, eval_type, 2, 1),
                                LinearDataset(feature_size, eval_type, 1, 2)};
  ExecutorOptions options;
  options.shape = shape;
  options.dead_code_elimination = dce;
  options.dispatch = dispatch;
  options.independent_predictions = independent_predictions;
  if (objectives) {
    options.objectives = {Objective::kAuc, Objective::kDppl, Objective::kEqualizedOddsDifference,
                          Objective::kDisparateImpact};
    for (Dataset& dataset : datasets) {
      for (DataSplit* split : {&dataset.train, &dataset.valid, &dataset.test}) {
        for (int i = 0; i < split->size(); ++i) split->groups.push_back(i % 2);
      }
    }
  }
  std::unique_ptr<Executor> executor = Executor::Create(datasets, options).value();
  SearchEvaluatorOptions evaluator_options;
  evaluator_options.fec_cache_size = 64;  // Small, so that evictions happen too.
  evaluator_options.signature_memo_slots = 16;
  evaluator_options.hurdles_enabled = true;
  evaluator_options.hurdle_min_samples = 5;
  evaluator_options.hurdle_window_size = 20;
  evaluator_options.static_objectives = objectives;
  SearchEvaluator evaluator(executor->Clone(), evaluator_options);

  Rng rng(7);
  constexpr int kMaxSize = 12;
  std::vector<Program> programs;
  for (int i = 0; i < 300; ++i) programs.push_back(RandomProgram(shape, 1 + i % kMaxSize, rng));
  // Warm-up: the largest program sizes the reused buffers; the FEC fills up.
  const Program largest = RandomProgram(shape, kMaxSize, rng);
  executor->Evaluate(largest);
  executor->FecSignature(largest, 10, 10);
  evaluator.Evaluate(largest);
  for (int i = 0; i < 100; ++i) evaluator.Evaluate(programs[i]);

  double sink = 0.0;
  CountAllocations count;
  for (const Program& program : programs) {
    sink += executor->Evaluate(program).quality;
    sink += executor->EvaluateTaskFitness(program, 1);
    sink += static_cast<double>(executor->FecSignature(program, 10, 10) & 1);
    sink += static_cast<double>(executor->ExecutionKey(program).first & 1);
    sink += evaluator.Evaluate(program).quality;
    // Every program twice: the second is a memo or FEC hit.
    sink += evaluator.Evaluate(program).quality;
  }
  EXPECT_EQ(count.count(), 0) << "allocations while evaluating " << programs.size()
                              << " programs (sink " << sink << ")";
  EXPECT_GT(evaluator.stats().fec_hits, 0);
  EXPECT_GT(evaluator.stats().memo_hits, 0);
}

TEST(EvaluationAllocTest, NoAllocationPerEvaluationF4Regression) {
  ExpectNoAllocationPerEvaluation(4, EvalType::kRmsError, true, Dispatch::kThreaded);
}

TEST(EvaluationAllocTest, NoAllocationPerEvaluationF8Classification) {
  ExpectNoAllocationPerEvaluation(8, EvalType::kAccuracy, true, Dispatch::kThreaded);
}

TEST(EvaluationAllocTest, NoAllocationPerEvaluationWithEveryObjective) {
  ExpectNoAllocationPerEvaluation(4, EvalType::kAccuracy, true, Dispatch::kThreaded, true);
}

TEST(EvaluationAllocTest, NoAllocationWithoutDceOrPredecoding) {
  ExpectNoAllocationPerEvaluation(4, EvalType::kRmsError, false, Dispatch::kReference);
}

TEST(EvaluationAllocTest, NoAllocationWithIndependentPredictions) {
  ExpectNoAllocationPerEvaluation(4, EvalType::kAccuracy, true, Dispatch::kThreaded, true, true);
}

// The counter must see allocations, or the tests above prove nothing.
TEST(EvaluationAllocTest, CounterSeesAllocations) {
  CountAllocations count;
  auto p = std::make_unique<std::vector<int>>(100);
  EXPECT_GE(count.count(), 2);
}

}  // namespace
}  // namespace automl
