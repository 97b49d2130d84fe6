// Makes the programs of the initial population: all NO_OPs, random programs, or the
// hand-written programs padded to the initial sizes.
#ifndef EVOLUTION_GENERATOR_H_
#define EVOLUTION_GENERATOR_H_

#include "absl/status/statusor.h"
#include "evolution/experiment_spec.pb.h"
#include "evolution/search_space.h"
#include "instructions/program.h"
#include "instructions/random.h"

namespace automl {

// A random instruction of `function`'s op list (which must not be empty).
Instruction RandomInstruction(const SearchSpace& space, ComponentFunction function, Rng& rng);

// `size` random instructions of `function`'s op list, or NO_OPs if the list is empty.
std::vector<Instruction> RandomFunction(const SearchSpace& space, ComponentFunction function,
                                        int size, Rng& rng);

// Every function random at its initial size.
Program RandomProgram(const SearchSpace& space, Rng& rng);

// Every function NO_OPs at its initial size.
Program NoOpProgramForSpace(const SearchSpace& space);

// The hand-written LINEAR_PROGRAM or TWO_LAYER_NETWORK, unpadded.
absl::StatusOr<Program> HandWrittenProgram(InitialPopulationKind kind, int feature_size);

// A program of the initial population of kind `kind`. The hand-written ones are padded with
// NO_OPs up to the initial sizes; an error if they do not fit the space (too long for
// max_size, or registers beyond the shape).
absl::StatusOr<Program> InitialProgram(InitialPopulationKind kind, const SearchSpace& space,
                                       Rng& rng);

}  // namespace automl

#endif  // EVOLUTION_GENERATOR_H_
