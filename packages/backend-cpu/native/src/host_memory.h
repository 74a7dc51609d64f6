// The native pool behind tensors' host memory (host_memory.cc).
#pragma once

#include <v8.h>

#include <cstddef>

namespace kd {

struct HostPoolStats {
  size_t live;    // bytes in ArrayBuffers V8 has not collected yet
  size_t cached;  // bytes kept for reuse
  size_t fresh;   // bytes ever taken from the system (not from the pool)
};

/** A new ArrayBuffer of `bytes` (uninitialised) from the pool; empty when out of memory. */
v8::Local<v8::ArrayBuffer> NewHostBuffer(v8::Isolate* isolate, size_t bytes);
/** Free every cached block. */
void TrimHostPool();
HostPoolStats HostPoolUsage();

}  // namespace kd
