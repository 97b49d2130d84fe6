// One function of a program as the executor runs it: the instructions dead-code elimination
// keeps (dead_code.h), prepared for the configured Dispatch, and the loop that runs them.
#ifndef EXECUTOR_COMPILED_FUNCTION_H_
#define EXECUTOR_COMPILED_FUNCTION_H_

#include <vector>

#include "executor/dead_code.h"
#include "executor/decoded_program.h"
#include "executor/executor.h"
#include "executor/interpreters.h"
#include "executor/memory.h"
#include "instructions/instruction.h"
#include "instructions/random.h"

namespace automl {

struct CompiledFunction {
  // Dispatch::kReference: the instructions to run, and their marks (kLive or kSkipDraws).
  std::vector<Instruction> instructions;
  std::vector<Liveness> marks;
  // The other dispatches: decoded, END-terminated.
  std::vector<DecodedInstruction> decoded;
};

// Compiles the instructions of `function` that `marks` keep into `compiled`, reusing its
// storage.
template <int F>
void CompileFunction(const std::vector<Instruction>& function, const std::vector<Liveness>& marks,
                     Dispatch dispatch, const MemoryLayout<F>& layout, CompiledFunction* compiled) {
  // Room for every instruction: buffers grow only with the longest program seen, not with the
  // number of live instructions of each.
  if (dispatch != Dispatch::kReference) {
    compiled->decoded.reserve(function.size() + 1);
    DecodeFunction<F>(function, marks, layout, &compiled->decoded);
    return;
  }
  compiled->instructions.reserve(function.size());
  compiled->marks.reserve(function.size());
  compiled->instructions.clear();
  compiled->marks.clear();
  for (size_t i = 0; i < function.size(); ++i) {
    if (marks[i] == Liveness::kDead) continue;
    compiled->instructions.push_back(function[i]);
    compiled->marks.push_back(marks[i]);
  }
}

// Runs `function`, compiled for dispatch D, on `mem`.
template <int F, Dispatch D>
void RunFunction(const CompiledFunction& function, Memory<F>& mem, Rng& rng) {
  if constexpr (D == Dispatch::kReference) {
    RunOnTheFly<F>(function.instructions.data(), function.marks.data(),
                   function.instructions.size(), mem, rng);
  } else {
    double* base = reinterpret_cast<double*>(&mem);
    if constexpr (D == Dispatch::kDecodedSwitch) {
      RunDecodedSwitch<F>(function.decoded.data(), base, rng);
    } else {
#if AUTOML_HAVE_COMPUTED_GOTO
      RunThreaded<F>(function.decoded.data(), base, rng);
#else
      RunDecodedSwitch<F>(function.decoded.data(), base, rng);
#endif
    }
  }
}

}  // namespace automl

#endif  // EXECUTOR_COMPILED_FUNCTION_H_
