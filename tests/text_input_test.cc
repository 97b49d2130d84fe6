// Tests of the shared input helpers (instructions/text_input.h): the byte order mark, and how
// errors quote input (short, printable), through their users too: the text-format parser and
// the program parser.
#include "instructions/text_input.h"

#include <string>

#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "instructions/parser.h"
#include "instructions/program.pb.h"
#include "instructions/text_proto.h"

namespace automl {
namespace {

using ::testing::HasSubstr;

TEST(StripUtf8BomTest, OnlyALeadingMark) {
  EXPECT_EQ(StripUtf8Bom("\xEF\xBB\xBFx: 1"), "x: 1");
  EXPECT_EQ(StripUtf8Bom("x\xEF\xBB\xBF"), "x\xEF\xBB\xBF");
  EXPECT_EQ(StripUtf8Bom("\xEF\xBB"), "\xEF\xBB");
  EXPECT_EQ(StripUtf8Bom(""), "");
}

TEST(QuoteForErrorTest, ShortPrintableTextIsUnchanged) {
  EXPECT_EQ(QuoteForError("s1 = s0 + \"x\""), "s1 = s0 + \"x\"");
}

TEST(QuoteForErrorTest, EscapesAndCuts) {
  EXPECT_EQ(QuoteForError(std::string("a\tb\x01\xff", 5)), "a\\tb\\x01\\xff");
  const std::string quoted = QuoteForError(std::string(500000, 'x'));
  EXPECT_EQ(quoted, std::string(kMaxQuotedChars, 'x') + "... (500000 bytes)");
  EXPECT_EQ(QuoteForError("abcdef", 3), "abc... (6 bytes)");
}

TEST(TextInputUsersTest, ByteOrderMarkIsSkipped) {
  ProgramProto proto;
  EXPECT_TRUE(ParseTextProto("\xEF\xBB\xBFlearn { op: 1 }", "p", &proto).ok());
  EXPECT_TRUE(ParseProgram("\xEF\xBB\xBF"
                           "def Predict():\n  s1 = 0.5\n")
                  .ok());
}

TEST(TextInputUsersTest, LongLinesAreQuotedShort) {
  const absl::StatusOr<Program> program =
      ParseProgram("def Setup():\n  s1 = " + std::string(100000, 'y') + "\n");
  ASSERT_FALSE(program.ok());
  EXPECT_LT(program.status().message().size(), 300u);
  EXPECT_THAT(program.status().message(), HasSubstr("(100005 bytes)"));
}

TEST(HasProgramTextTest, BlankAndCommentsAreNoProgram) {
  EXPECT_FALSE(HasProgramText(""));
  EXPECT_FALSE(HasProgramText("\xEF\xBB\xBF# note\n\n   \n"));
  EXPECT_TRUE(HasProgramText("def Setup():\n"));
}

}  // namespace
}  // namespace automl
