// thread_name.h: names the calling thread, so that top -H, ps -L and perf
// tell sealform's threads apart (request threads, the intake writer, its
// syncer, the WAL checkpointer). Linux keeps at most 15 characters.
#ifndef SEALFORM_CORE_THREAD_NAME_H_
#define SEALFORM_CORE_THREAD_NAME_H_

#include <pthread.h>

namespace sealform {

// Best effort: a name that does not fit is cut, a failure is ignored (the
// name is a diagnostic aid, never something the program relies on).
inline void name_this_thread(const char* name) {
  char cut[16] = {};
  for (int i = 0; i < 15 && name[i] != '\0'; ++i) cut[i] = name[i];
  pthread_setname_np(pthread_self(), cut);
}

}  // namespace sealform

#endif  // SEALFORM_CORE_THREAD_NAME_H_
