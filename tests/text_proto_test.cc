// Tests of ParseTextProto (instructions/text_proto.h): the first complaint with its 1-based
// position, in the one-line form every text-format reader reports.
#include "instructions/text_proto.h"

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "instructions/program.pb.h"

namespace automl {
namespace {

TEST(ParseTextProtoTest, Parses) {
  ProgramProto proto;
  ASSERT_TRUE(ParseTextProto("learn { op: 1 out: 2 }", "p", &proto).ok());
  ASSERT_EQ(proto.learn_size(), 1);
  EXPECT_EQ(proto.learn(0).out(), 2);
}

TEST(ParseTextProtoTest, FirstErrorWithLineAndColumn) {
  ProgramProto proto;
  TextProtoError error;
  // Two mistakes: only the first one is reported.
  const absl::Status status =
      ParseTextProto("setup { op: 1 }\n  bogus: 2\nother: 3\n", "prog.textproto", &proto, &error);
  EXPECT_TRUE(absl::IsInvalidArgument(status)) << status;
  EXPECT_EQ(error.line, 2);
  EXPECT_EQ(error.column, 8);  // The parser points just after the unknown name.
  EXPECT_NE(error.message.find("bogus"), std::string::npos) << error.message;
  EXPECT_EQ(status.message(), "prog.textproto: line 2:8: " + error.message);
}

TEST(ParseTextProtoTest, SyntaxError) {
  ProgramProto proto;
  const absl::Status status = ParseTextProto("setup {\n", "s", &proto);
  EXPECT_TRUE(absl::IsInvalidArgument(status)) << status;
  EXPECT_EQ(status.message().find("s: line 2:"), 0u) << status;
}

}  // namespace
}  // namespace automl
