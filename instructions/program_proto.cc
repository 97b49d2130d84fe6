#include "instructions/program_proto.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/repeated_field.h"
#include "google/protobuf/text_format.h"
#include "instructions/file_util.h"
#include "instructions/printer.h"
#include "instructions/status_macros.h"
#include "instructions/text_proto.h"

namespace automl {
namespace {

bool UsesIndex0(const OpInfo& info) {
  return info.data == OpDataKind::kVectorElement || info.data == OpDataKind::kMatrixElement;
}
bool UsesIndex1(const OpInfo& info) { return info.data == OpDataKind::kMatrixElement; }
bool UsesData0(const OpInfo& info) { return info.data != OpDataKind::kNone; }
bool UsesData1(const OpInfo& info) {
  return info.data == OpDataKind::kUniform || info.data == OpDataKind::kGaussian;
}

// Checks one byte-sized field: in range, and zero unless the op uses it.
absl::Status CheckField(const char* field, int64_t value, bool used, const OpInfo& info) {
  if (value < 0 || value > 255) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, " ", value, " is out of range (must be in [0, 255])"));
  }
  if (!used && value != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, " is ", value, " but op ", info.name, " does not use ", field));
  }
  return absl::OkStatus();
}

absl::Status CheckUnusedData(const char* field, double value, bool used, const OpInfo& info) {
  // NaN != 0 as well, so a stray NaN is rejected too.
  if (!used && value != 0.0) {
    return absl::InvalidArgumentError(absl::StrCat(field, " is ", FormatDouble(value), " but op ",
                                                   info.name, " does not use ", field));
  }
  return absl::OkStatus();
}

const char* LowerName(ComponentFunction function) {
  switch (function) {
    case ComponentFunction::kSetup:
      return "setup";
    case ComponentFunction::kPredict:
      return "predict";
    case ComponentFunction::kLearn:
      return "learn";
  }
  return "?";
}

const google::protobuf::RepeatedPtrField<InstructionProto>& ProtoFunction(
    const ProgramProto& proto, ComponentFunction function) {
  switch (function) {
    case ComponentFunction::kSetup:
      return proto.setup();
    case ComponentFunction::kPredict:
      return proto.predict();
    case ComponentFunction::kLearn:
      break;
  }
  return proto.learn();
}

google::protobuf::RepeatedPtrField<InstructionProto>* MutableProtoFunction(
    ProgramProto& proto, ComponentFunction function) {
  switch (function) {
    case ComponentFunction::kSetup:
      return proto.mutable_setup();
    case ComponentFunction::kPredict:
      return proto.mutable_predict();
    case ComponentFunction::kLearn:
      break;
  }
  return proto.mutable_learn();
}

}  // namespace

InstructionProto ToProto(const Instruction& instruction) {
  const OpInfo& info = GetOpInfo(instruction.op);
  InstructionProto proto;
  // Always set, so a NO_OP still shows up as "op: 0" in text format.
  proto.set_op(static_cast<int>(instruction.op));
  if (info.in1 != OperandKind::N) proto.set_in1(instruction.in1);
  if (info.in2 != OperandKind::N) proto.set_in2(instruction.in2);
  if (info.out != OperandKind::N) proto.set_out(instruction.out);
  if (UsesIndex0(info)) proto.set_index0(instruction.index0);
  if (UsesIndex1(info)) proto.set_index1(instruction.index1);
  if (UsesData0(info)) proto.set_data0(instruction.data0);
  if (UsesData1(info)) proto.set_data1(instruction.data1);
  return proto;
}

ProgramProto ToProto(const Program& program) {
  ProgramProto proto;
  for (ComponentFunction function : kAllComponentFunctions) {
    auto* instructions = MutableProtoFunction(proto, function);
    for (const Instruction& instruction : program.function(function)) {
      *instructions->Add() = ToProto(instruction);
    }
  }
  return proto;
}

absl::StatusOr<Instruction> FromProto(const InstructionProto& proto) {
  if (!IsValidOpId(proto.op())) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown op id ", proto.op(), " (valid ids are 0..", kNumOps - 1, ")"));
  }
  Instruction instruction;
  instruction.op = static_cast<Op>(proto.op());
  const OpInfo& info = GetOpInfo(instruction.op);
  const absl::Status checks[] = {
      CheckField("in1", proto.in1(), info.in1 != OperandKind::N, info),
      CheckField("in2", proto.in2(), info.in2 != OperandKind::N, info),
      CheckField("out", proto.out(), info.out != OperandKind::N, info),
      CheckField("index0", proto.index0(), UsesIndex0(info), info),
      CheckField("index1", proto.index1(), UsesIndex1(info), info),
      CheckUnusedData("data0", proto.data0(), UsesData0(info), info),
      CheckUnusedData("data1", proto.data1(), UsesData1(info), info),
  };
  for (const absl::Status& status : checks) RETURN_IF_ERROR(status);
  instruction.in1 = static_cast<uint8_t>(proto.in1());
  instruction.in2 = static_cast<uint8_t>(proto.in2());
  instruction.out = static_cast<uint8_t>(proto.out());
  instruction.index0 = static_cast<uint8_t>(proto.index0());
  instruction.index1 = static_cast<uint8_t>(proto.index1());
  // Unused data stays +0.0 even if the proto held -0.0, keeping the canonical
  // form.
  if (UsesData0(info)) instruction.data0 = proto.data0();
  if (UsesData1(info)) instruction.data1 = proto.data1();
  return instruction;
}

absl::StatusOr<Program> FromProto(const ProgramProto& proto) {
  Program program;
  for (ComponentFunction function : kAllComponentFunctions) {
    const auto& instructions = ProtoFunction(proto, function);
    std::vector<Instruction>& out = program.function(function);
    out.reserve(instructions.size());
    for (int i = 0; i < instructions.size(); ++i) {
      absl::StatusOr<Instruction> instruction = FromProto(instructions.Get(i));
      if (!instruction.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(LowerName(function), " instruction ", i + 1,
                                                       ": ", instruction.status().message()));
      }
      out.push_back(*instruction);
    }
  }
  return program;
}

std::string SerializeProgram(const Program& program) {
  return ToProto(program).SerializeAsString();
}

absl::StatusOr<Program> DeserializeProgram(const std::string& bytes) {
  ProgramProto proto;
  if (!proto.ParseFromString(bytes)) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot parse ", bytes.size(), " bytes as a ProgramProto"));
  }
  return FromProto(proto);
}

std::string ProgramToTextProto(const Program& program) {
  std::string text;
  google::protobuf::TextFormat::PrintToString(ToProto(program), &text);
  return text;
}

absl::StatusOr<Program> ProgramFromTextProto(absl::string_view text) {
  ProgramProto proto;
  RETURN_IF_ERROR(ParseTextProto(text, "ProgramProto text", &proto));
  return FromProto(proto);
}

absl::Status WriteProgramFile(const Program& program, const std::string& path) {
  const std::string bytes = SerializeProgram(program);
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot open program file '", path, "' for writing: ", std::strerror(errno)));
  }
  const bool written = std::fwrite(bytes.data(), 1, bytes.size(), file) == bytes.size();
  const int write_error = errno;
  // fclose flushes, so a full disk may only show up here.
  const bool closed = std::fclose(file) == 0;
  if (!written || !closed) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot write program file '", path, "': ", std::strerror(written ? errno : write_error)));
  }
  return absl::OkStatus();
}

absl::StatusOr<Program> ReadProgramProtoFile(const std::string& path) {
  ASSIGN_OR_RETURN(const std::string bytes,
                   ReadFileToString(path, "program file", kMaxTextFileBytes));
  // Zero bytes would parse as a program without instructions; like an empty text program file
  // it is a mistake (a truncated copy, the wrong file), not a program.
  if (bytes.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": empty file, not a program"));
  }
  absl::StatusOr<Program> program = DeserializeProgram(bytes);
  if (!program.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": not a valid program proto (", program.status().message(), ")"));
  }
  return program;
}

}  // namespace automl
