#include "evolution/mutator.h"

#include "absl/container/inlined_vector.h"
#include "evolution/generator.h"
#include "evolution/initialized_input.h"

namespace automl {

Mutator::Mutator(const SearchSpace& space, std::vector<MutationType> types, double mutate_prob)
    : space_(space), types_(std::move(types)), mutate_prob_(mutate_prob) {}

Mutator Mutator::FromSpec(const ExperimentSpec& spec, const SearchSpace& space) {
  std::vector<MutationType> types;
  for (int type : spec.mutation_types()) types.push_back(static_cast<MutationType>(type));
  return Mutator(space, std::move(types), spec.mutate_prob());
}

template <typename Condition>
bool Mutator::PickFunction(const Program& program, Condition condition, Rng* rng,
                           ComponentFunction* picked) const {
  ComponentFunction candidates[3];
  int count = 0;
  for (ComponentFunction f : kAllComponentFunctions) {
    const FunctionSpace& function_space = space_.function(f);
    if (function_space.mutable_function() &&
        condition(function_space, static_cast<int>(program.function(f).size()))) {
      candidates[count++] = f;
    }
  }
  if (count == 0) return false;
  if (rng != nullptr) *picked = candidates[rng->UniformInt(count)];
  return true;
}

namespace {

bool NonEmpty(const FunctionSpace&, int size) { return size > 0; }
bool BelowMax(const FunctionSpace& space, int size) { return size < space.max_size; }
bool AboveMin(const FunctionSpace& space, int size) { return size > space.min_size; }
bool AnyMutable(const FunctionSpace&, int) { return true; }

}  // namespace

bool Mutator::CanApply(MutationType type, const Program& program) const {
  ComponentFunction unused;
  switch (type) {
    case ALTER_PARAM:
    case RANDOMIZE_INSTRUCTION:
    case RANDOMIZE_FUNCTION:
    case TRADE_INSTRUCTION:
      return PickFunction(program, NonEmpty, nullptr, &unused);
    case INSERT_INSTRUCTION:
      return PickFunction(program, BelowMax, nullptr, &unused);
    case REMOVE_INSTRUCTION:
      return PickFunction(program, AboveMin, nullptr, &unused);
    case IDENTITY:
      return true;
    case RANDOMIZE_PROGRAM:
      return PickFunction(program, AnyMutable, nullptr, &unused);
    case TUNE_CONSTANT:
      return CountTunable(program) > 0;
    case INSERT_INITIALIZED_INPUT:
      return CanInsertInitialized(InitializedLink::kAnyReader, space_, program);
    case INSERT_INITIALIZED_UPDATE:
      return CanInsertInitialized(InitializedLink::kInPlaceUpdate, space_, program);
    case MUTATION_TYPE_UNSET:
      break;
  }
  return false;
}

MutationType Mutator::MaybeMutate(Program& program, Rng& rng) const {
  if (!rng.Bernoulli(mutate_prob_)) return IDENTITY;
  return Mutate(program, rng);
}

MutationType Mutator::Mutate(Program& program, Rng& rng) const {
  bool insert_allowed = false;
  for (MutationType type : types_) insert_allowed |= type == INSERT_INSTRUCTION;
  // Inline storage keeps this allocation-free for any list without many repeats; repeating a
  // type is how a spec gives it more weight, so long lists must still count every entry.
  absl::InlinedVector<MutationType, 16> applicable;
  absl::InlinedVector<double, 16> weights;
  double total_weight = 0.0;
  for (MutationType type : types_) {
    if (!CanApply(type, program)) continue;
    applicable.push_back(type);
    weights.push_back((type == REMOVE_INSTRUCTION && insert_allowed) ? 2.0 : 1.0);
    total_weight += weights.back();
  }
  const int count = static_cast<int>(applicable.size());
  if (count == 0) return IDENTITY;
  double draw = rng.UniformDouble() * total_weight;
  int chosen = count - 1;
  for (int i = 0; i < count; ++i) {
    if (draw < weights[i]) {
      chosen = i;
      break;
    }
    draw -= weights[i];
  }
  MutateWith(applicable[chosen], program, rng);
  return applicable[chosen];
}

bool Mutator::MutateWith(MutationType type, Program& program, Rng& rng) const {
  ComponentFunction f;
  switch (type) {
    case ALTER_PARAM: {
      if (!PickFunction(program, NonEmpty, &rng, &f)) return false;
      std::vector<Instruction>& instructions = program.function(f);
      AlterOneParameter(instructions[rng.UniformInt(instructions.size())], space_.shape, rng);
      return true;
    }
    case RANDOMIZE_INSTRUCTION: {
      if (!PickFunction(program, NonEmpty, &rng, &f)) return false;
      std::vector<Instruction>& instructions = program.function(f);
      instructions[rng.UniformInt(instructions.size())] = RandomInstruction(space_, f, rng);
      return true;
    }
    case RANDOMIZE_FUNCTION: {
      if (!PickFunction(program, NonEmpty, &rng, &f)) return false;
      std::vector<Instruction>& instructions = program.function(f);
      instructions = RandomFunction(space_, f, static_cast<int>(instructions.size()), rng);
      return true;
    }
    case INSERT_INSTRUCTION: {
      if (!PickFunction(program, BelowMax, &rng, &f)) return false;
      std::vector<Instruction>& instructions = program.function(f);
      const uint32_t position = rng.UniformInt(static_cast<uint32_t>(instructions.size()) + 1);
      instructions.insert(instructions.begin() + position, RandomInstruction(space_, f, rng));
      return true;
    }
    case REMOVE_INSTRUCTION: {
      if (!PickFunction(program, AboveMin, &rng, &f)) return false;
      std::vector<Instruction>& instructions = program.function(f);
      instructions.erase(instructions.begin() + rng.UniformInt(instructions.size()));
      return true;
    }
    case TRADE_INSTRUCTION: {
      if (!PickFunction(program, NonEmpty, &rng, &f)) return false;
      std::vector<Instruction>& instructions = program.function(f);
      instructions.erase(instructions.begin() + rng.UniformInt(instructions.size()));
      const uint32_t position = rng.UniformInt(static_cast<uint32_t>(instructions.size()) + 1);
      instructions.insert(instructions.begin() + position, RandomInstruction(space_, f, rng));
      return true;
    }
    case IDENTITY:
      return true;
    case RANDOMIZE_PROGRAM: {
      bool any = false;
      for (ComponentFunction g : kAllComponentFunctions) {
        if (!space_.function(g).mutable_function()) continue;
        std::vector<Instruction>& instructions = program.function(g);
        instructions = RandomFunction(space_, g, static_cast<int>(instructions.size()), rng);
        any = true;
      }
      return any;
    }
    case TUNE_CONSTANT: {
      const int count = CountTunable(program);
      if (count == 0) return false;
      TuneNthTunable(static_cast<int>(rng.UniformInt(count)), program, rng);
      return true;
    }
    case INSERT_INITIALIZED_INPUT:
      return InsertInitialized(InitializedLink::kAnyReader, space_, program, rng);
    case INSERT_INITIALIZED_UPDATE:
      return InsertInitialized(InitializedLink::kInPlaceUpdate, space_, program, rng);
    case MUTATION_TYPE_UNSET:
      break;
  }
  return false;
}

// Tunable instructions: those with op data in mutable functions, counted in function order.
int Mutator::CountTunable(const Program& program) const {
  int count = 0;
  for (ComponentFunction f : kAllComponentFunctions) {
    if (!space_.function(f).mutable_function()) continue;
    for (const Instruction& ins : program.function(f)) count += NumDataValues(ins) > 0;
  }
  return count;
}

void Mutator::TuneNthTunable(int n, Program& program, Rng& rng) const {
  for (ComponentFunction f : kAllComponentFunctions) {
    if (!space_.function(f).mutable_function()) continue;
    for (Instruction& ins : program.function(f)) {
      if (NumDataValues(ins) == 0) continue;
      if (n-- == 0) {
        TuneOneDataValue(ins, rng);
        return;
      }
    }
  }
}

}  // namespace automl
