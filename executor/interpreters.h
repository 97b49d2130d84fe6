// The interpreters, one per Dispatch (executor.h): loops that run instructions through the op
// kernels (op_kernels.h), two over pre-decoded functions (decoded_program.h) and one decoding
// each Instruction as it goes; and ExecuteInstruction, which runs a single Instruction. They
// differ in speed only: the arithmetic is the kernels'.
#ifndef EXECUTOR_INTERPRETERS_H_
#define EXECUTOR_INTERPRETERS_H_

#include <cstddef>

#include "executor/dead_code.h"
#include "executor/decoded_program.h"
#include "executor/memory.h"
#include "executor/op_kernels.h"
#include "instructions/instruction.h"
#include "instructions/random.h"

namespace automl {

// --- Over pre-decoded functions. Each runs from `code` up to its END sentinel. ---

// A switch per instruction over the decoded handler id.
template <int F>
void RunDecodedSwitch(const DecodedInstruction* code, double* base, Rng& rng) {
  for (const DecodedInstruction* ip = code;; ++ip) {
    switch (ip->handler) {
#define AUTOML_DECODED_CASE(id, name, ...) \
  case id:                                 \
    OpKernel<F, Op::name>(base, *ip, rng); \
    break;
      AUTOML_OP_TABLE(AUTOML_DECODED_CASE)
#undef AUTOML_DECODED_CASE
      case kHandlerSkipUniform:
        SkipUniformDraws(ip->in1, rng);
        break;
      case kHandlerSkipGaussian:
        SkipGaussianDraws(ip->in1, rng);
        break;
      default:  // kHandlerEnd
        return;
    }
  }
}

#if defined(__GNUC__)
#define AUTOML_HAVE_COMPUTED_GOTO 1
// Direct threading (GCC/Clang labels as values): each handler ends in its own indirect jump to
// the next, so the branch predictor learns op-to-op transitions, and there is no loop test.
// Formatted by hand: clang-format mangles labels as values.
// clang-format off
template <int F>
void RunThreaded(const DecodedInstruction* code, double* base, Rng& rng) {
  static const void* const kLabels[kNumHandlers] = {
#define AUTOML_THREADED_LABEL(id, name, ...) &&handler_##name,
      AUTOML_OP_TABLE(AUTOML_THREADED_LABEL)
#undef AUTOML_THREADED_LABEL
      &&handler_skip_uniform, &&handler_skip_gaussian, &&handler_end};
  const DecodedInstruction* ip = code;
  goto *kLabels[ip->handler];
#define AUTOML_THREADED_HANDLER(id, name, ...) \
  handler_##name:                              \
  OpKernel<F, Op::name>(base, *ip, rng);       \
  ++ip;                                        \
  goto *kLabels[ip->handler];
  AUTOML_OP_TABLE(AUTOML_THREADED_HANDLER)
#undef AUTOML_THREADED_HANDLER
handler_skip_uniform:
  SkipUniformDraws(ip->in1, rng);
  ++ip;
  goto *kLabels[ip->handler];
handler_skip_gaussian:
  SkipGaussianDraws(ip->in1, rng);
  ++ip;
  goto *kLabels[ip->handler];
handler_end:
  return;
}
// clang-format on
#else
#define AUTOML_HAVE_COMPUTED_GOTO 0
#endif

// --- Decoding on the fly. ---

// GCC 12's SLP vectorizer, with -march=native (--config=opt), packs an Instruction's operand
// addresses into a vector through a 2-byte store and a 16-byte reload: a failed
// store-to-load forward on every instruction, which made this interpreter 1.7x slower than at
// plain -O2 (measured on the demo search, when it was the only one). Vectorizing a switch
// prologue gains nothing, so it is off here. (The decoded interpreters read 32-bit offsets and
// do not need it.)
#if defined(__GNUC__) && !defined(__clang__)
#define AUTOML_NO_SLP_VECTORIZE __attribute__((optimize("no-tree-slp-vectorize")))
#else
#define AUTOML_NO_SLP_VECTORIZE
#endif

// A switch per instruction over the program's own Instructions, each decoded in its op's case
// (Dispatch::kReference): no decoded buffer. marks[i] is kLive or kSkipDraws.
template <int F>
AUTOML_NO_SLP_VECTORIZE void RunOnTheFly(const Instruction* code, const Liveness* marks,
                                         size_t size, Memory<F>& mem, Rng& rng) {
  const MemoryLayout<F> layout(mem);
  double* base = reinterpret_cast<double*>(&mem);
  for (size_t i = 0; i < size; ++i) {
    const Instruction& ins = code[i];
    if (marks[i] == Liveness::kSkipDraws) {
      const DecodedInstruction skip = Decode<F>(ins, Liveness::kSkipDraws, layout);
      if (skip.handler == kHandlerSkipGaussian) {
        SkipGaussianDraws(skip.in1, rng);
      } else {
        SkipUniformDraws(skip.in1, rng);
      }
      continue;
    }
    switch (ins.op) {
#define AUTOML_ON_THE_FLY_CASE(id, name, out, in1, in2, data, ...)                       \
  case Op::name:                                                                         \
    OpKernel<F, Op::name>(base,                                                          \
                          DecodeOperands<F>(ins, OperandKind::out, OperandKind::in1,     \
                                            OperandKind::in2, OpDataKind::data, layout), \
                          rng);                                                          \
    break;
      AUTOML_OP_TABLE(AUTOML_ON_THE_FLY_CASE)
#undef AUTOML_ON_THE_FLY_CASE
    }
  }
}

// Runs one instruction on `mem`, exactly as every Dispatch runs it.
template <int F>
void ExecuteInstruction(const Instruction& ins, Memory<F>& mem, Rng& rng) {
  const Liveness live = Liveness::kLive;
  RunOnTheFly<F>(&ins, &live, 1, mem, rng);
}

}  // namespace automl

#endif  // EXECUTOR_INTERPRETERS_H_
