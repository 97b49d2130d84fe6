// INSERT_INITIALIZED_INPUT, the mutation that adds a new state to a program in one step: Setup
// initialises a register no instruction uses yet, and an instruction inserted into Predict or
// Learn reads it. Improvements of a hand-written learner that need a new register (a decay
// factor for the learning rate, a bias) take two insertions that only help together; with
// separate insertions the first is dead code that must drift until the second comes, which
// under the benchmark's mutations takes millions of individuals (docs/real-data.md). Constants
// are drawn on a log scale (RandomScaledConstant), because such a state's value needs digits
// that U[-1, 1) almost never gives (a decay factor of 0.9999).
#ifndef EVOLUTION_INITIALIZED_INPUT_H_
#define EVOLUTION_INITIALIZED_INPUT_H_

#include "evolution/search_space.h"
#include "instructions/program.h"
#include "instructions/random.h"

namespace automl {

// True if the mutation can apply to `program`: Setup is mutable and below its max size, and for
// some kind (scalar, vector, matrix) a Setup op writes it, a register of it is free (read and
// written by no instruction, and not s0, s1 or v0, which the executor reads or writes), and an
// op of Predict or Learn (mutable and below its max size) reads it.
bool CanInsertInitializedInput(const SearchSpace& space, const Program& program);

// Applies the mutation, each choice uniform among those that fit: a Setup op (writing a kind
// that can be linked, as above), a free register of its kind, a position in Setup; then Predict
// or Learn, one of its ops that reads that kind, the input slot of that kind that reads the
// register (the other operands random, as an insertion draws them), a position. The Setup
// instruction's other op data is drawn as an insertion draws it, except that a constant (or an
// element's value) is RandomScaledConstant. Returns false, changing nothing, if it cannot apply.
bool InsertInitializedInput(const SearchSpace& space, Program& program, Rng& rng);

}  // namespace automl

#endif  // EVOLUTION_INITIALIZED_INPUT_H_
