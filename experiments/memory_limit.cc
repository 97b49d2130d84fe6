#include "experiments/memory_limit.h"

#include <sys/resource.h>

#include <fstream>
#include <limits>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace automl {
namespace {

// MemAvailable in bytes, or infinity when /proc/meminfo does not say.
double MemAvailableBytes() {
  std::ifstream meminfo("/proc/meminfo");
  std::string line;
  while (std::getline(meminfo, line)) {
    std::istringstream fields(line);
    std::string name;
    double kib = 0;
    if (fields >> name >> kib && name == "MemAvailable:") return kib * 1024;
  }
  return std::numeric_limits<double>::infinity();
}

}  // namespace

MemoryLimit RunMemoryLimit(double max_memory_gb) {
  if (max_memory_gb > 0) {
    return {max_memory_gb * 1e9, absl::StrCat("set by --max_memory_gb=", max_memory_gb)};
  }
  MemoryLimit limit{MemAvailableBytes(),
                    "available (MemAvailable in /proc/meminfo; --max_memory_gb overrides it)"};
  struct rlimit address_space;
  if (getrlimit(RLIMIT_AS, &address_space) == 0 && address_space.rlim_cur != RLIM_INFINITY &&
      static_cast<double>(address_space.rlim_cur) < limit.bytes) {
    limit = {static_cast<double>(address_space.rlim_cur),
             "allowed by ulimit -v (--max_memory_gb overrides it)"};
  }
  return limit;
}

absl::Status CheckMemory(const MemoryEstimate& estimate, double max_memory_gb) {
  const MemoryLimit limit = RunMemoryLimit(max_memory_gb);
  return CheckMemoryEstimate(estimate, limit.bytes, limit.source);
}

}  // namespace automl
