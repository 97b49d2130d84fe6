#include "evolution/hurdle.h"

#include <algorithm>
#include <cmath>

namespace automl {

RollingHurdle::RollingHurdle(double percentile, int window_size, int min_samples)
    : percentile_(percentile),
      window_size_(std::max(1, window_size)),
      min_samples_(std::max(1, min_samples)) {
  window_.reserve(window_size_);
  scratch_.reserve(window_size_);
}

bool RollingHurdle::RecordAndCheck(double first_stage_fitness) {
  const bool passes = seen_ < min_samples_ || first_stage_fitness >= hurdle_;
  if (static_cast<int>(window_.size()) < window_size_) {
    window_.push_back(first_stage_fitness);
  } else {
    window_[next_] = first_stage_fitness;
    next_ = (next_ + 1) % window_size_;
  }
  ++seen_;
  // Recomputing the percentile costs O(window); doing it every tenth of a window keeps the
  // hurdle fresh at a tenth of the cost.
  const int every = std::max(1, window_size_ / 10);
  if (seen_ >= min_samples_ && (seen_ == min_samples_ || seen_ % every == 0)) Recompute();
  return passes;
}

void RollingHurdle::Recompute() {
  scratch_.assign(window_.begin(), window_.end());
  const double rank = percentile_ / 100.0 * (scratch_.size() - 1);
  const size_t k = static_cast<size_t>(std::floor(rank));
  std::nth_element(scratch_.begin(), scratch_.begin() + k, scratch_.end());
  hurdle_ = scratch_[k];
}

}  // namespace automl
