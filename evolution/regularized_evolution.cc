#include "evolution/regularized_evolution.h"

#include "absl/strings/str_cat.h"
#include "instructions/check.h"

namespace automl {

RegularizedEvolution::RegularizedEvolution(int population_size, int tournament_size,
                                           SearchEvaluator* evaluator, const Mutator* mutator,
                                           uint64_t seed)
    : population_size_(population_size),
      tournament_size_(tournament_size),
      evaluator_(evaluator),
      mutator_(mutator),
      rng_(seed) {
  population_.reserve(population_size_);
}

void RegularizedEvolution::Consider(const Individual& individual) {
  if (!best_ever_.program || IsBetter(individual.fitness, best_ever_.fitness)) {
    best_ever_ = individual;
  }
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

int RegularizedEvolution::Tournament() {
  int winner = static_cast<int>(rng_.UniformInt(population_size_));
  for (int i = 1; i < tournament_size_; ++i) {
    const int contender = static_cast<int>(rng_.UniformInt(population_size_));
    if (IsBetter(population_[contender].fitness, population_[winner].fitness)) {
      winner = contender;
    }
  }
  return winner;
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
  if (include_best) {
    int best = 0;
    for (int i = 1; i < static_cast<int>(population_.size()); ++i) {
      if (IsBetter(population_[i].fitness, population_[best].fitness)) best = i;
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

double RegularizedEvolution::MeanFitness() const {
  if (population_.empty()) return 0.0;
  double sum = 0.0;
  for (const Individual& individual : population_) sum += individual.fitness.quality;
  return sum / population_.size();
}

}  // namespace automl
