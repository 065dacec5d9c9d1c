// malloc_tuning.h: glibc malloc settings for sealform-fcgi's many threads.
//
// By default glibc gives memory back to the kernel whenever the free space
// at the top of a heap passes 128 KiB, so a thread that frees and then
// allocates again (SQLite does, around every savepoint and commit of the
// intake writer) pays for brk/madvise calls, page faults and, with other
// threads running, TLB shootdowns across CPUs. Keeping up to 16 MiB of
// free top per heap, and growing heaps 1 MiB at a time, took the writer's
// time per stored enquiry from about 115 to about 82 microseconds under
// scripts/bench (target e), for no visible change in peak RSS.
#ifndef SEALFORM_FCGI_MALLOC_TUNING_H_
#define SEALFORM_FCGI_MALLOC_TUNING_H_

#include <malloc.h>

namespace sealform::fcgi {

// Call before any thread starts. Best effort: mallopt failing leaves
// glibc's defaults, which are slower but correct.
inline void tune_malloc_for_threads() {
  mallopt(M_TRIM_THRESHOLD, 16 * 1024 * 1024);
  mallopt(M_TOP_PAD, 1024 * 1024);
}

}  // namespace sealform::fcgi

#endif  // SEALFORM_FCGI_MALLOC_TUNING_H_
