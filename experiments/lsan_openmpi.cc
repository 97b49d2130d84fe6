#include "experiments/lsan_openmpi.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>

// LeakSanitizer reads these at startup (LSAN_OPTIONS still overrides the options).
extern "C" {

// Open MPI's plugins lack frame pointers, where the default unwinder stops before reaching a
// library the suppressions name. The exact unwinder costs little here: the search allocates
// outside its hot loops only. print_suppressions=0: the table of suppressed Open MPI leaks
// would otherwise follow every run's output, after the one error line of a bad input.
const char* __lsan_default_options() { return "fast_unwind_on_malloc=0:print_suppressions=0"; }

// A leak is suppressed when its allocation stack passes through one of these.
const char* __lsan_default_suppressions() {
  return "leak:libmpi.so\n"
         "leak:libopen-pal.so\n"
         "leak:libopen-rte.so\n"
         // Open MPI's plugins (openmpi/lib/openmpi3/mca_*.so).
         "leak:/openmpi/lib/\n"
         // What Open MPI loads for process management and the hardware topology.
         "leak:libpmix.so\n"
         "leak:libhwloc.so\n";
}

}  // extern "C"
#endif

namespace automl {

void CheckLeaksBeforeMpiFinalize() {
#if defined(__SANITIZE_ADDRESS__)
  __lsan_do_leak_check();
#endif
}

}  // namespace automl
