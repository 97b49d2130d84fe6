// Tests of the protobuf forms of programs: binary and text round trips on
// random programs, files, and the rejection of malformed protos.
#include "instructions/program_proto.h"

#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "instructions/instruction.h"
#include "instructions/ops.h"
#include "instructions/program.h"
#include "instructions/program.pb.h"
#include "instructions/random.h"
#include "tests/test_util.h"

namespace automl {
namespace {

using ::testing::HasSubstr;

const MachineShape kShape = {/*num_scalars=*/8, /*num_vectors=*/4,
                             /*num_matrices=*/3,
                             /*feature_size=*/8};

// A random program over all ops, with some constants pushed to extremes.
Program RandomProgram(Rng& rng) {
  static const double kExtremes[] = {std::numeric_limits<double>::denorm_min(),
                                     std::numeric_limits<double>::max(),
                                     -std::numeric_limits<double>::infinity(),
                                     -0.0,
                                     1e-300,
                                     1.0 / 3.0};
  Program program;
  for (ComponentFunction function : kAllComponentFunctions) {
    const int size = rng.UniformIntIn(0, 13);
    for (int i = 0; i < size; ++i) {
      const Op op = AllOps()[rng.UniformInt(kNumOps)];
      Instruction ins = RandomInstructionForOp(op, kShape, rng);
      if (GetOpInfo(op).data != OpDataKind::kNone && rng.Bernoulli(0.3)) {
        ins.data0 = kExtremes[rng.UniformInt(sizeof(kExtremes) / sizeof(kExtremes[0]))];
      }
      program.function(function).push_back(ins);
    }
  }
  return program;
}

TEST(ProgramProtoTest, BinaryRoundTripOfRandomPrograms) {
  for (uint64_t seed = 0; seed < 500; ++seed) {
    Rng rng(seed);
    const Program program = RandomProgram(rng);
    absl::StatusOr<Program> restored = DeserializeProgram(SerializeProgram(program));
    ASSERT_TRUE(restored.ok()) << "seed " << seed << ": " << restored.status();
    EXPECT_EQ(*restored, program) << "seed " << seed;
    // Bitwise on the doubles, so -0.0 and exact mantissas must survive.
    EXPECT_EQ(restored->Hash(), program.Hash()) << "seed " << seed;
    if (HasFailure()) return;
  }
}

TEST(ProgramProtoTest, TextRoundTripOfRandomPrograms) {
  for (uint64_t seed = 0; seed < 500; ++seed) {
    Rng rng(DeriveSeed(seed, 7));
    const Program program = RandomProgram(rng);
    const std::string text = ProgramToTextProto(program);
    absl::StatusOr<Program> restored = ProgramFromTextProto(text);
    ASSERT_TRUE(restored.ok()) << "seed " << seed << ": " << restored.status() << "\n" << text;
    EXPECT_EQ(*restored, program) << "seed " << seed << "\n" << text;
    EXPECT_EQ(restored->Hash(), program.Hash()) << "seed " << seed << "\n" << text;
    if (HasFailure()) return;
  }
}

TEST(ProgramProtoTest, ProtoHoldsOnlyTheFieldsTheOpUses) {
  Program program;
  Instruction sum;
  sum.op = Op::SCALAR_SUM;
  sum.out = 2;
  sum.in1 = 0;
  sum.in2 = 1;
  Instruction set;
  set.op = Op::VECTOR_CONST_SET;
  set.out = 1;
  set.index0 = 3;
  set.data0 = -0.5;
  program.setup = {Instruction()};
  program.learn = {sum, set};
  const ProgramProto proto = ToProto(program);
  ASSERT_EQ(proto.setup_size(), 1);
  EXPECT_TRUE(proto.setup(0).has_op());
  EXPECT_EQ(proto.setup(0).op(), 0);
  EXPECT_FALSE(proto.setup(0).has_out());
  EXPECT_EQ(proto.predict_size(), 0);
  ASSERT_EQ(proto.learn_size(), 2);
  EXPECT_EQ(proto.learn(0).op(),
            1);  // Ids are stable: SCALAR_SUM is 1 forever.
  EXPECT_TRUE(proto.learn(0).has_in1());
  EXPECT_FALSE(proto.learn(0).has_data0());
  EXPECT_EQ(proto.learn(1).op(), 57);
  EXPECT_EQ(proto.learn(1).index0(), 3);
  EXPECT_FALSE(proto.learn(1).has_index1());
  EXPECT_FALSE(proto.learn(1).has_data1());
  EXPECT_EQ(proto.learn(1).data0(), -0.5);
  EXPECT_FALSE(proto.learn(1).has_in1());

  absl::StatusOr<Program> from_text =
      ProgramFromTextProto("learn { op: 57 out: 1 index0: 3 data0: -0.5 }");
  ASSERT_TRUE(from_text.ok()) << from_text.status();
  EXPECT_EQ(from_text->learn, std::vector<Instruction>{set});
}

TEST(ProgramProtoTest, NanSurvivesBinaryAndText) {
  Program program;
  Instruction ins;
  ins.op = Op::SCALAR_GAUSSIAN_SET;
  ins.out = 1;
  ins.data0 = std::numeric_limits<double>::quiet_NaN();
  ins.data1 = std::numeric_limits<double>::infinity();
  program.predict = {ins};
  for (const absl::StatusOr<Program>& restored :
       {DeserializeProgram(SerializeProgram(program)),
        ProgramFromTextProto(ProgramToTextProto(program))}) {
    ASSERT_TRUE(restored.ok()) << restored.status();
    ASSERT_EQ(restored->predict.size(), 1u);
    EXPECT_TRUE(std::isnan(restored->predict[0].data0));
    EXPECT_EQ(restored->predict[0].data1, std::numeric_limits<double>::infinity());
  }
}

std::string FromProtoError(const std::string& text) {
  // Parsed without ProgramFromTextProto, so FromProto's own checks are what is
  // tested.
  absl::StatusOr<Program> program = FromProto(ParseTextOrDie<ProgramProto>(text));
  EXPECT_FALSE(program.ok()) << text;
  if (program.ok()) return "";
  EXPECT_EQ(program.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(program.status().message());
}

TEST(ProgramProtoTest, RejectsMalformedInstructions) {
  EXPECT_EQ(FromProtoError("setup { op: 65 }"),
            "setup instruction 1: unknown op id 65 (valid ids are 0..64)");
  EXPECT_EQ(FromProtoError("learn { op: 1 } learn { op: -3 }"),
            "learn instruction 2: unknown op id -3 (valid ids are 0..64)");
  EXPECT_EQ(FromProtoError("predict { op: 1 out: 256 }"),
            "predict instruction 1: out 256 is out of range (must be in [0, 255])");
  EXPECT_EQ(FromProtoError("predict { op: 1 in1: -1 }"),
            "predict instruction 1: in1 -1 is out of range (must be in [0, 255])");
  EXPECT_EQ(FromProtoError("predict { op: 57 index0: 300 }"),
            "predict instruction 1: index0 300 is out of range (must be in [0, "
            "255])");
  EXPECT_EQ(FromProtoError("setup { op: 5 out: 1 in1: 2 in2: 3 }"),
            "setup instruction 1: in2 is 3 but op SCALAR_ABS does not use in2");
  EXPECT_EQ(FromProtoError("setup { op: 56 out: 1 data0: 1 data1: 0.5 }"),
            "setup instruction 1: data1 is 0.5 but op SCALAR_CONST_SET does "
            "not use data1");
  EXPECT_EQ(FromProtoError("setup { op: 0 index1: 2 }"),
            "setup instruction 1: index1 is 2 but op NO_OP does not use index1");
}

TEST(ProgramProtoTest, RejectsBadBytesAndText) {
  absl::StatusOr<Program> garbage = DeserializeProgram("\xff\xff\xff");
  ASSERT_FALSE(garbage.ok());
  EXPECT_THAT(garbage.status().message(), HasSubstr("cannot parse 3 bytes"));

  ProgramProto proto;
  proto.add_learn()->set_op(99);
  absl::StatusOr<Program> bad_op = DeserializeProgram(proto.SerializeAsString());
  ASSERT_FALSE(bad_op.ok());
  EXPECT_THAT(bad_op.status().message(), HasSubstr("learn instruction 1: unknown op id 99"));

  absl::StatusOr<Program> bad_text = ProgramFromTextProto("setup { op: 1\n bogus: 2 }");
  ASSERT_FALSE(bad_text.ok());
  EXPECT_THAT(bad_text.status().message(), HasSubstr("line 2"));
  EXPECT_THAT(bad_text.status().message(), HasSubstr("bogus"));
}

TEST(ProgramProtoTest, FileRoundTripAndErrorsNameThePath) {
  Rng rng(3);
  const Program program = RandomProgram(rng);
  const std::string path = TempPath("program.pb");
  ASSERT_TRUE(WriteProgramFile(program, path).ok());
  absl::StatusOr<Program> restored = ReadProgramProtoFile(path);
  ASSERT_TRUE(restored.ok()) << restored.status();
  EXPECT_EQ(*restored, program);

  const std::string missing = TempPath("missing.pb");
  absl::StatusOr<Program> not_found = ReadProgramProtoFile(missing);
  ASSERT_FALSE(not_found.ok());
  EXPECT_EQ(not_found.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(not_found.status().message(), HasSubstr(missing));

  const std::string unwritable = TempPath("no_such_dir/program.pb");
  absl::Status write = WriteProgramFile(program, unwritable);
  ASSERT_FALSE(write.ok());
  EXPECT_THAT(write.message(), HasSubstr(unwritable));

  const std::string corrupt = TempPath("corrupt.pb");
  std::FILE* file = std::fopen(corrupt.c_str(), "wb");
  ASSERT_NE(file, nullptr);
  std::fputs("\x0a\x02\x08\xc8",
             file);  // A setup instruction whose op varint is cut off.
  ASSERT_EQ(std::fclose(file), 0);
  absl::StatusOr<Program> bad = ReadProgramProtoFile(corrupt);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr(corrupt));
}

}  // namespace
}  // namespace automl
