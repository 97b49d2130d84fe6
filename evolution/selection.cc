#include "evolution/selection.h"

#include <algorithm>

#include "evolution/objectives_spec.h"
#include "instructions/check.h"

namespace automl {
namespace {

bool IsUnitRange(Objective objective) { return Info(objective).highest != kUnbounded; }

SelectionMode ModeOf(SelectionKind kind) {
  switch (kind) {
    case SCALARIZED:
      return SelectionMode::kScalarized;
    case CONSTRAINED:
      return SelectionMode::kConstrained;
    case PARETO:
      return SelectionMode::kPareto;
    default:  // SINGLE_OBJECTIVE (validation rejects UNSET).
      return SelectionMode::kSingleObjective;
  }
}

}  // namespace

double ScalarizedTerm(Objective objective, double value, double scale) {
  if (!IsUnitRange(objective)) return 1.0 / (1.0 + value / scale);
  return Info(objective).maximize ? value : 1.0 - value;
}

Selection Selection::FromSpec(const ObjectivesSpec& spec) {
  Selection s;
  s.mode_ = ModeOf(spec.selection());
  for (const ObjectiveWeight& weight : spec.weights()) {
    AUTOML_CHECK(s.num_terms_ < kNumObjectives);
    s.terms_[s.num_terms_++] =
        Term{ToObjective(weight.objective()), weight.weight(), weight.scale()};
    s.weight_sum_ += weight.weight();
  }
  if (spec.primary() != OBJECTIVE_UNSET) s.primary_ = ToObjective(spec.primary());
  for (const ObjectiveBound& bound : spec.bounds()) {
    AUTOML_CHECK(s.num_bounds_ < static_cast<int>(s.bounds_.size()));
    Bound b;
    b.objective = ToObjective(bound.objective());
    b.is_max = bound.has_max();
    b.limit = b.is_max ? bound.max() : bound.min();
    b.divisor = IsUnitRange(b.objective) ? 1.0 : std::max(b.limit, 1.0);
    s.bounds_[s.num_bounds_++] = b;
  }
  for (int name : spec.pareto_objectives()) {
    AUTOML_CHECK(s.num_pareto_ < kNumObjectives);
    const Objective objective = ToObjective(static_cast<ObjectiveName>(name));
    s.pareto_[s.num_pareto_] = objective;
    // Where MutableObjectiveValue finds it, so that the table stays the one source.
    Fitness probe;
    s.pareto_offset_[s.num_pareto_] =
        static_cast<size_t>(reinterpret_cast<char*>(MutableObjectiveValue(&probe, objective)) -
                            reinterpret_cast<char*>(&probe));
    s.pareto_sign_[s.num_pareto_] = Info(objective).maximize ? 1.0 : -1.0;
    ++s.num_pareto_;
  }
  s.archive_size_ = spec.archive_size();
  return s;
}

double Selection::Scalarized(const Fitness& fitness) const {
  double sum = 0.0;
  for (int i = 0; i < num_terms_; ++i) {
    const Term& term = terms_[i];
    sum += term.weight *
           ScalarizedTerm(term.objective, ObjectiveValue(fitness, term.objective), term.scale);
  }
  return sum / weight_sum_;
}

double Selection::Violation(const Fitness& fitness) const {
  double total = 0.0;
  for (int i = 0; i < num_bounds_; ++i) {
    const Bound& bound = bounds_[i];
    const double value = ObjectiveValue(fitness, bound.objective);
    const double excess = bound.is_max ? value - bound.limit : bound.limit - value;
    if (excess > 0.0) total += excess / bound.divisor;
  }
  return total;
}

bool Selection::ConstrainedBetter(const Fitness& a, const Fitness& b) const {
  const double va = Violation(a);
  const double vb = Violation(b);
  if ((va == 0.0) != (vb == 0.0)) return va == 0.0;
  if (va == 0.0) return OrientedValue(a, primary_) > OrientedValue(b, primary_);
  return va < vb;
}

bool Selection::Dominates(const Fitness& a, const Fitness& b) const {
  bool strictly = false;
  for (int i = 0; i < num_pareto_; ++i) {
    const double x = OrientedValue(a, pareto_[i]);
    const double y = OrientedValue(b, pareto_[i]);
    if (x < y) return false;
    strictly |= x > y;
  }
  return strictly;
}

}  // namespace automl
