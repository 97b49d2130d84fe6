#include "evolution/regularized_evolution.h"

#include "absl/strings/str_cat.h"
#include "evolution/pareto.h"
#include "instructions/check.h"

namespace automl {

RegularizedEvolution::RegularizedEvolution(int population_size, int tournament_size,
                                           SearchEvaluator* evaluator, const Mutator* mutator,
                                           uint64_t seed, const Selection& selection)
    : population_size_(population_size),
      tournament_size_(tournament_size),
      evaluator_(evaluator),
      mutator_(mutator),
      rng_(seed),
      selection_(selection) {
  population_.reserve(population_size_);
  if (selection_.mode() == SelectionMode::kPareto) {
    archive_.emplace(selection_, selection_.archive_size());
    contestants_.resize(tournament_size_);
    points_.resize(tournament_size_ * selection_.num_pareto());
    ranks_.resize(tournament_size_);
    order_.resize(tournament_size_);
    distances_.resize(tournament_size_);
  }
}

void RegularizedEvolution::Consider(const Individual& individual) {
  if (!best_ever_.program || selection_.IsBetter(individual.fitness, best_ever_.fitness)) {
    best_ever_ = individual;
  }
  if (archive_) archive_->Offer(individual);
}

void RegularizedEvolution::Initialize(const std::vector<Program>& initial) {
  AUTOML_CHECK(static_cast<int>(initial.size()) == population_size_);
  population_.clear();
  oldest_ = 0;
  for (const Program& program : initial) {
    Individual individual{std::make_shared<const Program>(program), evaluator_->Evaluate(program)};
    ++num_individuals_;
    Consider(individual);
    population_.push_back(std::move(individual));
  }
}

void RegularizedEvolution::Rescore() {
  std::vector<Individual> known;
  if (best_ever_.program) known.push_back(std::move(best_ever_));
  best_ever_ = Individual();
  if (archive_) {
    known.insert(known.end(), archive_->members().begin(), archive_->members().end());
    archive_.emplace(selection_, selection_.archive_size());
  }
  for (Individual& individual : known) {
    individual.fitness = evaluator_->Evaluate(*individual.program);
    Consider(individual);
  }
  for (Individual& member : population_) {
    member.fitness = evaluator_->Evaluate(*member.program);
    Consider(member);
  }
}

int RegularizedEvolution::Tournament() {
  if (archive_) return ParetoTournament();
  int winner = static_cast<int>(rng_.UniformInt(population_size_));
  if (selection_.mode() == SelectionMode::kSingleObjective) {
    // The default search's loop, kept free of the mode switch.
    for (int i = 1; i < tournament_size_; ++i) {
      const int contender = static_cast<int>(rng_.UniformInt(population_size_));
      if (IsBetter(population_[contender].fitness, population_[winner].fitness)) {
        winner = contender;
      }
    }
    return winner;
  }
  for (int i = 1; i < tournament_size_; ++i) {
    const int contender = static_cast<int>(rng_.UniformInt(population_size_));
    if (selection_.IsBetter(population_[contender].fitness, population_[winner].fitness)) {
      winner = contender;
    }
  }
  return winner;
}

int RegularizedEvolution::ParetoTournament() {
  const int k = tournament_size_;
  const int m = selection_.num_pareto();
  for (int i = 0; i < k; ++i) {
    contestants_[i] = static_cast<int>(rng_.UniformInt(population_size_));
    selection_.OrientedPoint(population_[contestants_[i]].fitness, &points_[i * m]);
  }
  // Only the first front can win, so only its ranks and crowding are computed. With one or
  // two members the earliest wins: two distinct points are both boundaries (infinite), two
  // equal ones both 0.
  FirstFront(points_.data(), k, m, ranks_.data());
  int front_size = 0, first = -1;
  for (int i = 0; i < k; ++i) {
    if (ranks_[i] != 0) continue;
    if (first < 0) first = i;
    ++front_size;
  }
  if (front_size <= 2) return contestants_[first];
  CrowdingDistances(points_.data(), k, m, ranks_.data(), order_.data(), distances_.data());
  int winner = first;
  for (int i = first + 1; i < k; ++i) {
    if (ranks_[i] == 0 && distances_[i] > distances_[winner]) winner = i;
  }
  return contestants_[winner];
}

void RegularizedEvolution::Step() {
  const Individual& parent = population_[Tournament()];
  Individual child;
  Program program = *parent.program;
  if (mutator_->MaybeMutate(program, rng_) == IDENTITY && program == *parent.program) {
    child.program = parent.program;  // A clone shares the parent's program.
  } else {
    child.program = std::make_shared<const Program>(std::move(program));
  }
  child.fitness = evaluator_->Evaluate(*child.program);
  ++num_individuals_;
  Consider(child);
  population_[oldest_] = std::move(child);
  oldest_ = (oldest_ + 1) % population_size_;
}

std::vector<Individual> RegularizedEvolution::Emigrants(int count, bool include_best) {
  std::vector<Individual> emigrants;
  if (count <= 0 || population_.empty()) return emigrants;
  if (archive_ && archive_->size() > 0) {
    const std::vector<Individual>& members = archive_->members();
    if (include_best) {
      int best = 0;
      for (int i = 1; i < archive_->size(); ++i) {
        if (selection_.IsBetter(members[i].fitness, members[best].fitness)) best = i;
      }
      emigrants.push_back(members[best]);
    }
    while (static_cast<int>(emigrants.size()) < count) {
      emigrants.push_back(members[rng_.UniformInt(members.size())]);
    }
    return emigrants;
  }
  if (include_best) {
    int best = 0;
    for (int i = 1; i < static_cast<int>(population_.size()); ++i) {
      if (selection_.IsBetter(population_[i].fitness, population_[best].fitness)) best = i;
    }
    emigrants.push_back(population_[best]);
  }
  while (static_cast<int>(emigrants.size()) < count) {
    emigrants.push_back(population_[rng_.UniformInt(population_.size())]);
  }
  return emigrants;
}

void RegularizedEvolution::Immigrate(const std::vector<Individual>& arrivals) {
  for (const Individual& migrant : arrivals) {
    Individual arrival{std::make_shared<const Program>(*migrant.program), migrant.fitness};
    Consider(arrival);
    population_[oldest_] = std::move(arrival);
    oldest_ = (oldest_ + 1) % population_size_;
  }
}

absl::Status RegularizedEvolution::RestoreState(std::vector<Individual> population, int oldest,
                                                int64_t num_individuals, Individual best_ever,
                                                const Rng::State& rng) {
  if (static_cast<int>(population.size()) != population_size_) {
    return absl::InvalidArgumentError(absl::StrCat("the saved population has ", population.size(),
                                                   " members but population_size is ",
                                                   population_size_));
  }
  if (oldest < 0 || oldest >= population_size_) {
    return absl::InvalidArgumentError(
        absl::StrCat("the saved oldest member index ", oldest, " is outside the population"));
  }
  for (const Individual& member : population) {
    if (!member.program) return absl::InvalidArgumentError("a saved member has no program");
  }
  if (!best_ever.program) return absl::InvalidArgumentError("the saved best has no program");
  population_ = std::move(population);
  oldest_ = oldest;
  num_individuals_ = num_individuals;
  best_ever_ = std::move(best_ever);
  rng_.set_state(rng);
  return absl::OkStatus();
}

absl::Status RegularizedEvolution::RestoreArchive(std::vector<Individual> members) {
  // A spec changed away from PARETO (--force_spec_change) has no use for the saved archive.
  if (!archive_) return absl::OkStatus();
  return archive_->Restore(std::move(members));
}

double RegularizedEvolution::MeanFitness() const {
  if (population_.empty()) return 0.0;
  double sum = 0.0;
  for (const Individual& individual : population_) sum += individual.fitness.quality;
  return sum / population_.size();
}

}  // namespace automl
