#include "experiments/export/export_program.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "executor/executor.h"
#include "executor/simplify.h"
#include "experiments/export/export_cpp.h"
#include "experiments/export/export_python.h"
#include "experiments/program_file.h"
#include "instructions/status_macros.h"

namespace automl {
namespace {

bool IsIdentifier(const std::string& name) {
  if (name.empty() || absl::ascii_isdigit(name[0])) return false;
  for (char c : name) {
    if (!absl::ascii_isalnum(c) && c != '_') return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<ExportLanguage> ExportLanguageFromName(absl::string_view name) {
  if (name == "cpp") return ExportLanguage::kCpp;
  if (name == "python") return ExportLanguage::kPython;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown export target '", name, "' (known: cpp, python)"));
}

absl::StatusOr<std::string> ExportProgram(const Program& program, ExportLanguage language,
                                          const ExportOptions& options) {
  RETURN_IF_ERROR(CheckFeatureSizeSupported(options.feature_size));
  if (!IsIdentifier(options.class_name)) {
    return absl::InvalidArgumentError(
        absl::StrCat("class name '", options.class_name, "' is not an identifier"));
  }
  const MachineShape shape = SmallestShape(program, options.feature_size);
  RETURN_IF_ERROR(ValidateMachineShape(shape));
  if (absl::Status s = ValidateProgram(program, shape); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(options.program_path, ": ", s.message()));
  }
  ASSIGN_OR_RETURN(const Program simplified, Simplify(program, shape));
  const MachineShape simplified_shape = SmallestShape(simplified, options.feature_size);
  const std::vector<std::string> header =
      ExportHeaderLines(options, language, simplified.size(), program.size());
  if (language == ExportLanguage::kCpp) {
    return ExportCpp(simplified, simplified_shape, header, options);
  }
  return ExportPython(simplified, simplified_shape, header, options);
}

}  // namespace automl
