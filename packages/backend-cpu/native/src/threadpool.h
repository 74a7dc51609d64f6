// A small fork-join thread pool shared by every kernel (and every Node isolate that loads the addon).
#pragma once

#include <cstdint>
#include <functional>

namespace kd {

/** Threads the kernels use, the calling thread included (at least 1). */
int num_threads();
/** Resize the pool to `n` threads, the calling thread included. */
void set_num_threads(int n);
/** The default: KINDLING_NUM_THREADS, else OMP_NUM_THREADS, else the CPUs this process may run on. */
int default_num_threads();

/**
 * Run fn(i) for every i in [0, ntasks), spread over the pool, and return when all are done.
 * The calling thread takes part. Runs serially when the pool is busy (a nested call, or another
 * isolate's kernel) or when `ntasks` < 2. An exception thrown by a task is rethrown here.
 */
void parallel_for(int64_t ntasks, const std::function<void(int64_t)>& fn);

/** fn(i) for every i in [0, ntasks): inline on one thread (no std::function per call), else over the pool. */
template <typename F>
void for_each_task(int64_t ntasks, const F& fn) {
  if (ntasks <= 1 || num_threads() == 1) {
    for (int64_t i = 0; i < ntasks; i++) fn(i);
  } else {
    parallel_for(ntasks, [&](int64_t i) { fn(i); });
  }
}

}  // namespace kd
