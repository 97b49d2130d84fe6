#include "evolution/fec_cache.h"

namespace automl {

FecCache::FecCache(int capacity) : capacity_(capacity > 0 ? capacity : 1) {
  nodes_.reserve(capacity_);
  index_.reserve(capacity_);
}

void FecCache::Unlink(int32_t node) {
  Node& n = nodes_[node];
  if (n.newer >= 0)
    nodes_[n.newer].older = n.older;
  else
    newest_ = n.older;
  if (n.older >= 0)
    nodes_[n.older].newer = n.newer;
  else
    oldest_ = n.newer;
  n.newer = n.older = -1;
}

void FecCache::PushNewest(int32_t node) {
  Node& n = nodes_[node];
  n.newer = -1;
  n.older = newest_;
  if (newest_ >= 0) nodes_[newest_].newer = node;
  newest_ = node;
  if (oldest_ < 0) oldest_ = node;
}

std::optional<Fitness> FecCache::Lookup(uint64_t signature) {
  ++lookups_;
  auto it = index_.find(signature);
  if (it == index_.end()) return std::nullopt;
  ++hits_;
  Unlink(it->second);
  PushNewest(it->second);
  return nodes_[it->second].fitness;
}

void FecCache::Insert(uint64_t signature, const Fitness& fitness) {
  auto it = index_.find(signature);
  if (it != index_.end()) {
    nodes_[it->second].fitness = fitness;
    Unlink(it->second);
    PushNewest(it->second);
    return;
  }
  int32_t node;
  if (static_cast<int>(nodes_.size()) < capacity_) {
    node = static_cast<int32_t>(nodes_.size());
    nodes_.emplace_back();
  } else {
    node = oldest_;
    Unlink(node);
    index_.erase(nodes_[node].signature);
  }
  nodes_[node].signature = signature;
  nodes_[node].fitness = fitness;
  index_[signature] = node;
  PushNewest(node);
}

std::vector<std::pair<uint64_t, Fitness>> FecCache::EntriesOldestFirst() const {
  std::vector<std::pair<uint64_t, Fitness>> entries;
  entries.reserve(index_.size());
  for (int32_t node = oldest_; node >= 0; node = nodes_[node].newer) {
    entries.emplace_back(nodes_[node].signature, nodes_[node].fitness);
  }
  return entries;
}

void FecCache::Restore(const std::vector<std::pair<uint64_t, Fitness>>& entries_oldest_first,
                       int64_t hits, int64_t lookups) {
  nodes_.clear();
  index_.clear();
  newest_ = oldest_ = -1;
  for (const auto& [signature, fitness] : entries_oldest_first) Insert(signature, fitness);
  hits_ = hits;
  lookups_ = lookups;
}

}  // namespace automl
