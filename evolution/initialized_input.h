// INSERT_INITIALIZED_INPUT and INSERT_INITIALIZED_UPDATE, the mutations that add a new state to
// a program in one step: Setup initialises a register no instruction uses yet, and an
// instruction inserted into Predict or Learn reads it. Improvements of a hand-written learner
// that need a new register (a decay factor for the learning rate, a bias) take two insertions
// that only help together; with separate insertions the first is dead code that must drift
// until the second comes, which under the benchmark's mutations takes millions of individuals
// (docs/real-data.md). Constants are drawn on a log scale (RandomScaledConstant), because such
// a state's value needs digits that U[-1, 1) almost never gives (a decay factor of 0.9999).
// The update form makes the reader change a register its function already uses, in place
// (`s3 = s3 * s4`, `v2 = v2 + v6`): a new state that acts on the program's existing ones, which
// is what a decay or a bias is, rather than a reader whose result may go nowhere.
#ifndef EVOLUTION_INITIALIZED_INPUT_H_
#define EVOLUTION_INITIALIZED_INPUT_H_

#include "evolution/search_space.h"
#include "instructions/program.h"
#include "instructions/random.h"

namespace automl {

// How the inserted instruction uses the new register.
enum class InitializedLink {
  // INSERT_INITIALIZED_INPUT: any op of Predict or Learn that reads the register's kind, its
  // other operands random.
  kAnyReader,
  // INSERT_INITIALIZED_UPDATE: an op whose other input slot has the op's output kind, with that
  // slot and the output both a register the function already reads or writes: `r = r op new`
  // or `r = new op r`.
  kInPlaceUpdate,
};

// True if the mutation can apply to `program`: Setup is mutable and below its max size, and for
// some kind (scalar, vector, matrix) a Setup op writes it, a register of it is free (read and
// written by no instruction, and not s0, s1 or v0, which the executor reads or writes), and an
// op of Predict or Learn (mutable and below its max size) can take it as `link` says.
bool CanInsertInitialized(InitializedLink link, const SearchSpace& space, const Program& program);

// Applies the mutation, each choice uniform among those that fit: a Setup op (writing a kind
// that can be linked, as above), a free register of its kind, a position in Setup; then Predict
// or Learn, one of its ops that fits, the input slot that reads the new register (either, when
// both fit), for an update the register it updates (among the function's registers of the op's
// output kind), the other operands random as an insertion draws them, a position. The Setup
// instruction's other op data is drawn as an insertion draws it, except that a constant (or an
// element's value) is RandomScaledConstant. Returns false, changing nothing, if it cannot apply.
bool InsertInitialized(InitializedLink link, const SearchSpace& space, Program& program, Rng& rng);

}  // namespace automl

#endif  // EVOLUTION_INITIALIZED_INPUT_H_
