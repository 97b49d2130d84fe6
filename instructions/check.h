// CHECK for programmer errors (broken invariants), never for input a user can get wrong: those
// return absl::Status. Debian's Abseil (20220623) predates absl/log, hence this macro.
#ifndef INSTRUCTIONS_CHECK_H_
#define INSTRUCTIONS_CHECK_H_

#include <cstdio>
#include <cstdlib>

#define AUTOML_CHECK(condition)                                                          \
  do {                                                                                   \
    if (!(condition)) {                                                                  \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (false)

#endif  // INSTRUCTIONS_CHECK_H_
