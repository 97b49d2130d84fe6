// An island's archive in PARETO mode: the non-dominated programs it has seen (created, or
// arrived by migration), bounded in size. Migration sends its members, checkpoints save it,
// and at the end of a run the archives of all islands make the run's front (pareto_front.h).
#ifndef EVOLUTION_PARETO_ARCHIVE_H_
#define EVOLUTION_PARETO_ARCHIVE_H_

#include <vector>

#include "absl/status/status.h"
#include "evolution/individual.h"
#include "evolution/selection.h"

namespace automl {

class ParetoArchive {
 public:
  // `selection`: PARETO mode; capacity >= 1.
  ParetoArchive(const Selection& selection, int capacity);

  // Offers a member. It is kept unless a member dominates it or has the same point in
  // objective space (then the member already there stays: of duplicates the archive keeps
  // the first seen). Members it dominates leave. Over capacity, the member with the smallest
  // crowding distance among the members leaves (pareto.h; ties: the oldest insertion), so the
  // extremes of the front stay. Returns whether it was kept.
  bool Offer(const Individual& individual);

  // In insertion order (the order tie-breaking and checkpoints use).
  const std::vector<Individual>& members() const { return members_; }
  int size() const { return static_cast<int>(members_.size()); }

  // Replaces the members with saved ones (in insertion order). Errors: more than the
  // capacity, a member without a program, or members that are not mutually non-dominated
  // and distinct.
  absl::Status Restore(std::vector<Individual> members);

 private:
  void Insert(const Individual& individual, const double* point);
  // Removes the member with the smallest crowding distance; returns its index.
  int DropMostCrowded();

  Selection selection_;
  int capacity_;
  int m_;
  std::vector<Individual> members_;
  std::vector<double> points_;  // members_[i]'s oriented point at [i * m_, (i + 1) * m_).
  // Scratch for DropMostCrowded, sized once.
  std::vector<int> ranks_;
  std::vector<int> order_;
  std::vector<double> distances_;
};

}  // namespace automl

#endif  // EVOLUTION_PARETO_ARCHIVE_H_
