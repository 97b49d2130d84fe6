#include "experiments/export/export_cpp.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "evolution/experiment_setup.h"
#include "experiments/export/op_expressions.h"

namespace automl {
namespace {

// The engine's generator (instructions/random.h), copied into every header so that it stands
// alone; tests/export_program_test.cc checks the streams agree.
constexpr char kRngCode[] = R"(  // The engine's generator: xoshiro256** seeded by splitmix64.
  static uint64_t SplitMix64(uint64_t x) {
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
  }
  class Rng {
   public:
    explicit Rng(uint64_t seed) {
      uint64_t x = seed;
      for (uint64_t& word : state_) {
        x = SplitMix64(x);
        word = x;
      }
    }
    uint64_t Next() {
      const uint64_t result = Rotl(state_[1] * 5, 7) * 9;
      const uint64_t t = state_[1] << 17;
      state_[2] ^= state_[0];
      state_[3] ^= state_[1];
      state_[1] ^= state_[2];
      state_[0] ^= state_[3];
      state_[2] ^= t;
      state_[3] = Rotl(state_[3], 45);
      return result;
    }
    double UniformDouble() { return (Next() >> 11) * 0x1.0p-53; }
    double Uniform(double low, double high) { return low + (high - low) * UniformDouble(); }
    double Gaussian(double mean, double stddev) {
      double u1 = UniformDouble();
      while (u1 <= 0.0) u1 = UniformDouble();
      const double u2 = UniformDouble();
      const double radius = std::sqrt(-2.0 * std::log(u1));
      return mean + stddev * radius * std::cos(6.283185307179586 * u2);
    }

   private:
    static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::array<uint64_t, 4> state_;
  };
)";

// The kernels' helpers (executor/op_kernels.h).
constexpr char kHelperCode[] =
    R"(  static double Heaviside(double x) { return x > 0.0 ? 1.0 : 0.0; }
  static double Min(double x, double y) { return std::fmin(x, y); }
  static double Max(double x, double y) { return std::fmax(x, y); }
  template <typename Derived>
  static double PopulationStd(const Eigen::MatrixBase<Derived>& x) {
    const double mean = x.mean();
    return std::sqrt((x.array() - mean).square().mean());
  }
)";

void AppendBody(const std::vector<Instruction>& function, std::string* out) {
  for (const Instruction& ins : function) {
    if (ins.op == Op::NO_OP) continue;
    for (absl::string_view line :
         absl::StrSplit(InstructionCode(ins, ExportLanguage::kCpp), '\n')) {
      absl::StrAppend(out, "    ", line, "\n");
    }
  }
}

std::string CommentLines(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) {
    absl::StrAppend(&text, line.empty() ? "//" : absl::StrCat("// ", line), "\n");
  }
  return text;
}

}  // namespace

std::string ExportCpp(const Program& program, const MachineShape& shape,
                      const std::vector<std::string>& header_lines, const ExportOptions& options) {
  const std::string& name = options.class_name;
  const std::string guard = absl::StrCat("AUTOML_EXPORT_", absl::AsciiStrToUpper(name), "_H_");
  std::string out = CommentLines(header_lines);
  absl::StrAppend(&out, "#ifndef ", guard, "\n#define ", guard, "\n\n",
                  "#include <array>\n#include <cmath>\n#include <cstdint>\n#include <limits>\n\n",
                  "#include <Eigen/Core>\n\n");
  absl::StrAppend(&out, "class ", name, " {\n public:\n");
  absl::StrAppend(&out, "  static constexpr int kF = ", shape.feature_size, ";\n",
                  "  using Vector = Eigen::Matrix<double, kF, 1>;\n",
                  "  using Matrix = Eigen::Matrix<double, kF, kF>;\n");
  if (options.run_seed) {
    absl::StrAppend(&out, "  // The engine's random-op seed of the run (seed ", *options.run_seed,
                    ").\n  static constexpr uint64_t kRunRandomOpSeed = ",
                    RandomOpSeedOfRun(*options.run_seed), "ULL;\n");
  }
  absl::StrAppend(&out, R"(
  EIGEN_MAKE_ALIGNED_OPERATOR_NEW

  // The engine seeds task `task_index` of a run with TaskSeed(random-op seed of the run, index).
  static uint64_t TaskSeed(uint64_t random_op_seed, uint64_t task_index) {
    return SplitMix64(SplitMix64(random_op_seed) ^ SplitMix64(task_index + 0x632BE59BD9B4E019ULL));
  }

  explicit )",
                  name, R"((uint64_t rng_seed = 0, bool classification = false)
      : rng_(rng_seed), classification_(classification) {
    s_.fill(0.0);
    for (Vector& v : v_) v.setZero();
    for (Matrix& m : m_) m.setZero();
  }

  void Setup() {
)");
  AppendBody(program.setup, &out);
  absl::StrAppend(&out, R"(  }

  double Predict(const Vector& features) {
    v_[0] = features;
    s_[0] = 0.0;
)");
  AppendBody(program.predict, &out);
  absl::StrAppend(&out, R"(    if (classification_) s_[1] = 1.0 / (1.0 + std::exp(-s_[1]));
    return s_[1];
  }

  // After Predict on the same example.
  void Learn(double label) {
    s_[0] = label;
)");
  AppendBody(program.learn, &out);
  absl::StrAppend(&out, "  }\n\n private:\n", kRngCode, kHelperCode, "\n");
  absl::StrAppend(&out, "  std::array<double, ", shape.num_scalars, "> s_;\n",
                  "  std::array<Vector, ", shape.num_vectors, "> v_;\n", "  std::array<Matrix, ",
                  shape.num_matrices, "> m_;\n", "  Rng rng_;\n  bool classification_;\n};\n\n",
                  "#endif  // ", guard, "\n");
  return out;
}

}  // namespace automl
