// Converts programs to and from ProgramProto (program.proto): binary bytes for
// checkpoints and messages, text format for humans, and binary files. Loading
// validates op ids and the 0..255 range of every field, and rejects fields the
// op does not use, so a loaded program is in the canonical form (see
// instruction.h); ranges against a MachineShape are checked by ValidateProgram.
#ifndef INSTRUCTIONS_PROGRAM_PROTO_H_
#define INSTRUCTIONS_PROGRAM_PROTO_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "instructions/program.h"
#include "instructions/program.pb.h"

namespace automl {

InstructionProto ToProto(const Instruction& instruction);
ProgramProto ToProto(const Program& program);

// Errors name the instruction, e.g. "learn instruction 3: unknown op id 99".
absl::StatusOr<Instruction> FromProto(const InstructionProto& proto);
absl::StatusOr<Program> FromProto(const ProgramProto& proto);

// Binary wire format.
std::string SerializeProgram(const Program& program);
absl::StatusOr<Program> DeserializeProgram(const std::string& bytes);

// Protobuf text format, e.g. `learn { op: 1 in1: 2 in2: 3 out: 4 }`.
std::string ProgramToTextProto(const Program& program);
absl::StatusOr<Program> ProgramFromTextProto(absl::string_view text);

// Binary files; errors name the path.
absl::Status WriteProgramFile(const Program& program, const std::string& path);
absl::StatusOr<Program> ReadProgramProtoFile(const std::string& path);

}  // namespace automl

#endif  // INSTRUCTIONS_PROGRAM_PROTO_H_
