#include "evolution/seed_programs.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "instructions/file_util.h"
#include "instructions/parser.h"
#include "instructions/program_proto.h"
#include "instructions/status_macros.h"

namespace automl {
namespace {

constexpr absl::string_view kSeparator = "---";

}  // namespace

absl::StatusOr<std::vector<Program>> ParseSeedPrograms(absl::string_view text) {
  const std::vector<absl::string_view> lines = absl::StrSplit(text, '\n');
  // Each program is parsed from the whole text with every other line blanked, so that the
  // parser's "line N" is the line of the file.
  std::vector<std::pair<size_t, size_t>> ranges;  // [first, last) line of each program.
  size_t first = 0;
  for (size_t i = 0; i <= lines.size(); ++i) {
    if (i == lines.size() || absl::StripAsciiWhitespace(lines[i]) == kSeparator) {
      ranges.emplace_back(first, i);
      first = i + 1;
    }
  }
  std::vector<Program> programs;
  for (size_t p = 0; p < ranges.size(); ++p) {
    const auto [begin, end] = ranges[p];
    std::string masked;
    for (size_t i = 0; i < lines.size(); ++i) {
      if (i >= begin && i < end) masked.append(lines[i].data(), lines[i].size());
      masked += '\n';
    }
    if (!HasProgramText(masked)) {
      // A trailing separator (or a file ending in blank lines after one) is harmless.
      if (p + 1 == ranges.size() && p > 0) break;
      return absl::InvalidArgumentError(
          absl::StrCat("program ", p + 1, " (lines ", begin + 1, "-", end,
                       ") is empty: programs are separated by a line '---'"));
    }
    absl::StatusOr<Program> program = ParseProgram(masked);
    if (!program.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("program ", p + 1, ": ", program.status().message()));
    }
    programs.push_back(*std::move(program));
  }
  return programs;
}

absl::StatusOr<std::vector<Program>> ReadSeedProgramsFile(const std::string& path) {
  if (absl::EndsWith(path, ".pb")) {
    ASSIGN_OR_RETURN(Program program, ReadProgramProtoFile(path));
    return std::vector<Program>{std::move(program)};
  }
  ASSIGN_OR_RETURN(const std::string text,
                   ReadFileToString(path, "seed program file", kMaxTextFileBytes));
  absl::StatusOr<std::vector<Program>> programs = ParseSeedPrograms(text);
  if (!programs.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", programs.status().message()));
  }
  return programs;
}

absl::StatusOr<std::vector<Program>> ReadSeedPrograms(const std::string& paths) {
  std::vector<Program> programs;
  for (absl::string_view path : absl::StrSplit(paths, ',', absl::SkipWhitespace())) {
    ASSIGN_OR_RETURN(const std::vector<Program> some,
                     ReadSeedProgramsFile(std::string(absl::StripAsciiWhitespace(path))));
    programs.insert(programs.end(), some.begin(), some.end());
  }
  if (programs.empty()) return absl::InvalidArgumentError("no seed program files given");
  return programs;
}

absl::StatusOr<Program> FitSeedProgram(Program program, const SearchSpace& space,
                                       const std::string& what) {
  if (absl::Status s = ValidateProgram(program, space.shape); !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " does not fit the spec's registers: ", s.message()));
  }
  for (ComponentFunction f : kAllComponentFunctions) {
    std::vector<Instruction>& instructions = program.function(f);
    const FunctionSpace& function_space = space.function(f);
    if (static_cast<int>(instructions.size()) > function_space.max_size) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, ": ", ComponentFunctionName(f), " has ", instructions.size(),
                       " instructions but its max_size is ", function_space.max_size));
    }
    if (static_cast<int>(instructions.size()) < function_space.min_size) {
      instructions.resize(function_space.min_size);  // Pads with NO_OPs.
    }
  }
  return program;
}

}  // namespace automl
