#include "evolution/pareto_archive.h"

#include <algorithm>
#include <array>
#include <utility>

#include "absl/strings/str_cat.h"
#include "evolution/pareto.h"
#include "instructions/check.h"

namespace automl {

ParetoArchive::ParetoArchive(const Selection& selection, int capacity)
    : selection_(selection), capacity_(capacity), m_(selection.num_pareto()) {
  AUTOML_CHECK(capacity_ >= 1 && m_ >= 1);
  members_.reserve(capacity_ + 1);
  points_.reserve((capacity_ + 1) * m_);
  ranks_.assign(capacity_ + 1, 0);
  order_.resize(capacity_ + 1);
  distances_.resize(capacity_ + 1);
}

bool ParetoArchive::Offer(const Individual& individual) {
  std::array<double, kNumObjectives> point;
  selection_.OrientedPoint(individual.fitness, point.data());
  const int n = size();
  for (int i = 0; i < n; ++i) {
    const double* member = &points_[i * m_];
    if (std::equal(member, member + m_, point.data()) || DominatesPoint(member, point.data(), m_)) {
      return false;
    }
  }
  // Members the newcomer dominates leave, keeping the others' order.
  int kept = 0;
  for (int i = 0; i < n; ++i) {
    if (DominatesPoint(point.data(), &points_[i * m_], m_)) continue;
    if (kept != i) {
      members_[kept] = std::move(members_[i]);
      std::copy(&points_[i * m_], &points_[(i + 1) * m_], &points_[kept * m_]);
    }
    ++kept;
  }
  members_.resize(kept);
  points_.resize(kept * m_);
  Insert(individual, point.data());
  if (size() > capacity_) return DropMostCrowded() != size();  // The newcomer was last.
  return true;
}

void ParetoArchive::Insert(const Individual& individual, const double* point) {
  members_.push_back(individual);
  points_.insert(points_.end(), point, point + m_);
}

int ParetoArchive::DropMostCrowded() {
  const int n = size();
  CrowdingDistances(points_.data(), n, m_, ranks_.data(), order_.data(), distances_.data());
  // The first smallest is the oldest insertion among the ties.
  const int drop = static_cast<int>(std::min_element(distances_.begin(), distances_.begin() + n) -
                                    distances_.begin());
  members_.erase(members_.begin() + drop);
  points_.erase(points_.begin() + drop * m_, points_.begin() + (drop + 1) * m_);
  return drop;
}

absl::Status ParetoArchive::Restore(std::vector<Individual> members) {
  if (static_cast<int>(members.size()) > capacity_) {
    return absl::InvalidArgumentError(absl::StrCat("the saved archive has ", members.size(),
                                                   " members but archive_size is ", capacity_));
  }
  members_.clear();
  points_.clear();
  for (const Individual& member : members) {
    if (!member.program) return absl::DataLossError("a saved archive member has no program");
    const int before = size();
    if (!Offer(member) || size() != before + 1) {
      return absl::DataLossError(
          "the saved archive's members are not distinct and mutually non-dominated");
    }
  }
  return absl::OkStatus();
}

}  // namespace automl
