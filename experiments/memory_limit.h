// The memory a search may use, and the check run before anything large is allocated: a run
// whose estimate (evolution/memory_estimate.h) exceeds it is refused with one line.
#ifndef EXPERIMENTS_MEMORY_LIMIT_H_
#define EXPERIMENTS_MEMORY_LIMIT_H_

#include <string>

#include "absl/status/status.h"
#include "evolution/memory_estimate.h"

namespace automl {

struct MemoryLimit {
  double bytes = 0;    // Infinity when nothing is known.
  std::string source;  // For the error line, e.g. "available (MemAvailable in /proc/meminfo)".
};

// --max_memory_gb when > 0; else MemAvailable from /proc/meminfo, or the address-space limit
// (ulimit -v) when that is lower.
MemoryLimit RunMemoryLimit(double max_memory_gb);

// ResourceExhausted (one line naming the spec fields and flags that drive the estimate) when
// the estimate exceeds RunMemoryLimit(max_memory_gb).
absl::Status CheckMemory(const MemoryEstimate& estimate, double max_memory_gb);

}  // namespace automl

#endif  // EXPERIMENTS_MEMORY_LIMIT_H_
