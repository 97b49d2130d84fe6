#include "experiments/export/export_python.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "evolution/experiment_setup.h"
#include "experiments/export/op_expressions.h"

namespace automl {
namespace {

// The engine's generator (instructions/random.h) on Python integers masked to 64 bits, and
// the helpers the op table's Python statements use.
constexpr char kPrelude[] = R"(import math

import numpy as np

_MASK = (1 << 64) - 1
_TWO_TO_MINUS_53 = 2.0 ** -53


def _splitmix64(x):
    x = (x + 0x9E3779B97F4A7C15) & _MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


def _rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & _MASK


class _Rng:
    """The engine's generator: xoshiro256** seeded by splitmix64."""

    def __init__(self, seed):
        x = seed & _MASK
        self.state = []
        for _ in range(4):
            x = _splitmix64(x)
            self.state.append(x)

    def next(self):
        s = self.state
        result = (_rotl((s[1] * 5) & _MASK, 7) * 9) & _MASK
        t = (s[1] << 17) & _MASK
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = _rotl(s[3], 45)
        return result

    def uniform_double(self):
        return (self.next() >> 11) * _TWO_TO_MINUS_53

    def uniform(self, low, high):
        return low + (high - low) * self.uniform_double()

    def gaussian(self, mean, stddev):
        u1 = self.uniform_double()
        while u1 <= 0.0:
            u1 = self.uniform_double()
        u2 = self.uniform_double()
        radius = math.sqrt(-2.0 * math.log(u1))
        return mean + stddev * radius * math.cos(6.283185307179586 * u2)


def task_seed(random_op_seed, task_index):
    """The engine seeds task `task_index` of a run with this (random-op seed of the run)."""
    return _splitmix64(_splitmix64(random_op_seed & _MASK) ^
                       _splitmix64((task_index + 0x632BE59BD9B4E019) & _MASK))


def _libm(function, numpy_function):
    # math calls the C library, as the engine does; it raises where C returns NaN or inf.
    def call(x):
        try:
            return function(x)
        except (ValueError, OverflowError):
            with np.errstate(all='ignore'):
                return float(numpy_function(np.float64(x)))
    return call


_sin = _libm(math.sin, np.sin)
_cos = _libm(math.cos, np.cos)
_tan = _libm(math.tan, np.tan)
_asin = _libm(math.asin, np.arcsin)
_acos = _libm(math.acos, np.arccos)
_atan = _libm(math.atan, np.arctan)
_exp = _libm(math.exp, np.exp)
_log = _libm(math.log, np.log)


def _std(x):
    """Population standard deviation."""
    mean = np.sum(x) / x.size
    deviation = x - mean
    return np.sqrt(np.sum(deviation * deviation) / x.size)


def _matvec(m, v):
    result = m[:, 0] * v[0]
    for k in range(1, m.shape[1]):
        result = result + m[:, k] * v[k]
    return result


def _matmul(a, b):
    result = np.outer(a[:, 0], b[0, :])
    for k in range(1, a.shape[1]):
        result = result + np.outer(a[:, k], b[k, :])
    return result
)";

void AppendBody(const std::vector<Instruction>& function, std::string* out) {
  bool empty = true;
  for (const Instruction& ins : function) {
    if (ins.op == Op::NO_OP) continue;
    for (absl::string_view line :
         absl::StrSplit(InstructionCode(ins, ExportLanguage::kPython), '\n')) {
      absl::StrAppend(out, "            ", line, "\n");
    }
    empty = false;
  }
  if (empty) absl::StrAppend(out, "            pass\n");
}

}  // namespace

std::string ExportPython(const Program& program, const MachineShape& shape,
                         const std::vector<std::string>& header_lines,
                         const ExportOptions& options) {
  std::string out;
  for (const std::string& line : header_lines) {
    absl::StrAppend(&out, line.empty() ? "#" : absl::StrCat("# ", line), "\n");
  }
  absl::StrAppend(&out, kPrelude, "\n\nF = ", shape.feature_size, "\n");
  if (options.run_seed) {
    absl::StrAppend(&out, "# The engine's random-op seed of the run (seed ", *options.run_seed,
                    ").\nRUN_RANDOM_OP_SEED = ", RandomOpSeedOfRun(*options.run_seed), "\n");
  }
  absl::StrAppend(&out, "\n\nclass ", options.class_name, ":\n", R"(
    def __init__(self, rng_seed=0, classification=False):
        self._rng = _Rng(rng_seed)
        self._classification = classification
)",
                  "        self.s = np.zeros(", shape.num_scalars, ")\n",
                  "        self.v = np.zeros((", shape.num_vectors, ", F))\n",
                  "        self.m = np.zeros((", shape.num_matrices, ", F, F))\n", R"(
    def setup(self):
        with np.errstate(all='ignore'):
)");
  AppendBody(program.setup, &out);
  absl::StrAppend(&out, R"(
    def predict(self, features):
        self.v[0] = features
        self.s[0] = 0.0
        with np.errstate(all='ignore'):
)");
  AppendBody(program.predict, &out);
  absl::StrAppend(&out, R"(        if self._classification:
            self.s[1] = 1.0 / (1.0 + _exp(-self.s[1]))
        return float(self.s[1])

    def learn(self, label):
        """After predict on the same example."""
        self.s[0] = label
        with np.errstate(all='ignore'):
)");
  AppendBody(program.learn, &out);
  return out;
}

}  // namespace automl
