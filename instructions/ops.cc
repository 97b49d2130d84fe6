#include "instructions/ops.h"

#include <algorithm>
#include <array>

#include "absl/strings/str_cat.h"

namespace automl {
namespace {

constexpr std::array<OpInfo, kNumOps> kOpInfos = {{
#define AUTOML_OP_INFO(id, name, out, in1, in2, data, form, doc)                                  \
  OpInfo{Op::name, #name, OperandKind::out, OperandKind::in1, OperandKind::in2, OpDataKind::data, \
         form,     doc},
    AUTOML_OP_TABLE(AUTOML_OP_INFO)
#undef AUTOML_OP_INFO
}};

// The table must list ops in id order with no gaps, so that kOpInfos[id] is op `id`.
constexpr bool TableIsDense() {
  for (int i = 0; i < kNumOps; ++i) {
    if (static_cast<int>(kOpInfos[i].op) != i) return false;
  }
  return true;
}
static_assert(TableIsDense(), "AUTOML_OP_TABLE must list ids 0..64 in order");

}  // namespace

char OperandKindLetter(OperandKind kind) {
  switch (kind) {
    case OperandKind::S:
      return 's';
    case OperandKind::V:
      return 'v';
    case OperandKind::M:
      return 'm';
    case OperandKind::N:
      break;
  }
  return '?';
}

const OpInfo& GetOpInfo(Op op) { return kOpInfos[static_cast<int>(op)]; }

const std::vector<Op>& AllOps() {
  static const std::vector<Op>* const kAll = [] {
    auto* all = new std::vector<Op>();
    for (const OpInfo& info : kOpInfos) all->push_back(info.op);
    return all;
  }();
  return *kAll;
}

bool IsValidOpId(int id) { return id >= 0 && id < kNumOps; }

absl::StatusOr<Op> OpFromName(absl::string_view name) {
  for (const OpInfo& info : kOpInfos) {
    if (name == info.name) return info.op;
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown op '", name, "'"));
}

double OpCost(Op op, int feature_size) {
  const double f = feature_size;
  if (op == Op::NO_OP) return 0.0;
  if (op == Op::MATRIX_MATRIX_PRODUCT) return f * f * f;
  const OpInfo& info = GetOpInfo(op);
  // The work of every other op is proportional to the size of its largest operand.
  auto size = [f](OperandKind kind) {
    switch (kind) {
      case OperandKind::N:
        return 0.0;
      case OperandKind::S:
        return 1.0;
      case OperandKind::V:
        return f;
      case OperandKind::M:
        return f * f;
    }
    return 0.0;
  };
  double largest = std::max({size(info.out), size(info.in1), size(info.in2)});
  // Writing a single element of a vector or matrix costs one operation.
  if (info.data == OpDataKind::kVectorElement || info.data == OpDataKind::kMatrixElement) {
    largest = 1.0;
  }
  return largest;
}

}  // namespace automl
