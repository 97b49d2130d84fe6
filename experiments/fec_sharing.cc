// Measures what one FEC shared by all islands would gain over the per-island caches the search
// uses. Runs the islands of a spec on one thread, one step per island in turn (as concurrent
// islands would interleave), with migration rounds as in a real run, and feeds every evaluated
// program's signature to a simulated shared cache of the same total capacity. Prints both hit
// rates and the share of full evaluations a shared cache would have skipped: the most a shared
// cache could speed the search up, before the cost of locking it.
//   bazel build --config=opt //experiments:fec_sharing
//   bazel-bin/experiments/fec_sharing --spec=experiments/specs/linear_demo.textproto
//       --islands=4 --individuals=400000
#include <cstdint>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "evolution/experiment.h"
#include "evolution/experiment_spec.h"
#include "evolution/fec_cache.h"
#include "evolution/island_model.h"
#include "evolution/island_settings.h"
#include "executor/executor.h"

ABSL_FLAG(std::string, spec, "", "Experiment spec (text format).");
ABSL_FLAG(int32_t, islands, 4, "Island count.");
ABSL_FLAG(int64_t, individuals, 400000, "Individuals over all islands.");
ABSL_FLAG(uint64_t, random_seed, 1, "Seed of the search.");

namespace automl {
namespace {

int Fail(const absl::Status& status) {
  std::cerr << "error: " << status.message() << std::endl;
  return 1;
}

int Main() {
  absl::StatusOr<ExperimentSpec> spec = ReadExperimentSpecFile(absl::GetFlag(FLAGS_spec));
  if (!spec.ok()) return Fail(spec.status());
  const int num_islands = absl::GetFlag(FLAGS_islands);
  if (absl::Status s = ValidateIslandSettings(*spec, num_islands, 1); !s.ok()) return Fail(s);
  if (!spec->fec().enabled()) return Fail(absl::InvalidArgumentError("the spec's FEC is off"));
  absl::StatusOr<std::unique_ptr<IslandSearchParts>> parts =
      MakeIslandSearchParts(*spec, absl::GetFlag(FLAGS_random_seed), 0);
  if (!parts.ok()) return Fail(parts.status());
  // Signatures for the simulated shared cache come from a separate executor, so computing
  // them does not touch the islands' evaluators.
  std::unique_ptr<Executor> signer = (*parts)->search_executor->Clone();
  const IslandSearchConfig config = (*parts)->Config(*spec, num_islands, 1);
  const absl::Time start = absl::Now();
  absl::StatusOr<std::unique_ptr<IslandSearch>> search = IslandSearch::Create(config, start);
  if (!search.ok()) return Fail(search.status());
  std::vector<Island>& islands = (*search)->local_islands();

  FecCache shared(spec->fec().cache_size() * num_islands);
  const int num_train = spec->fec().num_train_examples();
  const int num_valid = spec->fec().num_valid_examples();
  auto share = [&](const Individual& individual) {
    const uint64_t signature = signer->FecSignature(*individual.program, num_train, num_valid);
    if (!shared.Lookup(signature)) shared.Insert(signature, individual.fitness);
  };
  // The initial populations, island after island (as Create evaluated them).
  for (const Island& island : islands) {
    for (const Individual& member : island.evolution->population()) share(member);
  }

  const int population = spec->population_size();
  const int64_t migration_every = spec->migration().every_individuals();
  int64_t total = static_cast<int64_t>(num_islands) * population;
  int64_t steps_per_island = 0;
  while (total < absl::GetFlag(FLAGS_individuals)) {
    for (Island& island : islands) {
      island.evolution->Step();
      const int newest = (island.evolution->oldest_index() + population - 1) % population;
      share(island.evolution->population()[newest]);
    }
    total += num_islands;
    ++steps_per_island;
    if (num_islands > 1 && migration_every > 0 && steps_per_island % migration_every == 0) {
      if (absl::Status s = (*search)->Migrate(); !s.ok()) return Fail(s);
    }
  }

  int64_t lookups = 0, hits = 0, full = 0;
  for (const Island& island : islands) {
    lookups += island.evaluator->stats().fec_lookups;
    hits += island.evaluator->stats().fec_hits;
    full += island.evaluator->stats().full_evaluations;
  }
  const int64_t extra_hits = shared.hits() - hits;
  std::cout << absl::StrFormat(
                   "islands=%d individuals=%d per_island_hit_rate=%.4f shared_hit_rate=%.4f "
                   "extra_hits=%d full_evaluations=%d full_evaluations_saved=%.2f%% secs=%.1f",
                   num_islands, total, lookups ? static_cast<double>(hits) / lookups : 0.0,
                   shared.hit_rate(), extra_hits, full, full ? 100.0 * extra_hits / full : 0.0,
                   absl::ToDoubleSeconds(absl::Now() - start))
            << std::endl;
  return 0;
}

}  // namespace
}  // namespace automl

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return automl::Main();
}
