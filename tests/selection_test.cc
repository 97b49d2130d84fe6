// Tests of multi-objective selection against hand computations: the four orders of
// evolution/selection.h (the combined credit metric computed exactly, constraint domination,
// Pareto domination), NSGA-II's rank and crowding (evolution/pareto.h) on a hand-solved set
// with duplicates and boundary points, the bounded archive (evolution/pareto_archive.h), and
// the Pareto tournament of regularized evolution.
#include "evolution/selection.h"

#include <cmath>
#include <limits>
#include <memory>
#include <vector>

#include "evolution/experiment_spec.pb.h"
#include "evolution/pareto.h"
#include "evolution/pareto_archive.h"
#include "evolution/pareto_front.h"
#include "evolution/regularized_evolution.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "instructions/random.h"
#include "tests/test_util.h"

namespace automl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr double kInf = std::numeric_limits<double>::infinity();

Selection FromText(const char* text) {
  return Selection::FromSpec(ParseTextOrDie<ObjectivesSpec>(text));
}

Fitness Make(double quality, double auc = 0.0, double dppl = 0.0, double inference_cost = 0.0) {
  Fitness f;
  f.quality = quality;
  f.auc = auc;
  f.dppl = dppl;
  f.inference_cost = inference_cost;
  return f;
}

TEST(SelectionTest, SingleObjectiveIsQualityAlone) {
  const Selection single;
  EXPECT_EQ(single.mode(), SelectionMode::kSingleObjective);
  EXPECT_TRUE(single.IsBetter(Make(0.6, 0.0, 1.0), Make(0.5, 1.0, 0.0)));
  EXPECT_FALSE(single.IsBetter(Make(0.5), Make(0.5, 1.0)));  // Ties are not better.
  EXPECT_EQ(FromText("selection: SINGLE_OBJECTIVE").mode(), SelectionMode::kSingleObjective);
}

TEST(SelectionTest, TheCombinedCreditMetricIsExact) {
  // (3 * AUC + (1 - |DPPL|)) / 4.
  const Selection credit = FromText(R"pb(
    selection: SCALARIZED
    weights { objective: AUC weight: 3 }
    weights { objective: DPPL weight: 1 }
  )pb");
  const double auc = 0.8, dppl = 0.1;
  EXPECT_EQ(credit.Scalarized(Make(0.0, auc, dppl)), (3 * auc + (1 - dppl)) / 4);
  EXPECT_DOUBLE_EQ(credit.Scalarized(Make(0.0, auc, dppl)), 0.825);  // 3.3 / 4 by hand.
  // Higher AUC at equal DPPL, and lower DPPL at equal AUC, are better.
  EXPECT_TRUE(credit.IsBetter(Make(0.0, 0.81, 0.1), Make(0.0, 0.8, 0.1)));
  EXPECT_TRUE(credit.IsBetter(Make(0.0, 0.8, 0.05), Make(0.0, 0.8, 0.1)));
  // 0.9 AUC with DPPL 0.3: (2.7 + 0.7) / 4 = 0.85 beats 0.825.
  EXPECT_TRUE(credit.IsBetter(Make(0.0, 0.9, 0.3), Make(0.0, auc, dppl)));
}

TEST(SelectionTest, CostsGoThroughOneOverOnePlusValueOverScale) {
  const Selection cheap = FromText(R"pb(
    selection: SCALARIZED
    weights { objective: QUALITY weight: 1 }
    weights { objective: INFERENCE_COST weight: 1 scale: 100 }
  )pb");
  // (0.5 + 1 / (1 + 300 / 100)) / 2 = (0.5 + 0.25) / 2.
  EXPECT_DOUBLE_EQ(cheap.Scalarized(Make(0.5, 0, 0, 300)), 0.375);
  EXPECT_EQ(ScalarizedTerm(Objective::kInferenceCost, 0.0, 100), 1.0);
  EXPECT_EQ(ScalarizedTerm(Objective::kDisparateImpact, 0.7, 0), 0.7);  // Maximized: as is.
}

TEST(SelectionTest, ConstraintDomination) {
  // Maximize quality subject to dppl <= 0.05 and inference_cost <= 200.
  const Selection fair = FromText(R"pb(
    selection: CONSTRAINED
    primary: QUALITY
    bounds { objective: DPPL max: 0.05 }
    bounds { objective: INFERENCE_COST max: 200 }
  )pb");
  const Fitness feasible_low = Make(0.6, 0, 0.05, 200);  // On both bounds: feasible.
  const Fitness feasible_high = Make(0.7, 0, 0.01, 10);
  const Fitness slightly_unfair = Make(0.99, 0, 0.07, 10);  // Violation 0.02.
  const Fitness costly = Make(0.99, 0, 0.0, 210);           // Violation 10 / 200 = 0.05.
  EXPECT_EQ(fair.Violation(feasible_low), 0.0);
  EXPECT_NEAR(fair.Violation(slightly_unfair), 0.02, 1e-15);
  EXPECT_DOUBLE_EQ(fair.Violation(costly), 0.05);
  EXPECT_DOUBLE_EQ(fair.Violation(Make(0, 0, 0.15, 400)), 0.1 + 1.0);
  // Feasible beats infeasible whatever the quality; feasible ones by quality; infeasible ones
  // by total violation.
  EXPECT_TRUE(fair.IsBetter(feasible_low, slightly_unfair));
  EXPECT_FALSE(fair.IsBetter(slightly_unfair, feasible_low));
  EXPECT_TRUE(fair.IsBetter(feasible_high, feasible_low));
  EXPECT_TRUE(fair.IsBetter(slightly_unfair, costly));
  // A minimized primary compares in its direction; a min bound on a cost is relative too.
  const Selection small = FromText(R"pb(
    selection: CONSTRAINED
    primary: INFERENCE_COST
    bounds { objective: QUALITY min: 0.5 }
    bounds { objective: SIZE min: 4 }
  )pb");
  Fitness tiny = Make(0.6, 0, 0, 5);
  tiny.size = 2;  // 2 below the min of 4: violation 2 / 4.
  EXPECT_DOUBLE_EQ(small.Violation(tiny), 0.5);
  tiny.size = 4;
  EXPECT_TRUE(small.IsBetter(tiny, Make(0.6, 0, 0, 6)));  // Size 0 violates its min of 4.
  Fitness cheaper = tiny;
  cheaper.inference_cost = 4;
  EXPECT_TRUE(small.IsBetter(cheaper, tiny));
}

TEST(SelectionTest, ParetoDominationAndTheBestEverOrder) {
  const Selection pareto = FromText(R"pb(
    selection: PARETO
    pareto_objectives: [ QUALITY, DPPL ]
    archive_size: 5
  )pb");
  EXPECT_EQ(pareto.num_pareto(), 2);
  EXPECT_EQ(pareto.archive_size(), 5);
  EXPECT_TRUE(pareto.Dominates(Make(0.8, 0, 0.1), Make(0.7, 0, 0.1)));
  EXPECT_TRUE(pareto.Dominates(Make(0.8, 0, 0.1), Make(0.8, 0, 0.2)));  // DPPL minimized.
  EXPECT_FALSE(pareto.Dominates(Make(0.8, 0, 0.1), Make(0.8, 0, 0.1)));
  EXPECT_FALSE(pareto.Dominates(Make(0.9, 0, 0.3), Make(0.8, 0, 0.1)));
  double point[2];
  pareto.OrientedPoint(Make(0.8, 0, 0.1), point);
  EXPECT_EQ(point[0], 0.8);
  EXPECT_EQ(point[1], -0.1);
  // Best ever: quality, then domination among equal quality.
  EXPECT_TRUE(pareto.IsBetter(Make(0.9, 0, 0.3), Make(0.8, 0, 0.1)));
  EXPECT_TRUE(pareto.IsBetter(Make(0.8, 0, 0.1), Make(0.8, 0, 0.2)));
  EXPECT_FALSE(pareto.IsBetter(Make(0.8, 0, 0.2), Make(0.8, 0, 0.1)));
}

// Seven points (oriented, higher is better), solved by hand:
//   0:A(1,5) 1:B(2,4) 2:C(3,3) 3:D(2,2) 4:E(1,1) 5:F(3,3) (C's duplicate) 6:G(5,1).
// Front 0: A B C F G; D is dominated by B, C, F but dominates E: front 1 = {D}, 2 = {E}.
// Crowding in front 0 (both ranges 4): objective 0 sorted A B C F G gives B (3-1)/4,
// C (3-2)/4, F (5-3)/4; objective 1 sorted G C F B A gives C (3-1)/4, F (4-3)/4, B (5-3)/4;
// A and G are boundaries. Lone points in their rank have no range: 0.
const std::vector<double> kSeven = {1, 5, 2, 4, 3, 3, 2, 2, 1, 1, 3, 3, 5, 1};

TEST(ParetoTest, RanksOfAHandSolvedSet) {
  EXPECT_THAT(NonDominatedRanks(kSeven, 2), ElementsAre(0, 0, 0, 1, 2, 0, 0));
  std::vector<int> first(7);
  FirstFront(kSeven.data(), 7, 2, first.data());
  EXPECT_THAT(first, ElementsAre(0, 0, 0, -1, -1, 0, 0));
  EXPECT_THAT(NonDominatedRanks(std::vector<double>{1, 1, 1, 1}, 2), ElementsAre(0, 0));
  // One objective: a total order, ties share a rank.
  EXPECT_THAT(NonDominatedRanks(std::vector<double>{3, 1, 2, 3}, 1), ElementsAre(0, 2, 1, 0));
}

TEST(ParetoTest, CrowdingOfAHandSolvedSet) {
  const std::vector<double> d = CrowdingDistances(kSeven, 2, NonDominatedRanks(kSeven, 2));
  EXPECT_THAT(d, ElementsAre(kInf, 1.0, 0.75, 0.0, 0.0, 0.75, kInf));
  // The first front alone (the tournament's case): the same distances there, 0 elsewhere.
  EXPECT_THAT(CrowdingDistances(kSeven, 2, {0, 0, 0, -1, -1, 0, 0}),
              ElementsAre(kInf, 1.0, 0.75, 0.0, 0.0, 0.75, kInf));
  // An objective in which the whole rank is equal adds nothing (nobody is its boundary).
  const std::vector<double> flat = {1, 7, 2, 7, 3, 7};
  EXPECT_THAT(CrowdingDistances(flat, 2, {0, 0, 0}), ElementsAre(kInf, 1.0, kInf));
  // Two equal points: the first (by index) is the low boundary, the second the high one.
  EXPECT_THAT(CrowdingDistances(std::vector<double>{2, 2, 2, 2, 1, 3}, 2, {0, 0, 0}),
              ElementsAre(kInf, kInf, kInf));
}

Individual Member(double quality, double cost) {
  Fitness f;
  f.quality = quality;
  f.inference_cost = cost;
  return Individual{std::make_shared<const Program>(), f};
}

std::vector<std::pair<double, double>> Points(const ParetoArchive& archive) {
  std::vector<std::pair<double, double>> points;
  for (const Individual& m : archive.members()) {
    points.emplace_back(m.fitness.quality, m.fitness.inference_cost);
  }
  return points;
}

Selection QualityAndCost(int archive_size) {
  ObjectivesSpec spec = ParseTextOrDie<ObjectivesSpec>(
      "selection: PARETO pareto_objectives: [ QUALITY, INFERENCE_COST ]");
  spec.set_archive_size(archive_size);
  return Selection::FromSpec(spec);
}

TEST(ParetoArchiveTest, KeepsTheNonDominatedBoundedByCrowding) {
  ParetoArchive archive(QualityAndCost(3), 3);
  EXPECT_TRUE(archive.Offer(Member(0.5, 10)));
  EXPECT_FALSE(archive.Offer(Member(0.5, 10)));  // A duplicate: the first one stays.
  EXPECT_FALSE(archive.Offer(Member(0.4, 12)));  // Dominated.
  EXPECT_TRUE(archive.Offer(Member(0.6, 20)));
  EXPECT_TRUE(archive.Offer(Member(0.7, 30)));
  // Non-dominated but the most crowded of four: (0.7 - 0.6) / 0.2 + (30 - 20) / 20 = 1.0
  // against (0.6, 20)'s (0.65 - 0.5) / 0.2 + (22 - 10) / 20 = 1.35; it leaves at once.
  EXPECT_FALSE(archive.Offer(Member(0.65, 22)));
  using P = std::pair<double, double>;
  EXPECT_THAT(Points(archive), ElementsAre(P(0.5, 10), P(0.6, 20), P(0.7, 30)));
  // Dominating (0.6, 20): it leaves, the newcomer comes last in insertion order.
  EXPECT_TRUE(archive.Offer(Member(0.6, 15)));
  EXPECT_THAT(Points(archive), ElementsAre(P(0.5, 10), P(0.7, 30), P(0.6, 15)));
}

TEST(ParetoArchiveTest, TiesInCrowdingDropTheOldest) {
  ParetoArchive archive(QualityAndCost(1), 1);
  EXPECT_TRUE(archive.Offer(Member(0.5, 10)));
  // Two boundary points (both infinite): the older leaves.
  EXPECT_TRUE(archive.Offer(Member(0.6, 20)));
  using P = std::pair<double, double>;
  EXPECT_THAT(Points(archive), ElementsAre(P(0.6, 20)));
}

TEST(ParetoArchiveTest, RestoreChecksTheSavedMembers) {
  ParetoArchive archive(QualityAndCost(2), 2);
  EXPECT_TRUE(archive.Restore({Member(0.5, 10), Member(0.6, 20)}).ok());
  EXPECT_EQ(archive.size(), 2);
  EXPECT_THAT(
      std::string(archive.Restore({Member(0.5, 10), Member(0.6, 20), Member(0.7, 30)}).message()),
      HasSubstr("3 members but archive_size is 2"));
  EXPECT_THAT(std::string(archive.Restore({Member(0.5, 10), Member(0.6, 5)}).message()),
              HasSubstr("not distinct and mutually non-dominated"));
  EXPECT_FALSE(archive.Restore({Individual{nullptr, Fitness()}}).ok());
}

TEST(ParetoTournamentTest, TheFirstDrawnNonDominatedContestantWins) {
  // Member 0 is dominated by 1 and 2, which trade quality for cost. Among at most two distinct
  // non-dominated points every one is a boundary (infinite crowding), so the earliest draw
  // among them wins; member 0 only when it is all that was drawn.
  const int kSize = 3, kTournament = 3;
  RegularizedEvolution evolution(kSize, kTournament, nullptr, nullptr, 5, QualityAndCost(4));
  ASSERT_TRUE(evolution
                  .RestoreState({Member(0.1, 50), Member(0.5, 10), Member(0.7, 30)}, 0, 3,
                                Member(0.7, 30), Rng(5).state())
                  .ok());
  for (int trial = 0; trial < 200; ++trial) {
    Rng replay(0);
    replay.set_state(evolution.rng().state());
    int expected = -1;
    for (int i = 0; i < kTournament; ++i) {
      const int draw = static_cast<int>(replay.UniformInt(kSize));
      if (expected == -1 && draw != 0) expected = draw;
    }
    EXPECT_EQ(evolution.Tournament(), expected == -1 ? 0 : expected) << "trial " << trial;
  }
}

// The tournament computes only the first front's crowding; the winner must be NSGA-II's crowded
// comparison over full ranks: lowest rank, then largest crowding, then the earliest draw.
TEST(ParetoTournamentTest, EqualsTheCrowdedComparisonOverFullRanks) {
  const int kSize = 30, kTournament = 6;
  std::vector<Individual> population;
  Rng values(3);
  for (int i = 0; i < kSize; ++i) {
    // Coarse values: ties and duplicates are common.
    population.push_back(Member(values.UniformInt(5) / 4.0, 10.0 * values.UniformInt(4)));
  }
  RegularizedEvolution evolution(kSize, kTournament, nullptr, nullptr, 8, QualityAndCost(4));
  ASSERT_TRUE(evolution.RestoreState(population, 0, kSize, population[0], Rng(8).state()).ok());
  const Selection selection = QualityAndCost(4);
  for (int trial = 0; trial < 300; ++trial) {
    Rng replay(0);
    replay.set_state(evolution.rng().state());
    std::vector<int> draws;
    std::vector<double> points(2 * kTournament);
    for (int i = 0; i < kTournament; ++i) {
      draws.push_back(static_cast<int>(replay.UniformInt(kSize)));
      selection.OrientedPoint(population[draws[i]].fitness, &points[2 * i]);
    }
    const std::vector<int> ranks = NonDominatedRanks(points, 2);
    const std::vector<double> crowding = CrowdingDistances(points, 2, ranks);
    int expected = 0;
    for (int i = 1; i < kTournament; ++i) {
      if (ranks[i] < ranks[expected] ||
          (ranks[i] == ranks[expected] && crowding[i] > crowding[expected])) {
        expected = i;
      }
    }
    EXPECT_EQ(evolution.Tournament(), draws[expected]) << "trial " << trial;
  }
}

TEST(ParetoFrontTest, MergeKeepsTheNonDominatedOnceBestFirst) {
  const Selection selection = QualityAndCost(10);
  // (0.6, 20) twice (the first is kept), (0.5, 10), (0.7, 30), and (0.5, 25) dominated.
  const std::vector<Individual> candidates = {Member(0.6, 20), Member(0.5, 10), Member(0.5, 25),
                                              Member(0.7, 30), Member(0.6, 20)};
  EXPECT_THAT(MergeFront(selection, candidates), ElementsAre(3, 0, 1));
}

TEST(ParetoFrontTest, RecommendsTheBestWithinTheBoundsElseTheKnee) {
  // (quality, cost): the knee (0.8, 20) is farthest from the line between (0.5, 0) and
  // (0.9, 100): normalized sums 0 + 1, 0.75 + 0.8, 1 + 0.
  std::vector<Fitness> front;
  for (const auto& [q, c] :
       std::vector<std::pair<double, double>>{{0.5, 0}, {0.8, 20}, {0.9, 100}}) {
    front.push_back(Member(q, c).fitness);
  }
  const Recommendation knee = Recommend(QualityAndCost(10), front);
  EXPECT_EQ(knee.index, 1);
  EXPECT_EQ(knee.rule, "knee of the front");

  ObjectivesSpec bounded = ParseTextOrDie<ObjectivesSpec>(
      "selection: PARETO pareto_objectives: [ QUALITY, INFERENCE_COST ] "
      "bounds { objective: INFERENCE_COST max: 10 }");
  const Recommendation cheap = Recommend(Selection::FromSpec(bounded), front);
  EXPECT_EQ(cheap.index, 0);  // The only one within cost 10.
  EXPECT_EQ(cheap.rule, "best quality within the bounds");
  bounded.mutable_bounds(0)->set_max(1000);
  EXPECT_EQ(Recommend(Selection::FromSpec(bounded), front).index, 2);
  bounded.mutable_bounds(0)->set_max(-1);  // Nobody within: the knee.
  EXPECT_EQ(Recommend(Selection::FromSpec(bounded), front).index, 1);
}

}  // namespace
}  // namespace automl
