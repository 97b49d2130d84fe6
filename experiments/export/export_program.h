// Exports a program as source code a user can drop into their own project: the program is
// simplified (executor/simplify.h) and written as a C++ header (export_cpp.h) or a Python
// module (export_python.h). See docs/export.md.
#ifndef EXPERIMENTS_EXPORT_EXPORT_PROGRAM_H_
#define EXPERIMENTS_EXPORT_EXPORT_PROGRAM_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "experiments/export/export_options.h"
#include "experiments/export/op_expressions.h"
#include "instructions/program.h"

namespace automl {

// "cpp" or "python"; the error names the unknown target.
absl::StatusOr<ExportLanguage> ExportLanguageFromName(absl::string_view name);

// The source text. Errors: an unsupported feature size, a class name that is not an
// identifier, a program that does not run at the feature size (e.g. an element index >= F).
absl::StatusOr<std::string> ExportProgram(const Program& program, ExportLanguage language,
                                          const ExportOptions& options);

}  // namespace automl

#endif  // EXPERIMENTS_EXPORT_EXPORT_PROGRAM_H_
