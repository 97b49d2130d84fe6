// Mutations of programs. Each mutation changes one part of a program (or, for
// RANDOMIZE_PROGRAM, all mutable functions) and keeps every function within its size limits.
// A child is a mutated copy of its parent with probability `mutate_prob`, else a clone.
#ifndef EVOLUTION_MUTATOR_H_
#define EVOLUTION_MUTATOR_H_

#include <vector>

#include "evolution/experiment_spec.pb.h"
#include "evolution/search_space.h"
#include "instructions/program.h"
#include "instructions/random.h"

namespace automl {

class Mutator {
 public:
  // `types` must be non-empty and contain no MUTATION_TYPE_UNSET (the spec validation ensures
  // it).
  Mutator(const SearchSpace& space, std::vector<MutationType> types, double mutate_prob);
  // The spec's mutator: its mutation_types and mutate_prob on `space` (built from the same
  // spec, which must be valid).
  static Mutator FromSpec(const ExperimentSpec& spec, const SearchSpace& space);

  // With probability mutate_prob applies one mutation (see MutateWith), else leaves the
  // program unchanged. Returns the mutation applied, or IDENTITY.
  MutationType MaybeMutate(Program& program, Rng& rng) const;

  // Chooses one of the allowed types that can apply to `program` (e.g. no insert when every
  // mutable function is at its max size); REMOVE_INSTRUCTION has twice the weight of
  // INSERT_INSTRUCTION when both are allowed. Returns the type applied (IDENTITY if none can).
  MutationType Mutate(Program& program, Rng& rng) const;

  // Applies `type`; returns false (and changes nothing) if it cannot apply to `program`.
  bool MutateWith(MutationType type, Program& program, Rng& rng) const;

 private:
  // A random mutable function that satisfies `condition`, or false if there is none. With a
  // null `rng` it only tells whether there is one.
  template <typename Condition>
  bool PickFunction(const Program& program, Condition condition, Rng* rng,
                    ComponentFunction* picked) const;
  bool CanApply(MutationType type, const Program& program) const;
  // TUNE_CONSTANT picks uniformly among the instructions with op data in mutable functions.
  int CountTunable(const Program& program) const;
  void TuneNthTunable(int n, Program& program, Rng& rng) const;

  SearchSpace space_;
  std::vector<MutationType> types_;
  double mutate_prob_;
};

}  // namespace automl

#endif  // EVOLUTION_MUTATOR_H_
