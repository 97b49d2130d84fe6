// Early returns for absl::Status and absl::StatusOr, so that a function that calls several
// fallible steps reads as the steps themselves:
//
//   absl::StatusOr<Dataset> Load(const std::string& path) {
//     ASSIGN_OR_RETURN(std::string bytes, ReadFileToString(path, "data file"));
//     RETURN_IF_ERROR(CheckHeader(bytes));
//     return Decode(bytes);
//   }
//
// Both return the error unchanged. Where the caller must add context (a file name, a task
// name), write the `if (!x.ok())` out: the macros are for passing errors through, not for
// rewording them. Debian's Abseil (20220623) does not ship these macros, hence this header.
#ifndef INSTRUCTIONS_STATUS_MACROS_H_
#define INSTRUCTIONS_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Returns `expr`'s status from the calling function when it is not OK. `expr` is an
// absl::Status or anything with a status() (an absl::StatusOr).
#define RETURN_IF_ERROR(expr)                                                        \
  do {                                                                               \
    const absl::Status automl_status_ = ::automl::status_internal::ToStatus((expr)); \
    if (!automl_status_.ok()) return automl_status_;                                 \
  } while (false)

// `lhs = *expr` for an absl::StatusOr `expr`, or returns its status when it is not OK. `lhs`
// may declare a variable (`ASSIGN_OR_RETURN(auto x, F())`) or name an existing one. Expands
// to more than one statement: do not use it as the body of an unbraced if or loop.
#define ASSIGN_OR_RETURN(lhs, expr) \
  AUTOML_ASSIGN_OR_RETURN_IMPL_(AUTOML_STATUS_CONCAT_(automl_statusor_, __LINE__), lhs, expr)

#define AUTOML_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                                  \
  if (!statusor.ok()) return std::move(statusor).status(); \
  lhs = *std::move(statusor)

#define AUTOML_STATUS_CONCAT_INNER_(a, b) a##b
#define AUTOML_STATUS_CONCAT_(a, b) AUTOML_STATUS_CONCAT_INNER_(a, b)

namespace automl::status_internal {

inline const absl::Status& ToStatus(const absl::Status& status) { return status; }
template <typename T>
const absl::Status& ToStatus(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

}  // namespace automl::status_internal

#endif  // INSTRUCTIONS_STATUS_MACROS_H_
