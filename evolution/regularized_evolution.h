// Regularized evolution (aging evolution) on one population: tournament selection with
// replacement, the winner copied and mutated, the child replacing the oldest member. One
// population is one island; islands exchange members through Emigrants/Immigrate. The order
// that tournaments and "best ever" use is the spec's Selection (selection.h); in PARETO mode
// tournaments compare by NSGA-II's rank and crowding among the contestants (see Tournament)
// and the island keeps a ParetoArchive.
#ifndef EVOLUTION_REGULARIZED_EVOLUTION_H_
#define EVOLUTION_REGULARIZED_EVOLUTION_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "evolution/individual.h"
#include "evolution/mutator.h"
#include "evolution/pareto_archive.h"
#include "evolution/search_evaluator.h"
#include "evolution/selection.h"
#include "executor/fitness.h"
#include "instructions/program.h"
#include "instructions/random.h"

namespace automl {

class RegularizedEvolution {
 public:
  // `evaluator` and `mutator` must outlive this object. `selection`: the spec's
  // (Selection::FromSpec); the default compares by quality alone.
  RegularizedEvolution(int population_size, int tournament_size, SearchEvaluator* evaluator,
                       const Mutator* mutator, uint64_t seed, const Selection& selection = {});

  // Fills the population with `initial` programs (one per member, in order), evaluating each.
  // Each counts as an individual.
  void Initialize(const std::vector<Program>& initial);

  // One step: tournament, copy, maybe mutate, evaluate, replace the oldest.
  void Step();

  // The index of the tournament winner among `tournament_size` draws with replacement (ties
  // go to the earliest draw). In PARETO mode the contestants compare by non-domination rank,
  // then crowding distance (larger wins), both computed among the contestants only: NSGA-II's
  // crowded comparison on the tournament's sample, O(tournament_size^2) per step rather than
  // the population's O(population_size^2) sort (docs/objectives.md says why).
  int Tournament();

  // Copies of `count` members for migration: the best first, then random others. In PARETO
  // mode they come from the archive (the best by the selection's order, then random members).
  std::vector<Individual> Emigrants(int count, bool include_best);
  // Arrivals replace the oldest members (they keep their fitness; no re-evaluation). Each
  // arrival gets its own copy of the program: islands run on different threads, and a program
  // shared between two of them would share its reference count, whose cache line then moves
  // between the cores on every clone of it (a popular migrant is cloned often).
  void Immigrate(const std::vector<Individual>& arrivals);

  // After the evaluator's tasks changed (rotating search tasks): gives the best ever, the
  // archive's members and every member of the population their fitness on the new tasks, in
  // that order, and makes the best ever and the archive anew from them, so that both hold
  // fitness on the current tasks only. The previous best ever competes with its new fitness.
  // Re-scoring is not counted as individuals; age order and the RNG stay as they were.
  void Rescore();

  const std::vector<Individual>& population() const { return population_; }
  const Selection& selection() const { return selection_; }
  // PARETO mode only (else null).
  const ParetoArchive* archive() const { return archive_ ? &*archive_ : nullptr; }
  int64_t num_individuals() const { return num_individuals_; }
  const Individual& best_ever() const { return best_ever_; }
  double MeanFitness() const;
  Rng& rng() { return rng_; }
  const Rng& rng() const { return rng_; }
  int oldest_index() const { return oldest_; }

  // Replaces the whole state with a saved one (checkpoints): `population` in storage order
  // (population_size members), the next member to replace, the individual count, the best ever
  // and the RNG. Step then continues exactly as it would have from the saved state.
  absl::Status RestoreState(std::vector<Individual> population, int oldest, int64_t num_individuals,
                            Individual best_ever, const Rng::State& rng);
  // PARETO mode: the saved archive, in insertion order (ParetoArchive::Restore); ignored in
  // other modes.
  absl::Status RestoreArchive(std::vector<Individual> members);

 private:
  void Consider(const Individual& individual);
  int ParetoTournament();

  int population_size_;
  int tournament_size_;
  SearchEvaluator* evaluator_;
  const Mutator* mutator_;
  Rng rng_;
  std::vector<Individual> population_;
  int oldest_ = 0;  // The member the next child replaces (members are kept in age order).
  int64_t num_individuals_ = 0;
  Individual best_ever_;
  Selection selection_;
  std::optional<ParetoArchive> archive_;
  // ParetoTournament's scratch, sized once: contestants, their points, ranks and crowding.
  std::vector<int> contestants_;
  std::vector<double> points_;
  std::vector<int> ranks_;
  std::vector<int> order_;
  std::vector<double> distances_;
};

}  // namespace automl

#endif  // EVOLUTION_REGULARIZED_EVOLUTION_H_
