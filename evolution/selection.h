// How the search compares programs (docs/objectives.md, "Selection"): the order tournaments and
// "best ever" use, for the four kinds of ObjectivesSpec.selection. Built once from the spec; a
// small value type with a kind switch, so comparisons allocate nothing and call nothing
// virtual. SINGLE_OBJECTIVE is exactly IsBetter of executor/fitness.h (quality alone).
#ifndef EVOLUTION_SELECTION_H_
#define EVOLUTION_SELECTION_H_

#include <array>
#include <cstddef>

#include "evolution/experiment_spec.pb.h"
#include "executor/fitness.h"
#include "executor/objectives.h"

namespace automl {

enum class SelectionMode { kSingleObjective, kScalarized, kConstrained, kPareto };

class Selection {
 public:
  // SINGLE_OBJECTIVE: quality alone, as the search always compared.
  Selection() = default;
  // From a validated ObjectivesSpec (ValidateExperimentSpec).
  static Selection FromSpec(const ObjectivesSpec& spec);

  SelectionMode mode() const { return mode_; }

  // True if `a` is strictly better than `b` in the mode's total preorder:
  //  - single objective: higher quality;
  //  - scalarized: higher Scalarized;
  //  - constrained: constraint domination (feasible beats infeasible; two feasible compare by
  //    the primary objective in its direction; two infeasible by smaller Violation);
  //  - Pareto: higher quality, or equal quality and `a` dominates `b` (the order of "best
  //    ever"; tournaments use rank and crowding instead, see pareto.h).
  bool IsBetter(const Fitness& a, const Fitness& b) const {
    switch (mode_) {
      case SelectionMode::kSingleObjective:
        return automl::IsBetter(a, b);
      case SelectionMode::kScalarized:
        return Scalarized(a) > Scalarized(b);
      case SelectionMode::kConstrained:
        return ConstrainedBetter(a, b);
      case SelectionMode::kPareto:
        return a.quality > b.quality || (a.quality == b.quality && Dominates(a, b));
    }
    return false;
  }

  // sum_i w_i h_i(value_i) / sum_i w_i over the spec's weights, where h maps each objective
  // to "higher is better" in [0, 1]: maximized [0, 1] objectives as they are, minimized ones
  // as 1 - value, costs and size as 1 / (1 + value / scale). The sum is taken in the spec's
  // order and divided once, so (3 * AUC + (1 - DPPL)) / 4 is computed exactly as written.
  double Scalarized(const Fitness& fitness) const;

  // Total violation of the bounds, 0 when feasible: for [0, 1] objectives the absolute excess
  // beyond the bound; for costs and size (unbounded ranges) the excess divided by
  // max(bound, 1), so that a cost 10% over its bound weighs like 0.1 of accuracy.
  double Violation(const Fitness& fitness) const;
  bool Feasible(const Fitness& fitness) const { return Violation(fitness) == 0.0; }
  bool has_bounds() const { return num_bounds_ > 0; }

  // Pareto domination on the pareto objectives (oriented: higher is better): `a` is at least
  // as good in every one and strictly better in one.
  bool Dominates(const Fitness& a, const Fitness& b) const;
  // The pareto objectives' oriented values of `fitness`, into out[0 .. num_pareto() - 1].
  // Inline and without a switch: every tournament contestant goes through it.
  void OrientedPoint(const Fitness& fitness, double* out) const {
    const char* base = reinterpret_cast<const char*>(&fitness);
    for (int i = 0; i < num_pareto_; ++i) {
      out[i] = pareto_sign_[i] * *reinterpret_cast<const double*>(base + pareto_offset_[i]);
    }
  }
  int num_pareto() const { return num_pareto_; }
  Objective pareto_objective(int i) const { return pareto_[i]; }
  // PARETO: members each island's archive keeps.
  int archive_size() const { return archive_size_; }

 private:
  struct Term {
    Objective objective = Objective::kQuality;
    double weight = 0.0;
    double scale = 0.0;  // Costs and size only.
  };
  struct Bound {
    Objective objective = Objective::kQuality;
    double limit = 0.0;
    bool is_max = true;
    double divisor = 1.0;  // 1 for [0, 1] objectives; max(limit, 1) for costs and size.
  };

  bool ConstrainedBetter(const Fitness& a, const Fitness& b) const;

  SelectionMode mode_ = SelectionMode::kSingleObjective;
  std::array<Term, kNumObjectives> terms_{};
  int num_terms_ = 0;
  double weight_sum_ = 0.0;
  Objective primary_ = Objective::kQuality;
  // A spec may bound an objective from both sides in two entries.
  std::array<Bound, 2 * kNumObjectives> bounds_{};
  int num_bounds_ = 0;
  std::array<Objective, kNumObjectives> pareto_{};
  // Each one's byte offset in Fitness (a struct of doubles) and direction (+1 or -1).
  std::array<size_t, kNumObjectives> pareto_offset_{};
  std::array<double, kNumObjectives> pareto_sign_{};
  int num_pareto_ = 0;
  int archive_size_ = 0;
};

// h of Selection::Scalarized for one objective value (exposed for reports and tests).
double ScalarizedTerm(Objective objective, double value, double scale);

}  // namespace automl

#endif  // EVOLUTION_SELECTION_H_
