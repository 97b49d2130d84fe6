#include "evolution/island_settings.h"

#include <cstdint>

#include "absl/strings/str_cat.h"

namespace automl {
namespace {

// The migration spec, given the island count and population size.
absl::Status ValidateMigration(const ExperimentSpec& spec, int num_islands) {
  const MigrationSpec& migration = spec.migration();
  if (migration.every_individuals() < 0) {
    return absl::InvalidArgumentError(absl::StrCat("migration.every_individuals (",
                                                   migration.every_individuals(),
                                                   ") must be >= 0 (0: no migration)"));
  }
  if (migration.topology() == MIGRATION_TOPOLOGY_UNSET) {
    return absl::InvalidArgumentError(
        "migration.topology must be RING, RANDOM_ISLAND or ALL_TO_ALL");
  }
  if (migration.num_emigrants() < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("migration.num_emigrants (", migration.num_emigrants(), ") must be >= 0"));
  }
  if (num_islands > 1 && migration.every_individuals() > 0) {
    // With ALL_TO_ALL an island receives from every other island; arrivals must not replace
    // the whole population, or the round would discard arrivals it just received.
    const int64_t senders = migration.topology() == ALL_TO_ALL ? num_islands - 1 : 1;
    const int64_t arrivals = senders * migration.num_emigrants();
    if (migration.topology() != RANDOM_ISLAND && arrivals >= spec.population_size()) {
      return absl::InvalidArgumentError(
          absl::StrCat("migration.num_emigrants (", migration.num_emigrants(), ") x ", senders,
                       " sending islands = ", arrivals,
                       " arrivals per round, which is not smaller than "
                       "population_size (",
                       spec.population_size(), ")"));
    }
    if (migration.topology() == RANDOM_ISLAND &&
        static_cast<int64_t>(num_islands - 1) * migration.num_emigrants() >=
            spec.population_size()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "migration.num_emigrants (", migration.num_emigrants(), ") x ", num_islands - 1,
          " possible senders (RANDOM_ISLAND) is not smaller than population_size (",
          spec.population_size(), ")"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateIslandSettings(const ExperimentSpec& spec, int num_islands, int num_ranks) {
  if (num_islands < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the island count (num_islands or --islands) is ", num_islands, "; it must be >= 1"));
  }
  if (num_ranks > num_islands) {
    return absl::InvalidArgumentError(
        absl::StrCat(num_ranks, " processes but only ", num_islands,
                     " islands: every process needs at least one island (raise --islands)"));
  }
  const int64_t initial = static_cast<int64_t>(num_islands) * spec.population_size();
  if (spec.has_max_individuals() && spec.max_individuals() < initial) {
    return absl::InvalidArgumentError(absl::StrCat(
        "max_individuals (", spec.max_individuals(), ") is smaller than the initial populations (",
        num_islands, " islands x population_size ", spec.population_size(), " = ", initial, ")"));
  }
  if (spec.has_max_train_steps() && spec.max_train_steps() < num_islands) {
    return absl::InvalidArgumentError(absl::StrCat("max_train_steps (", spec.max_train_steps(),
                                                   ") is smaller than the island count (",
                                                   num_islands, ")"));
  }
  return ValidateMigration(spec, num_islands);
}

}  // namespace automl
