// Tests of the functional equivalence cache: the LRU cache itself (evolution/fec_cache.h) and
// its use by the search evaluator, where programs that compute the same thing hit and programs
// that differ in a single constant miss.
#include "evolution/fec_cache.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "evolution/search_evaluator.h"
#include "executor/dataset.h"
#include "executor/executor.h"
#include "executor/fitness.h"
#include "gtest/gtest.h"
#include "instructions/instruction.h"
#include "instructions/program.h"
#include "instructions/random.h"
#include "instructions/standard_programs.h"
#include "tests/test_util.h"

namespace automl {
namespace {

Fitness F(double quality) { return Fitness{quality}; }

// --- The cache ---

TEST(FecCacheTest, MissThenHitWithCounters) {
  FecCache cache(4);
  EXPECT_EQ(cache.hit_rate(), 0.0);  // No lookups yet: no division by zero.
  EXPECT_FALSE(cache.Lookup(17).has_value());
  cache.Insert(17, F(0.25));
  const std::optional<Fitness> hit = cache.Lookup(17);
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(hit->quality, 0.25);
  EXPECT_FALSE(cache.Lookup(18).has_value());
  EXPECT_EQ(cache.lookups(), 3);
  EXPECT_EQ(cache.hits(), 1);
  EXPECT_DOUBLE_EQ(cache.hit_rate(), 1.0 / 3.0);
  EXPECT_EQ(cache.size(), 1);
}

TEST(FecCacheTest, EvictsTheLeastRecentlyUsed) {
  FecCache cache(3);
  cache.Insert(1, F(0.1));
  cache.Insert(2, F(0.2));
  cache.Insert(3, F(0.3));
  // Using 1 makes 2 the least recently used.
  ASSERT_TRUE(cache.Lookup(1).has_value());
  cache.Insert(4, F(0.4));
  EXPECT_EQ(cache.size(), 3);
  EXPECT_FALSE(cache.Lookup(2).has_value());
  // Now, from oldest: 3, 1, 4 (the failed lookup of 2 changed nothing). Re-inserting 3
  // refreshes it instead of adding a second entry, so 1 goes next.
  cache.Insert(3, F(0.33));
  cache.Insert(5, F(0.5));
  EXPECT_EQ(cache.size(), 3);
  EXPECT_FALSE(cache.Lookup(1).has_value());
  ASSERT_TRUE(cache.Lookup(3).has_value());
  EXPECT_EQ(cache.Lookup(3)->quality, 0.33);
  EXPECT_TRUE(cache.Lookup(4).has_value());
  EXPECT_TRUE(cache.Lookup(5).has_value());
}

TEST(FecCacheTest, EvictionOrderMatchesAReferenceModel) {
  // A long random sequence of lookups and inserts against a plain list kept in LRU order.
  constexpr int kCapacity = 8;
  FecCache cache(kCapacity);
  std::vector<std::pair<uint64_t, double>> model;  // Oldest first.
  Rng rng(5);
  int64_t model_hits = 0;
  for (int step = 0; step < 5000; ++step) {
    const uint64_t key = rng.UniformInt(20);
    auto it = model.begin();
    while (it != model.end() && it->first != key) ++it;
    if (rng.Bernoulli(0.5)) {
      const std::optional<Fitness> got = cache.Lookup(key);
      ASSERT_EQ(got.has_value(), it != model.end()) << "step " << step;
      if (it != model.end()) {
        ++model_hits;
        EXPECT_EQ(got->quality, it->second);
        const auto entry = *it;
        model.erase(it);
        model.push_back(entry);
      }
    } else {
      const double value = rng.UniformDouble();
      cache.Insert(key, F(value));
      if (it != model.end()) model.erase(it);
      model.emplace_back(key, value);
      if (static_cast<int>(model.size()) > kCapacity) model.erase(model.begin());
    }
    ASSERT_EQ(cache.size(), static_cast<int>(model.size()));
  }
  EXPECT_EQ(cache.hits(), model_hits);
  // The cache's own view of its order agrees with the model.
  const std::vector<std::pair<uint64_t, Fitness>> entries = cache.EntriesOldestFirst();
  ASSERT_EQ(entries.size(), model.size());
  for (size_t i = 0; i < model.size(); ++i) {
    EXPECT_EQ(entries[i].first, model[i].first);
    EXPECT_EQ(entries[i].second.quality, model[i].second);
  }
}

TEST(FecCacheTest, CapacityIsNeverExceeded) {
  FecCache cache(10);
  for (uint64_t key = 0; key < 1000; ++key) {
    cache.Insert(key * 7919, F(key / 1000.0));
    ASSERT_LE(cache.size(), 10);
  }
  EXPECT_EQ(cache.size(), 10);
  EXPECT_EQ(cache.capacity(), 10);
  // Exactly the last ten remain.
  for (uint64_t key = 0; key < 1000; ++key) {
    EXPECT_EQ(cache.Lookup(key * 7919).has_value(), key >= 990) << key;
  }
}

TEST(FecCacheTest, NonPositiveCapacityHoldsOneEntry) {
  FecCache cache(0);
  EXPECT_EQ(cache.capacity(), 1);
  cache.Insert(1, F(0.1));
  cache.Insert(2, F(0.2));
  EXPECT_EQ(cache.size(), 1);
  EXPECT_FALSE(cache.Lookup(1).has_value());
  EXPECT_TRUE(cache.Lookup(2).has_value());
}

TEST(FecCacheTest, RestoreRebuildsTheSameState) {
  FecCache cache(4);
  for (uint64_t key = 1; key <= 6; ++key) cache.Insert(key, F(key * 0.1));
  cache.Lookup(4);
  cache.Lookup(9);
  FecCache restored(4);
  restored.Restore(cache.EntriesOldestFirst(), cache.hits(), cache.lookups());
  EXPECT_EQ(restored.hits(), cache.hits());
  EXPECT_EQ(restored.lookups(), cache.lookups());
  // The same next eviction in both.
  cache.Insert(100, F(1.0));
  restored.Insert(100, F(1.0));
  const auto a = cache.EntriesOldestFirst();
  const auto b = restored.EntriesOldestFirst();
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].first, b[i].first);
}

// --- The cache inside the search evaluator ---

constexpr int kFeatureSize = 4;

// Two linear-regression tasks (y = w . x, x and w standard normal).
std::vector<Dataset> LinearTasks() {
  std::vector<Dataset> tasks;
  for (uint64_t seed : {1, 2}) tasks.push_back(RandomLinearDataset(kFeatureSize, 40, 20, 0, seed));
  return tasks;
}

std::unique_ptr<SearchEvaluator> MakeEvaluator() {
  ExecutorOptions options;
  options.shape = MachineShape{5, 4, 0, kFeatureSize};
  absl::StatusOr<std::unique_ptr<Executor>> executor = Executor::Create(LinearTasks(), options);
  EXPECT_TRUE(executor.ok()) << executor.status();
  SearchEvaluatorOptions evaluator_options;
  evaluator_options.fec_enabled = true;
  evaluator_options.fec_num_train = 10;
  evaluator_options.fec_num_valid = 10;
  evaluator_options.fec_cache_size = 100;
  return std::make_unique<SearchEvaluator>(*std::move(executor), evaluator_options);
}

TEST(FecSearchEvaluatorTest, EqualProgramsHit) {
  std::unique_ptr<SearchEvaluator> evaluator = MakeEvaluator();
  const Fitness first = evaluator->Evaluate(LinearRegressionSgdProgram(0.05));
  const int64_t steps = evaluator->train_steps();
  EXPECT_GT(steps, 0);
  // A separately built but equal program.
  const Fitness second = evaluator->Evaluate(LinearRegressionSgdProgram(0.05));
  EXPECT_EQ(second, first);
  EXPECT_EQ(evaluator->stats().fec_lookups, 2);
  EXPECT_EQ(evaluator->stats().fec_hits, 1);
  EXPECT_EQ(evaluator->stats().full_evaluations, 1);
  // Computing the signature trains on a few examples, but far fewer than a full evaluation.
  EXPECT_LT(evaluator->train_steps() - steps, steps / 2);
}

TEST(FecSearchEvaluatorTest, FunctionallyEqualProgramsHit) {
  std::unique_ptr<SearchEvaluator> evaluator = MakeEvaluator();
  const Program original = LinearRegressionSgdProgram(0.05);
  const Fitness first = evaluator->Evaluate(original);
  // The same computation with a NO_OP and an instruction writing a register nobody reads.
  Program padded = PadProgram(original, 2, 2, 5);
  Instruction unused;
  unused.op = Op::SCALAR_CONST_SET;
  unused.out = 4;
  unused.data0 = 123.0;
  padded.learn.push_back(unused);
  ASSERT_NE(padded, original);
  EXPECT_EQ(evaluator->Evaluate(padded), first);
  EXPECT_EQ(evaluator->stats().fec_hits, 1);
  EXPECT_EQ(evaluator->stats().full_evaluations, 1);
}

TEST(FecSearchEvaluatorTest, ProgramsDifferingInOneConstantMiss) {
  std::unique_ptr<SearchEvaluator> evaluator = MakeEvaluator();
  const Fitness slow = evaluator->Evaluate(LinearRegressionSgdProgram(0.05));
  const int64_t steps = evaluator->train_steps();
  const Fitness fast = evaluator->Evaluate(LinearRegressionSgdProgram(0.1));
  EXPECT_EQ(evaluator->stats().fec_hits, 0);
  EXPECT_EQ(evaluator->stats().full_evaluations, 2);
  EXPECT_NE(slow, fast);
  // The miss ran a full evaluation.
  EXPECT_GE(evaluator->train_steps() - steps, 80);
  // A fresh evaluator without the cache agrees with both results.
  ExecutorOptions options;
  options.shape = MachineShape{5, 4, 0, kFeatureSize};
  absl::StatusOr<std::unique_ptr<Executor>> executor = Executor::Create(LinearTasks(), options);
  ASSERT_TRUE(executor.ok());
  EXPECT_EQ((*executor)->Evaluate(LinearRegressionSgdProgram(0.05)), slow);
  EXPECT_EQ((*executor)->Evaluate(LinearRegressionSgdProgram(0.1)), fast);
}

TEST(FecSearchEvaluatorTest, HitRateCountsEveryLookup) {
  std::unique_ptr<SearchEvaluator> evaluator = MakeEvaluator();
  for (double rate : {0.01, 0.02, 0.01, 0.03, 0.01, 0.02}) {
    evaluator->Evaluate(LinearRegressionSgdProgram(rate));
  }
  EXPECT_EQ(evaluator->stats().fec_lookups, 6);
  EXPECT_EQ(evaluator->stats().fec_hits, 3);
  EXPECT_DOUBLE_EQ(evaluator->stats().fec_hit_rate(), 0.5);
  EXPECT_EQ(evaluator->stats().full_evaluations, 3);
  EXPECT_EQ(evaluator->stats().evaluations, 6);
}

}  // namespace
}  // namespace automl
