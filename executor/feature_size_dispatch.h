// Turns the run-time feature size into the compile-time F of Memory<F> and the kernels: the one
// list of compiled sizes, and the one switch over it, for every place that instantiates code
// per feature size (the executor, simplification).
//
//   return DispatchFeatureSize(shape.feature_size, [&](auto size) -> absl::StatusOr<Program> {
//     return SimplifyFor<decltype(size)::value>(program, shape);
//   });
#ifndef EXECUTOR_FEATURE_SIZE_DISPATCH_H_
#define EXECUTOR_FEATURE_SIZE_DISPATCH_H_

#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace automl {

// The feature sizes compiled in (SupportedFeatureSizes() in executor.h lists them for users).
template <int... kSizes>
struct FeatureSizeList {};
using CompiledFeatureSizes = FeatureSizeList<2, 4, 8, 16, 32>;

namespace feature_size_internal {

template <typename Result, typename Body, int kFirst, int... kRest>
Result Dispatch(int feature_size, Body& body, FeatureSizeList<kFirst, kRest...>) {
  if (feature_size == kFirst) return body(std::integral_constant<int, kFirst>{});
  if constexpr (sizeof...(kRest) > 0) {
    return Dispatch<Result>(feature_size, body, FeatureSizeList<kRest...>{});
  } else {
    return Result(absl::InvalidArgumentError(
        absl::StrCat("feature size ", feature_size, " is not compiled in")));
  }
}

template <int... kSizes>
std::vector<int> ToVector(FeatureSizeList<kSizes...>) {
  return {kSizes...};
}

}  // namespace feature_size_internal

// body(std::integral_constant<int, F>{}) for F == feature_size. For a size that is not compiled
// in, the body's result type (a Status or StatusOr) made from an InvalidArgument error.
template <typename Body>
auto DispatchFeatureSize(int feature_size, Body&& body) {
  using Result = decltype(body(std::integral_constant<int, 2>{}));
  return feature_size_internal::Dispatch<Result>(feature_size, body, CompiledFeatureSizes{});
}

}  // namespace automl

#endif  // EXECUTOR_FEATURE_SIZE_DISPATCH_H_
