// Exact dead-code elimination: which instructions of a program can change what the executor
// observes (the prediction s1 after every Predict), so that it runs only those. Independent of
// the feature size; the executor compiles the result for its F.
//
// Liveness follows the executor's protocol (executor.h): Setup once; then Predict and Learn
// alternate over the training examples, where Learn's outputs feed the next Predict and the
// next Learn (a loop, solved to a fixed point) and also the scoring after each epoch; scoring
// runs Predict alone, example after example on the same memory (another loop), and reads s1.
// Before each Predict the executor sets v0 (features) and s0 (0), before each Learn s0
// (label); a classification task also reads and rewrites s1 (sigmoid) between them. Predict
// therefore has two reductions: one for training (s1 and what Learn and later examples read)
// and one for scoring (s1 and what later scoring reads). With independent_predictions
// (executor.h) scoring does not loop; the scoring reduction still keeps what the loop would
// read, which is exact too (the executor restores those registers before each example).
//
// Random ops draw from one RNG stream, so removing a dead one would shift the values of later
// live ones. A dead random op becomes "skip its draws" when a live random op can run after it
// (the draws are made, nothing is computed or written), and disappears otherwise.
#ifndef EXECUTOR_DEAD_CODE_H_
#define EXECUTOR_DEAD_CODE_H_

#include <cstdint>
#include <vector>

#include "instructions/program.h"

namespace automl {

enum class Liveness : uint8_t {
  kDead,       // Not executed.
  kLive,       // Executed.
  kSkipDraws,  // A dead random op that still advances the RNG.
};

// Per-instruction liveness of one program, function by function (same lengths as the
// program's functions). Vectors are reused across calls, so that analysing a stream of
// programs allocates nothing once they have grown.
struct ProgramLiveness {
  std::vector<Liveness> setup;
  std::vector<Liveness> predict;        // Predict while training.
  std::vector<Liveness> valid_predict;  // Predict while scoring.
  std::vector<Liveness> learn;

  // Instructions executed (live or skip) per function.
  int num_executed(const std::vector<Liveness>& function) const;
  // Instructions executed over the program, a Predict instruction counting once if training or
  // scoring runs it: the program's "live instructions".
  int num_executed_total() const;
};

// Analyses `program` into `liveness`.
void AnalyzeLiveness(const Program& program, ProgramLiveness* liveness);

// Marks every instruction live, NO_OPs included: the "no DCE" reduction, with the same
// interface, which runs exactly what the program says.
void MarkAllLive(const Program& program, ProgramLiveness* liveness);

// A 128-bit hash of what an execution depends on: the live instructions and, for each skipped
// random op, its op (which fixes its number of draws), in order, per function. Programs with
// equal keys behave identically on every task, bit for bit: same fitness, same FEC signature.
// (Two 64-bit hashes from independent seeds: a false match would need both to collide.)
struct ProgramKey {
  uint64_t first = 0;
  uint64_t second = 0;
  bool operator==(const ProgramKey& other) const {
    return first == other.first && second == other.second;
  }
  bool operator!=(const ProgramKey& other) const { return !(*this == other); }
};
ProgramKey EffectiveProgramKey(const Program& program, const ProgramLiveness& liveness);

// True if every field of the two programs is bitwise equal (doubles compared by their bits,
// so that 0.0 and -0.0, which execute differently, differ, and NaN equals itself).
bool BitwiseEqual(const Program& a, const Program& b);

}  // namespace automl

#endif  // EXECUTOR_DEAD_CODE_H_
