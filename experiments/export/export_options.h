// What an export (export_cpp.h, export_python.h) is asked for and what it records about where
// the program came from.
#ifndef EXPERIMENTS_EXPORT_EXPORT_OPTIONS_H_
#define EXPERIMENTS_EXPORT_EXPORT_OPTIONS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace automl {

enum class ExportLanguage { kCpp, kPython };

struct ExportOptions {
  std::string class_name = "ExportedProgram";
  int feature_size = 4;
  // For the header comment and the engine's random-op seed.
  std::string program_path;
  std::optional<double> fitness;     // The run's final fitness, if known.
  std::optional<uint64_t> run_seed;  // The run's --random_seed, if known.
};

// The generated file's header comment, without comment markers: source, fitness, seed and the
// protocol of the class.
std::vector<std::string> ExportHeaderLines(const ExportOptions& options, ExportLanguage language,
                                           int simplified_size, int original_size);

}  // namespace automl

#endif  // EXPERIMENTS_EXPORT_EXPORT_OPTIONS_H_
