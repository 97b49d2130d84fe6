// Tests of the mutator and the random program generator (evolution/mutator.h,
// evolution/generator.h): every mutation changes only the part it should and keeps sizes within
// [min_size, max_size], mutations are reproducible by seed, REMOVE_INSTRUCTION is drawn twice
// as often as INSERT_INSTRUCTION, functions with no ops are never touched, random programs
// never write the label s0 or the features v0, TUNE_CONSTANT's values (TuneValue) reach decay
// factors near 1 at the documented rate and fine-tune them, INSERT_INITIALIZED_INPUT links a
// free register, initialised in Setup on a log scale, to a new reader in Predict or Learn, and
// INSERT_INITIALIZED_UPDATE links it to an in-place update of a register that function uses.
#include "evolution/mutator.h"

#include <cmath>
#include <map>
#include <vector>

#include "evolution/experiment_spec.pb.h"
#include "evolution/generator.h"
#include "evolution/search_space.h"
#include "gtest/gtest.h"
#include "instructions/instruction.h"
#include "instructions/ops.h"
#include "instructions/program.h"
#include "instructions/random.h"

namespace automl {
namespace {

constexpr int kSetup = static_cast<int>(ComponentFunction::kSetup);
constexpr int kPredict = static_cast<int>(ComponentFunction::kPredict);
constexpr int kLearn = static_cast<int>(ComponentFunction::kLearn);

// Every op of the table except NO_OP, so that every operand kind and op-data kind occurs.
std::vector<Op> AllRealOps() {
  std::vector<Op> ops;
  for (Op op : AllOps()) {
    if (op != Op::NO_OP) ops.push_back(op);
  }
  return ops;
}

// A space with room to grow and shrink in every function: sizes in [2, 6], initial 4.
SearchSpace FlexibleSpace() {
  SearchSpace space;
  space.shape = MachineShape{5, 4, 2, 4};
  for (FunctionSpace& function : space.functions) {
    function.ops = AllRealOps();
    function.initial_size = 4;
    function.min_size = 2;
    function.max_size = 6;
  }
  return space;
}

// Only Learn may change; Setup and Predict have no ops.
SearchSpace LearnOnlySpace() {
  SearchSpace space = FlexibleSpace();
  space.functions[kSetup].ops.clear();
  space.functions[kPredict].ops.clear();
  return space;
}

int FunctionSize(const Program& program, ComponentFunction f) {
  return static_cast<int>(program.function(f).size());
}

// The functions whose instruction lists differ between `a` and `b`.
std::vector<ComponentFunction> ChangedFunctions(const Program& a, const Program& b) {
  std::vector<ComponentFunction> changed;
  for (ComponentFunction f : kAllComponentFunctions) {
    if (a.function(f) != b.function(f)) changed.push_back(f);
  }
  return changed;
}

// Positions at which two equally long instruction lists differ.
std::vector<int> DifferingPositions(const std::vector<Instruction>& a,
                                    const std::vector<Instruction>& b) {
  std::vector<int> positions;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) positions.push_back(static_cast<int>(i));
  }
  return positions;
}

// True if erasing one instruction of `longer` gives `shorter`.
bool IsOneInsertionOf(const std::vector<Instruction>& longer,
                      const std::vector<Instruction>& shorter) {
  if (longer.size() != shorter.size() + 1) return false;
  for (size_t skip = 0; skip < longer.size(); ++skip) {
    std::vector<Instruction> erased = longer;
    erased.erase(erased.begin() + skip);
    if (erased == shorter) return true;
  }
  return false;
}

// True if removing one instruction of `before` and inserting one somewhere gives `after`.
bool IsOneTradeOf(const std::vector<Instruction>& after, const std::vector<Instruction>& before) {
  if (after.size() != before.size() || before.empty()) return false;
  for (size_t removed = 0; removed < before.size(); ++removed) {
    std::vector<Instruction> shorter = before;
    shorter.erase(shorter.begin() + removed);
    if (IsOneInsertionOf(after, shorter)) return true;
  }
  return false;
}

bool ProgramWithinSizes(const Program& program, const SearchSpace& space) {
  for (ComponentFunction f : kAllComponentFunctions) {
    const int size = FunctionSize(program, f);
    if (size < space.function(f).min_size || size > space.function(f).max_size) return false;
  }
  return true;
}

// Every instruction uses an op of its function's list and never writes s0 or v0.
void ExpectRandomInstructionsLegal(const Program& program, const SearchSpace& space) {
  for (ComponentFunction f : kAllComponentFunctions) {
    const std::vector<Op>& ops = space.function(f).ops;
    for (const Instruction& ins : program.function(f)) {
      if (ops.empty()) {
        EXPECT_EQ(ins.op, Op::NO_OP) << ComponentFunctionName(f);
        continue;
      }
      EXPECT_NE(std::find(ops.begin(), ops.end(), ins.op), ops.end())
          << ComponentFunctionName(f) << " uses an op outside its list: " << GetOpInfo(ins.op).name;
      const OpInfo& info = GetOpInfo(ins.op);
      if (info.out == OperandKind::S) {
        EXPECT_NE(ins.out, kLabelScalarAddress) << info.name << " writes the label s0";
      }
      if (info.out == OperandKind::V) {
        EXPECT_NE(ins.out, kFeaturesVectorAddress) << info.name << " writes the features v0";
      }
    }
  }
  EXPECT_TRUE(ValidateProgram(program, space.shape).ok());
}

// --- The generator ---

TEST(GeneratorTest, RandomProgramsHaveInitialSizesAndNeverWriteLabelOrFeatures) {
  const SearchSpace space = FlexibleSpace();
  Rng rng(7);
  int scalar_writes = 0;
  int vector_writes = 0;
  for (int i = 0; i < 300; ++i) {
    const Program program = RandomProgram(space, rng);
    for (ComponentFunction f : kAllComponentFunctions) {
      EXPECT_EQ(FunctionSize(program, f), space.function(f).initial_size);
      for (const Instruction& ins : program.function(f)) {
        scalar_writes += GetOpInfo(ins.op).out == OperandKind::S;
        vector_writes += GetOpInfo(ins.op).out == OperandKind::V;
      }
    }
    ExpectRandomInstructionsLegal(program, space);
  }
  // The check above must have had writes of both kinds to look at.
  EXPECT_GT(scalar_writes, 500);
  EXPECT_GT(vector_writes, 500);
}

TEST(GeneratorTest, RandomProgramsUseEveryAllowedOutputRegister) {
  // Outputs skip s0/v0 but must still reach every other register, including the last.
  SearchSpace space = FlexibleSpace();
  for (FunctionSpace& function : space.functions) {
    function.ops = {Op::SCALAR_SUM, Op::VECTOR_SUM};
  }
  Rng rng(11);
  std::map<int, int> scalar_outputs;
  std::map<int, int> vector_outputs;
  for (int i = 0; i < 200; ++i) {
    for (const Instruction& ins : RandomProgram(space, rng).learn) {
      (ins.op == Op::SCALAR_SUM ? scalar_outputs : vector_outputs)[ins.out]++;
    }
  }
  EXPECT_EQ(scalar_outputs.size(), static_cast<size_t>(space.shape.num_scalars - 1));
  EXPECT_EQ(vector_outputs.size(), static_cast<size_t>(space.shape.num_vectors - 1));
  EXPECT_EQ(scalar_outputs.count(0), 0u);
  EXPECT_EQ(vector_outputs.count(0), 0u);
}

TEST(GeneratorTest, FunctionsWithoutOpsAreNoOps) {
  const SearchSpace space = LearnOnlySpace();
  Rng rng(3);
  const Program program = RandomProgram(space, rng);
  EXPECT_EQ(program.setup, std::vector<Instruction>(4));
  EXPECT_EQ(program.predict, std::vector<Instruction>(4));
  EXPECT_EQ(FunctionSize(program, ComponentFunction::kLearn), 4);
  for (const Instruction& ins : program.learn) EXPECT_NE(ins.op, Op::NO_OP);
}

TEST(GeneratorTest, HandWrittenInitialProgramIsPaddedOrRejected) {
  SearchSpace space;
  space.shape = MachineShape{4, 3, 0, 4};
  for (FunctionSpace& function : space.functions) {
    function.initial_size = 6;
    function.min_size = 0;
    function.max_size = 8;
  }
  Rng rng(1);
  absl::StatusOr<Program> program = InitialProgram(LINEAR_PROGRAM, space, rng);
  ASSERT_TRUE(program.ok()) << program.status();
  for (ComponentFunction f : kAllComponentFunctions) EXPECT_EQ(FunctionSize(*program, f), 6);
  EXPECT_EQ(program->predict[0].op, Op::VECTOR_INNER_PRODUCT);
  EXPECT_EQ(program->predict[1].op, Op::NO_OP);

  space.functions[kLearn].max_size = 3;  // The linear learner's Learn has 4 instructions.
  program = InitialProgram(LINEAR_PROGRAM, space, rng);
  ASSERT_FALSE(program.ok());
  EXPECT_NE(program.status().message().find("max_size"), std::string::npos) << program.status();

  // The two-layer network needs matrices, which this shape lacks.
  space.functions[kLearn].max_size = 10;
  program = InitialProgram(TWO_LAYER_NETWORK, space, rng);
  ASSERT_FALSE(program.ok());
  EXPECT_NE(program.status().message().find("registers"), std::string::npos) << program.status();
}

// --- Each mutation ---

class MutationTest : public ::testing::Test {
 public:
  // Runs `check(before, after)` on many random programs mutated by `type`. With
  // `may_not_apply`, a program the mutation cannot apply to must come back unchanged and is
  // skipped; the rest must apply.
  template <typename Check>
  void ForManyMutations(MutationType type, const SearchSpace& space, Check check,
                        bool may_not_apply = false) {
    const Mutator mutator(space, {type}, 1.0);
    Rng rng(1234 + static_cast<int>(type));
    int applied = 0;
    for (int trial = 0; trial < 300; ++trial) {
      const Program before = RandomProgram(space, rng);
      Program after = before;
      if (!mutator.MutateWith(type, after, rng)) {
        ASSERT_TRUE(may_not_apply) << MutationType_Name(type) << " did not apply";
        ASSERT_EQ(after, before) << MutationType_Name(type);
        continue;
      }
      ++applied;
      ASSERT_TRUE(ProgramWithinSizes(after, space)) << MutationType_Name(type);
      ExpectRandomInstructionsLegal(after, space);
      check(before, after);
    }
    EXPECT_GT(applied, 250) << MutationType_Name(type);
  }
};

TEST_F(MutationTest, AlterParamChangesOneInstructionKeepingItsOp) {
  int changed = 0;
  ForManyMutations(ALTER_PARAM, FlexibleSpace(), [&](const Program& before, const Program& after) {
    const std::vector<ComponentFunction> functions = ChangedFunctions(before, after);
    ASSERT_LE(functions.size(), 1u);
    if (functions.empty()) return;  // A redrawn address may come out the same.
    ++changed;
    const ComponentFunction f = functions[0];
    ASSERT_EQ(FunctionSize(before, f), FunctionSize(after, f));
    const std::vector<int> positions = DifferingPositions(before.function(f), after.function(f));
    ASSERT_EQ(positions.size(), 1u);
    EXPECT_EQ(before.function(f)[positions[0]].op, after.function(f)[positions[0]].op);
  });
  EXPECT_GT(changed, 200);
}

TEST_F(MutationTest, RandomizeInstructionChangesOnePosition) {
  int changed = 0;
  ForManyMutations(
      RANDOMIZE_INSTRUCTION, FlexibleSpace(), [&](const Program& before, const Program& after) {
        const std::vector<ComponentFunction> functions = ChangedFunctions(before, after);
        ASSERT_LE(functions.size(), 1u);
        if (functions.empty()) return;
        ++changed;
        const ComponentFunction f = functions[0];
        ASSERT_EQ(FunctionSize(before, f), FunctionSize(after, f));
        EXPECT_EQ(DifferingPositions(before.function(f), after.function(f)).size(), 1u);
      });
  EXPECT_GT(changed, 280);
}

TEST_F(MutationTest, RandomizeFunctionChangesOneFunctionKeepingItsSize) {
  int functions_hit[3] = {0, 0, 0};
  ForManyMutations(
      RANDOMIZE_FUNCTION, FlexibleSpace(), [&](const Program& before, const Program& after) {
        const std::vector<ComponentFunction> functions = ChangedFunctions(before, after);
        ASSERT_EQ(functions.size(), 1u);
        const ComponentFunction f = functions[0];
        ++functions_hit[static_cast<int>(f)];
        EXPECT_EQ(FunctionSize(before, f), FunctionSize(after, f));
        // A whole new function, not one changed instruction.
        EXPECT_GE(DifferingPositions(before.function(f), after.function(f)).size(), 3u);
      });
  for (int hits : functions_hit) EXPECT_GT(hits, 50);
}

TEST_F(MutationTest, InsertInstructionAddsOneInstructionToOneFunction) {
  ForManyMutations(
      INSERT_INSTRUCTION, FlexibleSpace(), [&](const Program& before, const Program& after) {
        const std::vector<ComponentFunction> functions = ChangedFunctions(before, after);
        ASSERT_EQ(functions.size(), 1u);
        const ComponentFunction f = functions[0];
        EXPECT_TRUE(IsOneInsertionOf(after.function(f), before.function(f)));
      });
}

TEST_F(MutationTest, RemoveInstructionRemovesOneInstructionFromOneFunction) {
  ForManyMutations(
      REMOVE_INSTRUCTION, FlexibleSpace(), [&](const Program& before, const Program& after) {
        const std::vector<ComponentFunction> functions = ChangedFunctions(before, after);
        ASSERT_EQ(functions.size(), 1u);
        const ComponentFunction f = functions[0];
        EXPECT_TRUE(IsOneInsertionOf(before.function(f), after.function(f)));
      });
}

TEST_F(MutationTest, TradeInstructionRemovesOneAndInsertsOne) {
  ForManyMutations(
      TRADE_INSTRUCTION, FlexibleSpace(), [&](const Program& before, const Program& after) {
        const std::vector<ComponentFunction> functions = ChangedFunctions(before, after);
        ASSERT_LE(functions.size(), 1u);
        if (functions.empty()) return;
        const ComponentFunction f = functions[0];
        EXPECT_TRUE(IsOneTradeOf(after.function(f), before.function(f)));
      });
}

TEST_F(MutationTest, TuneConstantChangesOneDataValueOnly) {
  int changed = 0;
  // Mostly ops with op data, so that every random program has some to tune.
  SearchSpace space = FlexibleSpace();
  for (FunctionSpace& function : space.functions) {
    function.ops.clear();
    for (Op op : AllRealOps()) {
      if (GetOpInfo(op).data != OpDataKind::kNone) function.ops.push_back(op);
    }
    function.ops.push_back(Op::SCALAR_SUM);
  }
  ForManyMutations(TUNE_CONSTANT, space, [&](const Program& before, const Program& after) {
    const std::vector<ComponentFunction> functions = ChangedFunctions(before, after);
    ASSERT_LE(functions.size(), 1u);
    if (functions.empty()) return;  // A nudge of an exact anchor (e.g. 0) changes nothing.
    ++changed;
    const ComponentFunction f = functions[0];
    const std::vector<int> positions = DifferingPositions(before.function(f), after.function(f));
    ASSERT_EQ(positions.size(), 1u);
    const Instruction& old_ins = before.function(f)[positions[0]];
    const Instruction& new_ins = after.function(f)[positions[0]];
    // Same op, addresses and indices; exactly one of the two values differs.
    Instruction same_values = new_ins;
    same_values.data0 = old_ins.data0;
    same_values.data1 = old_ins.data1;
    EXPECT_EQ(same_values, old_ins);
    EXPECT_NE(new_ins.data0 != old_ins.data0, new_ins.data1 != old_ins.data1);
    EXPECT_GT(NumDataValues(new_ins), 0);
  });
  EXPECT_GT(changed, 280);
}

TEST_F(MutationTest, TuneConstantReachesEveryValueOfEveryInstructionWithOpData) {
  // A program with one instruction per op-data kind (two values for uniform and gaussian):
  // tuning must reach all 7 values, and leave the NO_OP and the op without data alone.
  SearchSpace space = FlexibleSpace();
  Program start = NoOpProgramForSpace(space);
  const Op ops[] = {Op::SCALAR_CONST_SET,   Op::VECTOR_CONST_SET,    Op::MATRIX_CONST_SET,
                    Op::SCALAR_UNIFORM_SET, Op::VECTOR_GAUSSIAN_SET, Op::SCALAR_SUM};
  Rng rng(17);
  start.setup.clear();
  for (Op op : ops) start.setup.push_back(RandomInstructionForOp(op, space.shape, rng));
  const Mutator mutator(space, {TUNE_CONSTANT}, 1.0);
  std::map<std::pair<int, int>, int> hits;  // (position, which value) -> count
  for (int i = 0; i < 3500; ++i) {
    Program program = start;
    ASSERT_TRUE(mutator.MutateWith(TUNE_CONSTANT, program, rng));
    EXPECT_EQ(program.predict, start.predict);
    EXPECT_EQ(program.learn, start.learn);
    for (int position = 0; position < static_cast<int>(start.setup.size()); ++position) {
      if (program.setup[position].data0 != start.setup[position].data0) ++hits[{position, 0}];
      if (program.setup[position].data1 != start.setup[position].data1) ++hits[{position, 1}];
    }
  }
  // 5 instructions with data, picked uniformly (700 each); a two-value one splits its 700.
  ASSERT_EQ(hits.size(), 7u);
  for (const auto& [key, count] : hits) {
    EXPECT_LT(key.first, 5) << "the op without data changed";
    const bool two_values = key.first == 3 || key.first == 4;
    EXPECT_GT(count, two_values ? 250 : 600) << "position " << key.first;
  }
}

// --- INSERT_INITIALIZED_INPUT ---

// Whether `kind` register `address` is read or written by an instruction of `function`.
bool UsesRegister(const std::vector<Instruction>& function, OperandKind kind, int address) {
  for (const Instruction& ins : function) {
    const OpInfo& info = GetOpInfo(ins.op);
    if ((info.out == kind && ins.out == address) || (info.in1 == kind && ins.in1 == address) ||
        (info.in2 == kind && ins.in2 == address)) {
      return true;
    }
  }
  return false;
}

// Whether `kind` register `address` is read or written by any instruction of `program`.
bool UsesRegister(const Program& program, OperandKind kind, int address) {
  for (ComponentFunction f : kAllComponentFunctions) {
    if (UsesRegister(program.function(f), kind, address)) return true;
  }
  return false;
}

// The instruction of `longer` whose removal gives `shorter` (one insertion apart).
Instruction InsertedInstruction(const std::vector<Instruction>& longer,
                                const std::vector<Instruction>& shorter) {
  size_t i = 0;
  while (i < shorter.size() && longer[i] == shorter[i]) ++i;
  return longer[i];
}

// An INSERT_INITIALIZED_* mutation of `before`: the Setup instruction it inserted, the kind of
// register it initialises, the function it inserted the reader into and the reader.
struct InitializedInsertion {
  Instruction init;
  OperandKind kind;
  ComponentFunction reader;
  Instruction use;
};

// Checks what both INSERT_INITIALIZED_* mutations share on many random programs (a free
// register, never s0, s1 or v0, initialised in Setup and read by one instruction inserted into
// Predict or Learn; all three kinds and both functions come up), then `check_use` on each.
template <typename CheckUse>
void ForManyInitializedInsertions(MutationTest& test, MutationType type, CheckUse check_use) {
  SearchSpace space = FlexibleSpace();
  space.shape = MachineShape{8, 8, 4, 4};  // Random programs leave registers free.
  std::map<OperandKind, int> kinds;
  std::map<ComponentFunction, int> readers;
  test.ForManyMutations(
      type, space,
      [&](const Program& before, const Program& after) {
        ASSERT_TRUE(IsOneInsertionOf(after.setup, before.setup));
        InitializedInsertion insertion;
        insertion.init = InsertedInstruction(after.setup, before.setup);
        insertion.kind = GetOpInfo(insertion.init.op).out;
        ++kinds[insertion.kind];
        EXPECT_FALSE(UsesRegister(before, insertion.kind, insertion.init.out))
            << "the register was in use";
        if (insertion.kind == OperandKind::S) {
          EXPECT_GT(insertion.init.out, kPredictionScalarAddress);
        }
        if (insertion.kind == OperandKind::V) {
          EXPECT_NE(insertion.init.out, kFeaturesVectorAddress);
        }
        // Exactly one of Predict and Learn gained one instruction, which reads the register.
        insertion.reader = after.predict != before.predict ? ComponentFunction::kPredict
                                                           : ComponentFunction::kLearn;
        ++readers[insertion.reader];
        EXPECT_EQ(ChangedFunctions(before, after).size(), 2u);
        const std::vector<Instruction>& old_reader = before.function(insertion.reader);
        ASSERT_TRUE(IsOneInsertionOf(after.function(insertion.reader), old_reader));
        insertion.use = InsertedInstruction(after.function(insertion.reader), old_reader);
        check_use(before, insertion);
      },
      /*may_not_apply=*/type == INSERT_INITIALIZED_UPDATE);
  EXPECT_EQ(kinds.size(), 3u);
  EXPECT_EQ(readers.size(), 2u);
}

TEST_F(MutationTest, InsertInitializedInputLinksAFreeRegisterToANewReader) {
  ForManyInitializedInsertions(
      *this, INSERT_INITIALIZED_INPUT, [](const Program&, const InitializedInsertion& insertion) {
        const Instruction& use = insertion.use;
        const OpInfo& info = GetOpInfo(use.op);
        EXPECT_TRUE((info.in1 == insertion.kind && use.in1 == insertion.init.out) ||
                    (info.in2 == insertion.kind && use.in2 == insertion.init.out))
            << info.name << " does not read the new register";
      });
}

TEST(InsertInitializedInputTest, ConstantsAreDrawnOnALogScale) {
  SearchSpace space = FlexibleSpace();
  space.shape = MachineShape{8, 8, 4, 4};
  space.functions[kSetup].ops = {Op::SCALAR_CONST_SET};
  const Mutator mutator(space, {INSERT_INITIALIZED_INPUT}, 1.0);
  Rng rng(77);
  const Program start = NoOpProgramForSpace(space);
  int decays = 0;
  for (int i = 0; i < 20000; ++i) {
    Program program = start;
    ASSERT_TRUE(mutator.MutateWith(INSERT_INITIALIZED_INPUT, program, rng));
    const Instruction init = InsertedInstruction(program.setup, start.setup);
    ASSERT_EQ(init.op, Op::SCALAR_CONST_SET);
    const double magnitude = std::abs(init.data0);
    const bool small = magnitude >= 1e-4 && magnitude <= 1.0;
    const bool near_one = std::abs(magnitude - 1.0) >= 1e-5 && std::abs(magnitude - 1.0) <= 0.1;
    ASSERT_TRUE(small || near_one) << init.data0;
    decays += init.data0 >= 0.9995 && init.data0 <= 0.9999;
  }
  // Sign 1/2, near one 1/2, below one 1/2, 0.7 of 4 decades: 2.2% (expected 437, sd 21).
  // U[-1, 1) would give 0.02%.
  EXPECT_GT(decays, 370);
  EXPECT_LT(decays, 505);
}

TEST(InsertInitializedInputTest, DoesNotApplyWithoutAFreeRegisterOrRoom) {
  SearchSpace space = FlexibleSpace();
  space.shape = MachineShape{3, 2, 1, 4};
  space.functions[kSetup].ops = {Op::SCALAR_CONST_SET};
  const Mutator mutator(space, {INSERT_INITIALIZED_INPUT, IDENTITY}, 1.0);
  Rng rng(5);
  Program program = NoOpProgramForSpace(space);
  // s2 is the only free scalar; once linked, nothing is free.
  ASSERT_TRUE(mutator.MutateWith(INSERT_INITIALIZED_INPUT, program, rng));
  const Program linked = program;
  EXPECT_FALSE(mutator.MutateWith(INSERT_INITIALIZED_INPUT, program, rng));
  EXPECT_EQ(program, linked);
  EXPECT_EQ(mutator.Mutate(program, rng), IDENTITY);

  // Setup at its max size.
  program = NoOpProgramForSpace(space);
  space.functions[kSetup].max_size = space.functions[kSetup].initial_size;
  const Mutator full(space, {INSERT_INITIALIZED_INPUT}, 1.0);
  EXPECT_FALSE(full.MutateWith(INSERT_INITIALIZED_INPUT, program, rng));

  // Predict and Learn cannot read what Setup can write.
  space = FlexibleSpace();
  space.functions[kSetup].ops = {Op::MATRIX_CONST_SET};
  space.functions[kPredict].ops = {Op::SCALAR_SUM};
  space.functions[kLearn].ops = {Op::VECTOR_SUM};
  const Mutator unreadable(space, {INSERT_INITIALIZED_INPUT}, 1.0);
  program = NoOpProgramForSpace(space);
  EXPECT_FALSE(unreadable.MutateWith(INSERT_INITIALIZED_INPUT, program, rng));
}

// --- INSERT_INITIALIZED_UPDATE ---

TEST_F(MutationTest, InsertInitializedUpdateUpdatesARegisterItsFunctionUses) {
  // Random programs where no function uses a register an update could write are skipped.
  ForManyInitializedInsertions(
      *this, INSERT_INITIALIZED_UPDATE,
      [](const Program& before, const InitializedInsertion& insertion) {
        const Instruction& use = insertion.use;
        const OpInfo& info = GetOpInfo(use.op);
        // One input reads the new register; the other reads the output, which the function
        // used before: `r = r op new` or `r = new op r`.
        const bool new_in1 = info.in1 == insertion.kind && use.in1 == insertion.init.out;
        const bool new_in2 = info.in2 == insertion.kind && use.in2 == insertion.init.out;
        ASSERT_TRUE(new_in1 || new_in2) << info.name << " does not read the new register";
        EXPECT_EQ(new_in1 ? info.in2 : info.in1, info.out) << info.name;
        EXPECT_EQ(new_in1 ? use.in2 : use.in1, use.out) << info.name << " is not in place";
        EXPECT_TRUE(UsesRegister(before.function(insertion.reader), info.out, use.out))
            << info.name << " updates a register its function did not use";
      });
}

TEST(InsertInitializedUpdateTest, NeedsARegisterToUpdateOtherThanTheLabel) {
  SearchSpace space = FlexibleSpace();
  space.shape = MachineShape{8, 8, 4, 4};
  space.functions[kSetup].ops = {Op::SCALAR_CONST_SET};
  space.functions[kPredict].ops = {Op::SCALAR_SUM};
  space.functions[kLearn].ops = {Op::SCALAR_PRODUCT};
  const Mutator mutator(space, {INSERT_INITIALIZED_UPDATE, INSERT_INITIALIZED_INPUT}, 1.0);
  Rng rng(9);
  // All NO_OPs use no register: a reader can be inserted, an update cannot.
  Program program = NoOpProgramForSpace(space);
  EXPECT_FALSE(mutator.MutateWith(INSERT_INITIALIZED_UPDATE, program, rng));
  EXPECT_EQ(program, NoOpProgramForSpace(space));
  Program readable = program;
  EXPECT_TRUE(mutator.MutateWith(INSERT_INITIALIZED_INPUT, readable, rng));
  // Learn reads only s0 (and writes v1), which programs never write.
  Instruction features_times_label;
  features_times_label.op = Op::SCALAR_VECTOR_PRODUCT;
  features_times_label.out = 1;
  program.learn[0] = features_times_label;  // v1 = s0 * v0
  EXPECT_FALSE(mutator.MutateWith(INSERT_INITIALIZED_UPDATE, program, rng));
  // Once Learn writes s2, every update is of s2, in Learn.
  Instruction square;
  square.op = Op::SCALAR_PRODUCT;
  square.out = 2;
  program.learn[1] = square;  // s2 = s0 * s0
  const Program target = program;
  for (int i = 0; i < 50; ++i) {
    Program updated = target;
    ASSERT_TRUE(mutator.MutateWith(INSERT_INITIALIZED_UPDATE, updated, rng));
    ASSERT_EQ(updated.predict, target.predict);
    const Instruction init = InsertedInstruction(updated.setup, target.setup);
    const Instruction use = InsertedInstruction(updated.learn, target.learn);
    EXPECT_EQ(use.op, Op::SCALAR_PRODUCT);
    EXPECT_EQ(use.out, 2);
    EXPECT_TRUE((use.in1 == 2 && use.in2 == init.out) || (use.in1 == init.out && use.in2 == 2));
  }
}

// --- TuneValue, the value change of TUNE_CONSTANT ---

// Whether `tuned` is one of TuneValue's outcomes for `value`: a nudge (the distance to the
// anchor scaled by [0.5, 2]) or a redraw with the same sign.
bool IsTuneOutcome(double value, double tuned) {
  const double anchor = value > 0.5 ? 1.0 : (value < -0.5 ? -1.0 : 0.0);
  const double ratio = (tuned - anchor) / (value - anchor);
  const bool nudge = value != anchor && ratio >= 0.5 && ratio <= 2.0;
  const double sign = value < 0.0 ? -1.0 : 1.0;
  const double magnitude = tuned * sign;
  const bool small = magnitude >= 1e-4 && magnitude <= 1.0;
  const bool near_one = std::abs(magnitude - 1.0) >= 1e-5 && std::abs(magnitude - 1.0) <= 0.1;
  return nudge || small || near_one;
}

TEST(TuneValueTest, OutcomesAreNudgesOrSignKeepingRedraws) {
  Rng rng(101);
  for (int i = 0; i < 20000; ++i) {
    const double value = rng.Uniform(-1.5, 1.5);
    const double tuned = TuneValue(value, rng);
    ASSERT_TRUE(IsTuneOutcome(value, tuned)) << value << " -> " << tuned;
    ASSERT_EQ(tuned < 0.0, value < 0.0) << value << " -> " << tuned;
  }
}

TEST(TuneValueTest, ReachesDecayFactorsAndFineTunesThem) {
  // From U[-1, 1) starts a decay factor in [0.9995, 0.9999] comes up in about 1.1% of draws
  // (redraw 1/2, near one 1/2, below one 1/2, positive start 1/2, 0.7 of 4 decades): expected
  // 220 of 20000, sd 15. ALTER_PARAM's factors in [0.5, 2) give about 0.02% (4 draws).
  Rng rng(202);
  int decays = 0;
  for (int i = 0; i < 20000; ++i) {
    const double tuned = TuneValue(rng.Uniform(-1.0, 1.0), rng);
    decays += tuned >= 0.9995 && tuned <= 0.9999;
  }
  EXPECT_GT(decays, 160);
  EXPECT_LT(decays, 280);
  // From 0.9998, half the draws (the nudges) stay within [0.9996, 0.9999].
  int fine = 0;
  for (int i = 0; i < 4000; ++i) {
    const double tuned = TuneValue(0.9998, rng);
    fine += tuned >= 0.9996 - 1e-12 && tuned <= 0.9999 + 1e-12;
  }
  EXPECT_GT(fine, 1900);  // Expected 2000 plus the few redraws that land there.
  EXPECT_LT(fine, 2300);
  // Learning rates move by factors: 0.03 nudges to [0.015, 0.06].
  for (int i = 0; i < 1000; ++i) {
    const double tuned = TuneValue(0.03, rng);
    ASSERT_TRUE((tuned >= 0.015 - 1e-15 && tuned <= 0.06 + 1e-15) || IsTuneOutcome(0.03, tuned));
  }
}

TEST(MutatorChoiceTest, TuneConstantDoesNotApplyWithoutOpData) {
  SearchSpace space = FlexibleSpace();
  for (FunctionSpace& function : space.functions) {
    function.ops = {Op::SCALAR_SUM, Op::VECTOR_SUM};
  }
  const Mutator mutator(space, {TUNE_CONSTANT, RANDOMIZE_INSTRUCTION}, 1.0);
  Rng rng(13);
  Program program = RandomProgram(space, rng);
  const Program start = program;
  EXPECT_FALSE(mutator.MutateWith(TUNE_CONSTANT, program, rng));
  EXPECT_EQ(program, start);
  for (int i = 0; i < 50; ++i) {
    program = start;
    EXPECT_EQ(mutator.Mutate(program, rng), RANDOMIZE_INSTRUCTION);
  }
}

TEST_F(MutationTest, RandomizeProgramKeepsSizesAndSkipsFunctionsWithoutOps) {
  const SearchSpace space = LearnOnlySpace();
  const Mutator mutator(space, {RANDOMIZE_PROGRAM}, 1.0);
  Rng rng(5);
  Program before = RandomProgram(space, rng);
  before.setup[1].op = Op::SCALAR_CONST_SET;  // Hand-written code in a function without ops.
  before.setup[1].out = 2;
  before.setup[1].data0 = 0.5;
  Program after = before;
  ASSERT_TRUE(mutator.MutateWith(RANDOMIZE_PROGRAM, after, rng));
  EXPECT_EQ(after.setup, before.setup);
  EXPECT_EQ(after.predict, before.predict);
  EXPECT_EQ(after.learn.size(), before.learn.size());
  EXPECT_NE(after.learn, before.learn);
}

TEST_F(MutationTest, IdentityChangesNothing) {
  const SearchSpace space = FlexibleSpace();
  const Mutator mutator(space, {IDENTITY}, 1.0);
  Rng rng(9);
  const Program before = RandomProgram(space, rng);
  Program after = before;
  EXPECT_TRUE(mutator.MutateWith(IDENTITY, after, rng));
  EXPECT_EQ(after, before);
  EXPECT_EQ(mutator.Mutate(after, rng), IDENTITY);
  EXPECT_EQ(after, before);
}

// --- Size limits ---

TEST(MutatorSizeTest, InsertAtMaxSizeAndRemoveAtMinSizeDoNotApply) {
  SearchSpace space = FlexibleSpace();
  Rng rng(21);
  Program full = NoOpProgramForSpace(space);
  Program empty = full;
  for (ComponentFunction f : kAllComponentFunctions) {
    full.function(f) = RandomFunction(space, f, space.function(f).max_size, rng);
    empty.function(f) = RandomFunction(space, f, space.function(f).min_size, rng);
  }
  const Mutator mutator(space, {INSERT_INSTRUCTION, REMOVE_INSTRUCTION}, 1.0);
  Program copy = full;
  EXPECT_FALSE(mutator.MutateWith(INSERT_INSTRUCTION, copy, rng));
  EXPECT_EQ(copy, full);
  copy = empty;
  EXPECT_FALSE(mutator.MutateWith(REMOVE_INSTRUCTION, copy, rng));
  EXPECT_EQ(copy, empty);
  // Mutate picks the one type that can apply.
  for (int i = 0; i < 20; ++i) {
    copy = full;
    EXPECT_EQ(mutator.Mutate(copy, rng), REMOVE_INSTRUCTION);
    copy = empty;
    EXPECT_EQ(mutator.Mutate(copy, rng), INSERT_INSTRUCTION);
  }
}

TEST(MutatorSizeTest, LongChainsOfMutationsStayWithinSizes) {
  SearchSpace space = FlexibleSpace();
  space.functions[kSetup].min_size = 0;  // Functions may become empty...
  space.functions[kSetup].max_size = 2;
  space.functions[kPredict].min_size = 1;
  space.functions[kPredict].max_size = 1;  // ...or have a fixed size.
  const Mutator mutator(space,
                        {ALTER_PARAM, RANDOMIZE_INSTRUCTION, RANDOMIZE_FUNCTION, INSERT_INSTRUCTION,
                         REMOVE_INSTRUCTION, TRADE_INSTRUCTION, RANDOMIZE_PROGRAM},
                        1.0);
  Rng rng(77);
  Program program;
  program.setup = RandomFunction(space, ComponentFunction::kSetup, 1, rng);
  program.predict = RandomFunction(space, ComponentFunction::kPredict, 1, rng);
  program.learn = RandomFunction(space, ComponentFunction::kLearn, 4, rng);
  std::map<int, int> setup_sizes;
  std::map<int, int> learn_sizes;
  for (int step = 0; step < 3000; ++step) {
    mutator.Mutate(program, rng);
    ASSERT_TRUE(ProgramWithinSizes(program, space)) << "step " << step;
    ++setup_sizes[FunctionSize(program, ComponentFunction::kSetup)];
    ++learn_sizes[FunctionSize(program, ComponentFunction::kLearn)];
  }
  ExpectRandomInstructionsLegal(program, space);
  // The chain reached both ends of each range.
  EXPECT_EQ(setup_sizes.size(), 3u);
  EXPECT_EQ(learn_sizes.begin()->first, 2);
  EXPECT_EQ(learn_sizes.rbegin()->first, 6);
}

// --- Choice of the mutation ---

TEST(MutatorChoiceTest, RemoveIsTwiceAsLikelyAsInsert) {
  const SearchSpace space = FlexibleSpace();  // Initial size 4 in [2, 6]: both can apply.
  const Mutator mutator(space, {INSERT_INSTRUCTION, REMOVE_INSTRUCTION}, 1.0);
  Rng rng(2024);
  const Program start = RandomProgram(space, rng);
  int inserts = 0;
  int removes = 0;
  constexpr int kDraws = 6000;
  for (int i = 0; i < kDraws; ++i) {
    Program program = start;
    const MutationType type = mutator.Mutate(program, rng);
    if (type == INSERT_INSTRUCTION) {
      ++inserts;
      EXPECT_EQ(program.size(), start.size() + 1);
    } else {
      ASSERT_EQ(type, REMOVE_INSTRUCTION);
      ++removes;
      EXPECT_EQ(program.size(), start.size() - 1);
    }
  }
  // Expected 4000 removes out of 6000 (sd 36.5); the bounds are over 5 sd wide.
  EXPECT_GT(removes, 3800);
  EXPECT_LT(removes, 4200);
  EXPECT_EQ(inserts + removes, kDraws);
}

TEST(MutatorChoiceTest, TypesAreDrawnUniformlyOtherwise) {
  const SearchSpace space = FlexibleSpace();
  const Mutator mutator(space, {ALTER_PARAM, RANDOMIZE_INSTRUCTION, RANDOMIZE_FUNCTION}, 1.0);
  Rng rng(99);
  const Program start = RandomProgram(space, rng);
  std::map<MutationType, int> counts;
  for (int i = 0; i < 3000; ++i) {
    Program program = start;
    ++counts[mutator.Mutate(program, rng)];
  }
  ASSERT_EQ(counts.size(), 3u);
  for (const auto& [type, count] : counts) {
    EXPECT_GT(count, 850) << MutationType_Name(type);  // Expected 1000, sd 26.
    EXPECT_LT(count, 1150) << MutationType_Name(type);
  }
}

TEST(MutatorChoiceTest, RepeatedTypesWeighTheChoiceEvenInLongLists) {
  // 19 entries of ALTER_PARAM, then RANDOMIZE_FUNCTION: the last entry must still be drawn
  // about 1 time in 20.
  const SearchSpace space = FlexibleSpace();
  std::vector<MutationType> types(19, ALTER_PARAM);
  types.push_back(RANDOMIZE_FUNCTION);
  const Mutator mutator(space, types, 1.0);
  Rng rng(61);
  const Program start = RandomProgram(space, rng);
  int randomized = 0;
  constexpr int kDraws = 4000;
  for (int i = 0; i < kDraws; ++i) {
    Program program = start;
    randomized += mutator.Mutate(program, rng) == RANDOMIZE_FUNCTION;
  }
  EXPECT_GT(randomized, 140);  // Expected 200, sd 14.
  EXPECT_LT(randomized, 260);
}

TEST(MutatorChoiceTest, MutateProbabilityZeroAndOne) {
  const SearchSpace space = FlexibleSpace();
  Rng rng(4);
  const Program start = RandomProgram(space, rng);
  const Mutator never(space, {RANDOMIZE_FUNCTION}, 0.0);
  const Mutator always(space, {RANDOMIZE_FUNCTION}, 1.0);
  const Mutator half(space, {RANDOMIZE_FUNCTION}, 0.5);
  int mutated_by_half = 0;
  for (int i = 0; i < 1000; ++i) {
    Program program = start;
    EXPECT_EQ(never.MaybeMutate(program, rng), IDENTITY);
    EXPECT_EQ(program, start);
    EXPECT_EQ(always.MaybeMutate(program, rng), RANDOMIZE_FUNCTION);
    EXPECT_NE(program, start);
    program = start;
    mutated_by_half += half.MaybeMutate(program, rng) != IDENTITY;
  }
  EXPECT_GT(mutated_by_half, 420);  // Expected 500, sd 16.
  EXPECT_LT(mutated_by_half, 580);
}

// --- Functions without ops ---

TEST(MutatorChoiceTest, FunctionsWithoutOpsAreNeverMutated) {
  const SearchSpace space = LearnOnlySpace();
  const Mutator mutator(space,
                        {ALTER_PARAM, RANDOMIZE_INSTRUCTION, RANDOMIZE_FUNCTION, INSERT_INSTRUCTION,
                         REMOVE_INSTRUCTION, TRADE_INSTRUCTION, RANDOMIZE_PROGRAM, TUNE_CONSTANT},
                        1.0);
  Rng rng(31);
  Program program = RandomProgram(space, rng);
  // Hand-written code (as a padded LINEAR_PROGRAM would have) must survive too.
  program.setup[0].op = Op::SCALAR_CONST_SET;
  program.setup[0].out = 3;
  program.setup[0].data0 = 0.01;
  program.predict[0].op = Op::VECTOR_INNER_PRODUCT;
  program.predict[0].out = 1;
  program.predict[0].in2 = 1;
  const Program start = program;
  int learn_changes = 0;
  for (int step = 0; step < 2000; ++step) {
    const std::vector<Instruction> learn_before = program.learn;
    mutator.Mutate(program, rng);
    ASSERT_EQ(program.setup, start.setup) << "step " << step;
    ASSERT_EQ(program.predict, start.predict) << "step " << step;
    learn_changes += program.learn != learn_before;
  }
  EXPECT_GT(learn_changes, 1500);
}

TEST(MutatorChoiceTest, NothingToMutateGivesIdentity) {
  SearchSpace space = FlexibleSpace();
  for (FunctionSpace& function : space.functions) function.ops.clear();
  const Mutator mutator(space, {ALTER_PARAM, INSERT_INSTRUCTION, RANDOMIZE_PROGRAM}, 1.0);
  Rng rng(8);
  const Program start = NoOpProgramForSpace(space);
  Program program = start;
  EXPECT_EQ(mutator.Mutate(program, rng), IDENTITY);
  EXPECT_FALSE(mutator.MutateWith(ALTER_PARAM, program, rng));
  EXPECT_FALSE(mutator.MutateWith(INSERT_INSTRUCTION, program, rng));
  EXPECT_FALSE(mutator.MutateWith(RANDOMIZE_PROGRAM, program, rng));
  EXPECT_EQ(program, start);
}

// --- Reproducibility ---

std::vector<Program> MutationChain(uint64_t seed) {
  const SearchSpace space = FlexibleSpace();
  const Mutator mutator(space,
                        {ALTER_PARAM, RANDOMIZE_INSTRUCTION, RANDOMIZE_FUNCTION, INSERT_INSTRUCTION,
                         REMOVE_INSTRUCTION, TRADE_INSTRUCTION, TUNE_CONSTANT},
                        0.9);
  Rng rng(seed);
  std::vector<Program> chain = {RandomProgram(space, rng)};
  for (int i = 0; i < 200; ++i) {
    Program next = chain.back();
    mutator.MaybeMutate(next, rng);
    chain.push_back(next);
  }
  return chain;
}

TEST(MutatorDeterminismTest, SameSeedSameMutations) {
  const std::vector<Program> a = MutationChain(42);
  const std::vector<Program> b = MutationChain(42);
  const std::vector<Program> c = MutationChain(43);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) ASSERT_EQ(a[i], b[i]) << "step " << i;
  EXPECT_NE(a.back(), c.back());
}

}  // namespace
}  // namespace automl
