#include "instructions/printer.h"

#include <charconv>
#include <cmath>

#include "absl/strings/str_cat.h"

namespace automl {
namespace {

std::string RegisterName(OperandKind kind, int address) {
  switch (kind) {
    case OperandKind::S:
      return absl::StrCat("s", address);
    case OperandKind::V:
      return absl::StrCat("v", address);
    case OperandKind::M:
      return absl::StrCat("m", address);
    case OperandKind::N:
      break;
  }
  return "?";
}

}  // namespace

std::string FormatDouble(double value) {
  // NaN payloads and signs cannot survive a text round trip anyway, so one
  // spelling is enough (to_chars would print "-nan" for some).
  if (std::isnan(value)) return "nan";
  char buffer[64];
  // Without a precision argument to_chars gives the shortest form that
  // round-trips.
  const std::to_chars_result result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, result.ptr);
}

std::string PrintInstruction(const Instruction& instruction) {
  const OpInfo& info = GetOpInfo(instruction.op);
  std::string text;
  for (const char* p = info.form; *p != '\0'; ++p) {
    if (p[0] == '{' && p[1] != '\0' && p[2] == '}') {
      switch (p[1]) {
        case 'o':
          text += RegisterName(info.out, instruction.out);
          break;
        case 'a':
          text += RegisterName(info.in1, instruction.in1);
          break;
        case 'b':
          text += RegisterName(info.in2, instruction.in2);
          break;
        case 'c':
          text += FormatDouble(instruction.data0);
          break;
        case 'd':
          text += FormatDouble(instruction.data1);
          break;
        case 'i':
          absl::StrAppend(&text, instruction.index0);
          break;
        case 'j':
          absl::StrAppend(&text, instruction.index1);
          break;
        default:
          text.append(p, 3);
          break;
      }
      p += 2;
    } else {
      text += *p;
    }
  }
  return text;
}

std::string PrintProgram(const Program& program) {
  std::string text;
  for (ComponentFunction function : kAllComponentFunctions) {
    absl::StrAppend(&text, "def ", ComponentFunctionName(function), "():\n");
    for (const Instruction& instruction : program.function(function)) {
      absl::StrAppend(&text, "  ", PrintInstruction(instruction), "\n");
    }
  }
  return text;
}

}  // namespace automl
