// Tests of the text form of programs: the printed form of every op, print/parse
// round trips on random programs, and the parser's error messages.
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "instructions/instruction.h"
#include "instructions/ops.h"
#include "instructions/parser.h"
#include "instructions/printer.h"
#include "instructions/program.h"
#include "instructions/random.h"
#include "tests/test_util.h"

namespace automl {
namespace {

using ::testing::HasSubstr;

Instruction Data(Op op, int out, double data0, double data1 = 0.0, int index0 = 0, int index1 = 0) {
  Instruction ins = Ins(op, out);
  ins.data0 = data0;
  ins.data1 = data1;
  ins.index0 = static_cast<uint8_t>(index0);
  ins.index1 = static_cast<uint8_t>(index1);
  return ins;
}

constexpr double kInf = std::numeric_limits<double>::infinity();

struct PrintCase {
  Instruction instruction;
  const char* text;
};

// One line per op, in id order; this table doubles as the reference of the
// printed forms.
const std::vector<PrintCase>& PrintCases() {
  static const auto* const kCases = new std::vector<PrintCase>{
      {Ins(Op::NO_OP), "no_op"},
      {Ins(Op::SCALAR_SUM, 2, 0, 1), "s2 = s0 + s1"},
      {Ins(Op::SCALAR_DIFF, 3, 1, 2), "s3 = s1 - s2"},
      {Ins(Op::SCALAR_PRODUCT, 4, 2, 3), "s4 = s2 * s3"},
      {Ins(Op::SCALAR_DIVISION, 5, 0, 7), "s5 = s0 / s7"},
      {Ins(Op::SCALAR_ABS, 2, 3), "s2 = abs(s3)"},
      {Ins(Op::SCALAR_RECIPROCAL, 3, 4), "s3 = 1 / s4"},
      {Ins(Op::SCALAR_SIN, 4, 5), "s4 = sin(s5)"},
      {Ins(Op::SCALAR_COS, 5, 6), "s5 = cos(s6)"},
      {Ins(Op::SCALAR_TAN, 6, 7), "s6 = tan(s7)"},
      {Ins(Op::SCALAR_ARCSIN, 7, 0), "s7 = arcsin(s0)"},
      {Ins(Op::SCALAR_ARCCOS, 1, 2), "s1 = arccos(s2)"},
      {Ins(Op::SCALAR_ARCTAN, 2, 3), "s2 = arctan(s3)"},
      {Ins(Op::SCALAR_EXP, 3, 4), "s3 = exp(s4)"},
      {Ins(Op::SCALAR_LOG, 4, 5), "s4 = log(s5)"},
      {Ins(Op::SCALAR_HEAVISIDE, 5, 6), "s5 = heaviside(s6)"},
      {Ins(Op::VECTOR_HEAVISIDE, 1, 2), "v1 = heaviside(v2)"},
      {Ins(Op::MATRIX_HEAVISIDE, 0, 1), "m0 = heaviside(m1)"},
      {Ins(Op::SCALAR_VECTOR_PRODUCT, 2, 3, 1), "v2 = s3 * v1"},
      {Ins(Op::SCALAR_BROADCAST, 3, 1), "v3 = bcast(s1)"},
      {Ins(Op::VECTOR_RECIPROCAL, 1, 3), "v1 = 1 / v3"},
      {Ins(Op::VECTOR_NORM, 2, 1), "s2 = norm(v1)"},
      {Ins(Op::VECTOR_ABS, 2, 0), "v2 = abs(v0)"},
      {Ins(Op::VECTOR_SUM, 3, 0, 1), "v3 = v0 + v1"},
      {Ins(Op::VECTOR_DIFF, 1, 2, 3), "v1 = v2 - v3"},
      {Ins(Op::VECTOR_PRODUCT, 2, 3, 0), "v2 = v3 * v0"},
      {Ins(Op::VECTOR_DIVISION, 3, 1, 2), "v3 = v1 / v2"},
      {Ins(Op::VECTOR_INNER_PRODUCT, 1, 0, 1), "s1 = dot(v0, v1)"},
      {Ins(Op::VECTOR_OUTER_PRODUCT, 2, 1, 2), "m2 = outer(v1, v2)"},
      {Ins(Op::SCALAR_MATRIX_PRODUCT, 1, 2, 0), "m1 = s2 * m0"},
      {Ins(Op::MATRIX_RECIPROCAL, 2, 1), "m2 = 1 / m1"},
      {Ins(Op::MATRIX_VECTOR_PRODUCT, 1, 0, 0), "v1 = m0 @ v0"},
      {Ins(Op::VECTOR_COLUMN_BROADCAST, 0, 2), "m0 = bcast_cols(v2)"},
      {Ins(Op::VECTOR_ROW_BROADCAST, 1, 3), "m1 = bcast_rows(v3)"},
      {Ins(Op::MATRIX_NORM, 3, 2), "s3 = norm(m2)"},
      {Ins(Op::MATRIX_COLUMN_NORM, 2, 0), "v2 = col_norms(m0)"},
      {Ins(Op::MATRIX_ROW_NORM, 3, 1), "v3 = row_norms(m1)"},
      {Ins(Op::MATRIX_TRANSPOSE, 2, 0), "m2 = transpose(m0)"},
      {Ins(Op::MATRIX_ABS, 0, 1), "m0 = abs(m1)"},
      {Ins(Op::MATRIX_SUM, 1, 2, 0), "m1 = m2 + m0"},
      {Ins(Op::MATRIX_DIFF, 2, 0, 1), "m2 = m0 - m1"},
      {Ins(Op::MATRIX_PRODUCT, 0, 1, 2), "m0 = m1 * m2"},
      {Ins(Op::MATRIX_DIVISION, 1, 0, 0), "m1 = m0 / m0"},
      {Ins(Op::MATRIX_MATRIX_PRODUCT, 2, 1, 0), "m2 = m1 @ m0"},
      {Ins(Op::SCALAR_MIN, 1, 2, 3), "s1 = min(s2, s3)"},
      {Ins(Op::VECTOR_MIN, 1, 2, 3), "v1 = min(v2, v3)"},
      {Ins(Op::MATRIX_MIN, 1, 2, 0), "m1 = min(m2, m0)"},
      {Ins(Op::SCALAR_MAX, 2, 0, 1), "s2 = max(s0, s1)"},
      {Ins(Op::VECTOR_MAX, 2, 0, 1), "v2 = max(v0, v1)"},
      {Ins(Op::MATRIX_MAX, 0, 1, 2), "m0 = max(m1, m2)"},
      {Ins(Op::VECTOR_MEAN, 3, 1), "s3 = mean(v1)"},
      {Ins(Op::MATRIX_MEAN, 4, 1), "s4 = mean(m1)"},
      {Ins(Op::MATRIX_ROW_MEAN, 1, 2), "v1 = row_means(m2)"},
      {Ins(Op::MATRIX_ROW_ST_DEV, 2, 0), "v2 = row_stds(m0)"},
      {Ins(Op::VECTOR_ST_DEV, 5, 3), "s5 = std(v3)"},
      {Ins(Op::MATRIX_ST_DEV, 6, 2), "s6 = std(m2)"},
      {Data(Op::SCALAR_CONST_SET, 3, 0.01), "s3 = 0.01"},
      {Data(Op::VECTOR_CONST_SET, 1, -0.5, 0.0, 7), "v1[7] = -0.5"},
      {Data(Op::MATRIX_CONST_SET, 2, 1e-08, 0.0, 3, 5), "m2[3, 5] = 1e-08"},
      {Data(Op::SCALAR_UNIFORM_SET, 4, -1.0, 1.0), "s4 = uniform(-1, 1)"},
      {Data(Op::VECTOR_UNIFORM_SET, 2, -0.25, 0.75), "v2 = uniform(-0.25, 0.75)"},
      {Data(Op::MATRIX_UNIFORM_SET, 0, 0.0, 1e100), "m0 = uniform(0, 1e+100)"},
      {Data(Op::SCALAR_GAUSSIAN_SET, 7, 0.1, 2.0), "s7 = gaussian(0.1, 2)"},
      {Data(Op::VECTOR_GAUSSIAN_SET, 3, -kInf, kInf), "v3 = gaussian(-inf, inf)"},
      {Data(Op::MATRIX_GAUSSIAN_SET, 1, 123456.789, 1.5e-300),
       "m1 = gaussian(123456.789, 1.5e-300)"},
  };
  return *kCases;
}

TEST(PrinterParserTest, EveryOpPrintsAndParsesBack) {
  ASSERT_EQ(PrintCases().size(), static_cast<size_t>(kNumOps));
  for (int id = 0; id < kNumOps; ++id) {
    const PrintCase& c = PrintCases()[id];
    ASSERT_EQ(static_cast<int>(c.instruction.op), id) << "table out of order";
    EXPECT_EQ(PrintInstruction(c.instruction), c.text) << GetOpInfo(c.instruction.op).name;
    absl::StatusOr<Instruction> parsed = ParseInstruction(c.text);
    ASSERT_TRUE(parsed.ok()) << c.text << ": " << parsed.status();
    EXPECT_EQ(*parsed, c.instruction) << c.text;
    EXPECT_EQ(parsed->Hash(), c.instruction.Hash()) << c.text;
  }
}

TEST(PrinterParserTest, FormatDoubleIsShortestAndExact) {
  EXPECT_EQ(FormatDouble(0.1), "0.1");
  EXPECT_EQ(FormatDouble(-0.001), "-0.001");
  EXPECT_EQ(FormatDouble(1e-08), "1e-08");
  EXPECT_EQ(FormatDouble(kInf), "inf");
  EXPECT_EQ(FormatDouble(-kInf), "-inf");
  EXPECT_EQ(FormatDouble(std::nan("")), "nan");
  EXPECT_EQ(FormatDouble(-std::nan("")), "nan");
  EXPECT_EQ(FormatDouble(-0.0), "-0");
  EXPECT_EQ(FormatDouble(3.0), "3");
  EXPECT_EQ(FormatDouble(std::numeric_limits<double>::denorm_min()), "5e-324");
  EXPECT_EQ(FormatDouble(0.1 + 0.2), "0.30000000000000004");
}

TEST(PrinterParserTest, PrintsProgramInTheDocumentedLayout) {
  Program program;
  program.setup = {Data(Op::SCALAR_CONST_SET, 3, 0.01)};
  program.predict = {Ins(Op::VECTOR_INNER_PRODUCT, 1, 0, 1)};
  program.learn = {Ins(Op::SCALAR_DIFF, 2, 0, 1), Ins(Op::SCALAR_PRODUCT, 2, 3, 2),
                   Ins(Op::SCALAR_VECTOR_PRODUCT, 2, 2, 0), Ins(Op::VECTOR_SUM, 1, 1, 2)};
  const std::string expected =
      "def Setup():\n"
      "  s3 = 0.01\n"
      "def Predict():\n"
      "  s1 = dot(v0, v1)\n"
      "def Learn():\n"
      "  s2 = s0 - s1\n"
      "  s2 = s3 * s2\n"
      "  v2 = s2 * v0\n"
      "  v1 = v1 + v2\n";
  EXPECT_EQ(PrintProgram(program), expected);
  absl::StatusOr<Program> parsed = ParseProgram(expected);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(*parsed, program);

  EXPECT_EQ(PrintProgram(Program()), "def Setup():\ndef Predict():\ndef Learn():\n");
}

TEST(PrinterParserTest, RegisterKindsPickTheOp) {
  const struct {
    const char* text;
    Op op;
  } cases[] = {
      {"s1 = s2 * s3", Op::SCALAR_PRODUCT},        {"v1 = s2 * v3", Op::SCALAR_VECTOR_PRODUCT},
      {"v1 = v2 * v3", Op::VECTOR_PRODUCT},        {"m1 = s2 * m0", Op::SCALAR_MATRIX_PRODUCT},
      {"m1 = m2 * m0", Op::MATRIX_PRODUCT},        {"v1 = m2 @ v0", Op::MATRIX_VECTOR_PRODUCT},
      {"m1 = m2 @ m0", Op::MATRIX_MATRIX_PRODUCT}, {"s1 = norm(v1)", Op::VECTOR_NORM},
      {"s1 = norm(m1)", Op::MATRIX_NORM},          {"v1 = heaviside(v1)", Op::VECTOR_HEAVISIDE},
      {"m1 = 1 / m1", Op::MATRIX_RECIPROCAL},      {"s1 = 1 / s1", Op::SCALAR_RECIPROCAL},
      {"s1 = s1 / s1", Op::SCALAR_DIVISION},       {"m2 = gaussian(0, 1)", Op::MATRIX_GAUSSIAN_SET},
  };
  for (const auto& c : cases) {
    absl::StatusOr<Instruction> parsed = ParseInstruction(c.text);
    ASSERT_TRUE(parsed.ok()) << c.text << ": " << parsed.status();
    EXPECT_EQ(parsed->op, c.op) << c.text;
  }
}

TEST(PrinterParserTest, AcceptsFreeSpacingNumbersAndComments) {
  const struct {
    const char* text;
    Instruction expected;
  } cases[] = {
      {"s2=s0-s1", Ins(Op::SCALAR_DIFF, 2, 0, 1)},
      {"   s2   =  s0   -   s1   ", Ins(Op::SCALAR_DIFF, 2, 0, 1)},
      {"s1 = dot( v0 ,v1 )  # the prediction", Ins(Op::VECTOR_INNER_PRODUCT, 1, 0, 1)},
      {"s2 = -0.5", Data(Op::SCALAR_CONST_SET, 2, -0.5)},
      {"s2 = +2.5", Data(Op::SCALAR_CONST_SET, 2, 2.5)},
      {"s2 = - 3", Data(Op::SCALAR_CONST_SET, 2, -3.0)},
      {"s2 = .5", Data(Op::SCALAR_CONST_SET, 2, 0.5)},
      {"s2 = 1.5E+3", Data(Op::SCALAR_CONST_SET, 2, 1500.0)},
      {"s2 = 2e-3", Data(Op::SCALAR_CONST_SET, 2, 0.002)},
      {"s2 = -INF", Data(Op::SCALAR_CONST_SET, 2, -kInf)},
      {"s2 = infinity", Data(Op::SCALAR_CONST_SET, 2, kInf)},
      {"v1 = uniform(-1, 1)", Data(Op::VECTOR_UNIFORM_SET, 1, -1.0, 1.0)},
      {"v1 = uniform(-1e-3,-1e-4)", Data(Op::VECTOR_UNIFORM_SET, 1, -1e-3, -1e-4)},
      {"m1[ 2 ,3 ]=-7", Data(Op::MATRIX_CONST_SET, 1, -7.0, 0.0, 2, 3)},
      {"v3[255] = 1", Data(Op::VECTOR_CONST_SET, 3, 1.0, 0.0, 255)},
      {"s255 = s254 + s0", Ins(Op::SCALAR_SUM, 255, 254, 0)},
      {"s1 = 1.0 / s2", Ins(Op::SCALAR_RECIPROCAL, 1, 2)},
      {"no_op", Ins(Op::NO_OP)},
  };
  for (const auto& c : cases) {
    absl::StatusOr<Instruction> parsed = ParseInstruction(c.text);
    ASSERT_TRUE(parsed.ok()) << c.text << ": " << parsed.status();
    EXPECT_EQ(*parsed, c.expected) << c.text;
  }
  absl::StatusOr<Instruction> nan = ParseInstruction("s2 = nan");
  ASSERT_TRUE(nan.ok()) << nan.status();
  EXPECT_TRUE(std::isnan(nan->data0));
  absl::StatusOr<Instruction> negative_zero = ParseInstruction("s2 = -0");
  ASSERT_TRUE(negative_zero.ok()) << negative_zero.status();
  EXPECT_TRUE(std::signbit(negative_zero->data0));
}

TEST(PrinterParserTest, ParsesProgramsWithCommentsBlankLinesAndMissingFunctions) {
  const char* text =
      "# A hand-written linear regressor.\n"
      "\n"
      "def Predict():   # no Setup: it is empty\n"
      "s1 = dot(v0, v1)\n"
      "   \t\n"
      "def   Learn ( ) :\r\n"
      "  s2 = s0 - s1\r\n"
      "  # s2 = s2 * s2\n"
      "  v2 = s2 * v0\n";
  absl::StatusOr<Program> parsed = ParseProgram(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(parsed->setup.empty());
  EXPECT_EQ(parsed->predict, std::vector<Instruction>{Ins(Op::VECTOR_INNER_PRODUCT, 1, 0, 1)});
  EXPECT_EQ(parsed->learn, (std::vector<Instruction>{Ins(Op::SCALAR_DIFF, 2, 0, 1),
                                                     Ins(Op::SCALAR_VECTOR_PRODUCT, 2, 2, 0)}));

  absl::StatusOr<Program> empty = ParseProgram("");
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->size(), 0);
  absl::StatusOr<Program> only_learn = ParseProgram("def Learn():\n");
  ASSERT_TRUE(only_learn.ok()) << only_learn.status();
  EXPECT_EQ(only_learn->size(), 0);
}

// --- Random programs ---

const MachineShape kShape = {/*num_scalars=*/8, /*num_vectors=*/4,
                             /*num_matrices=*/3,
                             /*feature_size=*/8};

Program RandomProgram(Rng& rng) {
  Program program;
  for (ComponentFunction function : kAllComponentFunctions) {
    const int size = rng.UniformIntIn(0, 13);
    for (int i = 0; i < size; ++i) {
      const Op op = AllOps()[rng.UniformInt(kNumOps)];
      program.function(function).push_back(RandomInstructionForOp(op, kShape, rng));
    }
  }
  return program;
}

// Values that stress the number format: extremes, subnormals, signed zero, long
// mantissas.
double ExtremeValue(Rng& rng) {
  static const double kValues[] = {std::numeric_limits<double>::denorm_min(),
                                   std::numeric_limits<double>::min(),
                                   std::numeric_limits<double>::max(),
                                   std::numeric_limits<double>::epsilon(),
                                   -0.0,
                                   0.0,
                                   kInf,
                                   -kInf,
                                   1e21,
                                   123456789012345678.0,
                                   1.0 / 3.0,
                                   -2.5e-310};
  constexpr int kCount = sizeof(kValues) / sizeof(kValues[0]);
  const double value = kValues[rng.UniformInt(kCount)];
  return rng.Bernoulli(0.5) ? -value : value;
}

// Alters the constants of `program` many times, and replaces some with extreme
// values or rescales them by up to 2^+-1000.
void StressConstants(Program& program, Rng& rng) {
  for (ComponentFunction function : kAllComponentFunctions) {
    for (Instruction& ins : program.function(function)) {
      const int alterations = rng.UniformIntIn(0, 100);
      for (int i = 0; i < alterations; ++i) AlterOneParameter(ins, kShape, rng);
      const OpDataKind data = GetOpInfo(ins.op).data;
      if (data == OpDataKind::kNone) continue;
      const bool two_values = data == OpDataKind::kUniform || data == OpDataKind::kGaussian;
      const double choice = rng.UniformDouble();
      if (choice < 0.2) {
        ins.data0 = ExtremeValue(rng);
        if (two_values) ins.data1 = ExtremeValue(rng);
      } else if (choice < 0.5) {
        ins.data0 *= std::exp2(rng.Uniform(-1000.0, 1000.0));
        if (two_values) ins.data1 *= std::exp2(rng.Uniform(-1000.0, 1000.0));
      }
    }
  }
}

void ExpectRoundTrip(const Program& program, uint64_t seed) {
  const std::string text = PrintProgram(program);
  absl::StatusOr<Program> parsed = ParseProgram(text);
  ASSERT_TRUE(parsed.ok()) << "seed " << seed << ": " << parsed.status() << "\n" << text;
  EXPECT_EQ(*parsed, program) << "seed " << seed << "\n" << text;
  // The hash compares the doubles bit for bit, so it also catches a lost sign
  // of zero.
  EXPECT_EQ(parsed->Hash(), program.Hash()) << "seed " << seed << "\n" << text;
  EXPECT_EQ(PrintProgram(*parsed), text) << "seed " << seed;
  EXPECT_TRUE(ValidateProgram(*parsed, kShape).ok()) << "seed " << seed;
}

TEST(PrinterParserTest, RandomProgramsRoundTrip) {
  for (uint64_t seed = 0; seed < 2000; ++seed) {
    Rng rng(seed);
    ExpectRoundTrip(RandomProgram(rng), seed);
    if (HasFailure()) return;
  }
}

TEST(PrinterParserTest, RandomProgramsWithStressedConstantsRoundTrip) {
  int altered_constants = 0;
  for (uint64_t seed = 0; seed < 2000; ++seed) {
    Rng rng(DeriveSeed(seed, 1));
    Program program = RandomProgram(rng);
    const Program original = program;
    StressConstants(program, rng);
    if (program != original) ++altered_constants;
    ExpectRoundTrip(program, seed);
    if (HasFailure()) return;
  }
  // Guards against a stress step that silently does nothing.
  EXPECT_GT(altered_constants, 1000);
}

// --- Errors ---

std::string ProgramError(const std::string& text) {
  absl::StatusOr<Program> parsed = ParseProgram(text);
  EXPECT_FALSE(parsed.ok()) << text;
  if (parsed.ok()) return "";
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(parsed.status().message());
}

TEST(PrinterParserTest, ErrorsNameLineAndCulprit) {
  EXPECT_EQ(ProgramError("def Setup():\n  s3 = 0.1\ndef Predict():\n  s2 = foo(s0)\n"),
            "line 4: unknown op 'foo' in \"s2 = foo(s0)\"");
  EXPECT_EQ(ProgramError("def Setup():\n  s1 = s0 +\n"),
            "line 2: cannot parse instruction \"s1 = s0 +\"");
  EXPECT_EQ(ProgramError("# comment\n\n  s1 = s0 + s0\ndef Setup():\n"),
            "line 3: instruction \"s1 = s0 + s0\" outside a function "
            "(expected \"def Setup():\")");
  EXPECT_EQ(ProgramError("def Setup():\n\n\n\n\n\n  x3 = s0 + s1  # bad\n"),
            "line 7: register 'x3' is not a scalar/vector/matrix register in "
            "\"x3 = s0 + s1\"");
}

TEST(PrinterParserTest, FunctionHeaderErrors) {
  EXPECT_EQ(ProgramError("def Learn():\ndef Predict():\n"),
            "line 2: function Predict after Learn (functions must come in the order "
            "Setup, Predict, Learn)");
  EXPECT_EQ(ProgramError("def Setup():\n  s2 = s0\n"),
            "line 2: cannot parse instruction \"s2 = s0\"");
  EXPECT_EQ(ProgramError("def Setup():\n  s2 = 1\ndef Setup():\n"),
            "line 3: function Setup is defined twice");
  EXPECT_EQ(ProgramError("def Train():\n"),
            "line 1: unknown function 'Train' in \"def Train():\" (expected "
            "Setup, Predict "
            "or Learn)");
  EXPECT_THAT(ProgramError("\ndef Setup()\n"),
              HasSubstr("line 2: cannot parse function header \"def Setup()\""));
  EXPECT_THAT(ProgramError("def setup():\n"), HasSubstr("unknown function 'setup'"));
}

std::string InstructionError(const std::string& text) {
  absl::StatusOr<Instruction> parsed = ParseInstruction(text);
  EXPECT_FALSE(parsed.ok()) << text;
  if (parsed.ok()) return "";
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(parsed.status().message());
}

TEST(PrinterParserTest, InstructionErrorsNameTheCulprit) {
  EXPECT_EQ(InstructionError("s2 = s0 $ s1"), "unexpected character '$' in \"s2 = s0 $ s1\"");
  EXPECT_EQ(InstructionError("noop"), "unknown op 'noop' in \"noop\"");
  EXPECT_EQ(InstructionError("s1 = dot(v0)"), "cannot parse instruction \"s1 = dot(v0)\"");
  EXPECT_EQ(InstructionError("s1 = s0 + q1"),
            "register 'q1' is not a scalar/vector/matrix register in \"s1 = s0 "
            "+ q1\"");
  EXPECT_EQ(InstructionError("s1 = sin(sx)"),
            "register 'sx' is not a scalar/vector/matrix register in \"s1 = "
            "sin(sx)\"");
  EXPECT_EQ(InstructionError("s256 = s0 + s1"),
            "register 's256' is out of range (addresses must be below 256) in "
            "\"s256 = s0 + s1\"");
  EXPECT_EQ(InstructionError("v1[256] = 1"),
            "element index '256' is not an integer in [0, 255] in \"v1[256] = 1\"");
  EXPECT_EQ(InstructionError("v1[1.5] = 1"),
            "element index '1.5' is not an integer in [0, 255] in \"v1[1.5] = 1\"");
  EXPECT_EQ(InstructionError("s1 = 1.2.3"), "bad number '1.2.3' in \"s1 = 1.2.3\"");
  EXPECT_EQ(InstructionError("s1 = -1e400"),
            "number '-1e400' is out of the range of a double in \"s1 = -1e400\"");
  EXPECT_EQ(InstructionError("s2 = v0 * m1"),
            "no op takes these register kinds in \"s2 = v0 * m1\" (possible: s "
            "= s * s; "
            "v = s * v; v = v * v; m = s * m; m = m * m)");
  EXPECT_THAT(InstructionError("v1 = dot(v0, v1)"), HasSubstr("s = dot(v, v)"));
  EXPECT_EQ(InstructionError("   # only a comment"), "empty instruction");
  EXPECT_THAT(InstructionError("s1 = s0 + s1 extra"), HasSubstr("cannot parse instruction"));
}

// --- Files ---

TEST(PrinterParserTest, ParsesProgramFiles) {
  Rng rng(42);
  const Program program = RandomProgram(rng);
  const std::string path = TempPath("program.txt");
  std::FILE* file = std::fopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr);
  const std::string text = PrintProgram(program);
  ASSERT_EQ(std::fwrite(text.data(), 1, text.size(), file), text.size());
  ASSERT_EQ(std::fclose(file), 0);
  absl::StatusOr<Program> parsed = ParseProgramFile(path);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(*parsed, program);

  const std::string bad_path = TempPath("bad_program.txt");
  file = std::fopen(bad_path.c_str(), "wb");
  ASSERT_NE(file, nullptr);
  std::fputs("def Setup():\n  s1 = bogus(s0)\n", file);
  ASSERT_EQ(std::fclose(file), 0);
  absl::StatusOr<Program> bad = ParseProgramFile(bad_path);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr(bad_path));
  EXPECT_THAT(bad.status().message(), HasSubstr("line 2: unknown op 'bogus'"));
}

TEST(PrinterParserTest, MissingOrUnreadableProgramFileNamesThePath) {
  const std::string missing = TempPath("no_such_program.txt");
  absl::StatusOr<Program> parsed = ParseProgramFile(missing);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(parsed.status().message(), HasSubstr(missing));

  const std::string directory = TempPath("");
  absl::StatusOr<Program> from_directory = ParseProgramFile(directory);
  ASSERT_FALSE(from_directory.ok());
  EXPECT_THAT(from_directory.status().message(), HasSubstr(directory));
}

}  // namespace
}  // namespace automl
