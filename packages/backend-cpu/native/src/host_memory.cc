// Host memory for tensors. On this kind of machine touching a fresh page costs far more than most
// kernels spend on it, so tensor memory must be reused. Tensors dropped without dispose() are freed
// by the garbage collector, and a JavaScript pool never sees their ArrayBuffers again; here each
// ArrayBuffer's backing store is a block of a native pool, and V8 hands the block back (through the
// backing store's deleter) as soon as it collects the buffer — also in the middle of a synchronous
// training loop, where no FinalizationRegistry callback can run.
#include <v8.h>

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <unistd.h>
#include <unordered_map>
#include <vector>

#include "host_memory.h"

namespace kd {

namespace {

constexpr size_t kAlign = 64;

class HostPool {
 public:
  void* take(size_t bytes) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = free_.find(bytes);
      if (it != free_.end() && !it->second.empty()) {
        void* p = it->second.back();
        it->second.pop_back();
        cached_ -= bytes;
        live_ += bytes;
        return p;
      }
    }
    void* p = std::aligned_alloc(kAlign, (bytes + kAlign - 1) / kAlign * kAlign);
    if (p) {
      std::lock_guard<std::mutex> lock(mu_);
      fresh_ += bytes;
      live_ += bytes;
    }
    return p;
  }

  // Called by V8 when a buffer is collected, possibly on a background thread.
  void give(void* p, size_t bytes) {
    std::lock_guard<std::mutex> lock(mu_);
    live_ -= bytes;
    // Keep what comes back, up to a quarter of the machine's memory: a training step's tensors come
    // back only when the garbage collector runs, often after the next step has begun, so anything
    // less makes every step take fresh pages again (torch.cuda.empty_cache's CPU twin frees it all).
    if (cached_ + bytes > max_cached_) {
      std::free(p);
      return;
    }
    free_[bytes].push_back(p);
    cached_ += bytes;
  }

  void trim() {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& [bytes, blocks] : free_)
      for (void* p : blocks) std::free(p);
    free_.clear();
    cached_ = 0;
  }

  HostPoolStats stats() {
    std::lock_guard<std::mutex> lock(mu_);
    return {live_, cached_, fresh_};
  }

 private:
  static size_t QuarterOfMemory() {
    const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
    const size_t floor = size_t{256} << 20;
    return pages > 0 && page > 0 ? std::max(floor, static_cast<size_t>(pages) * static_cast<size_t>(page) / 4) : floor;
  }
  const size_t max_cached_ = QuarterOfMemory();
  std::mutex mu_;
  std::unordered_map<size_t, std::vector<void*>> free_;
  size_t cached_ = 0;
  size_t live_ = 0;
  size_t fresh_ = 0;
};

// Never destroyed: buffers may still be collected while the process exits.
HostPool& pool() {
  static HostPool* p = new HostPool();
  return *p;
}

void ReturnBlock(void* data, size_t length, void*) { pool().give(data, length); }

}  // namespace

v8::Local<v8::ArrayBuffer> NewHostBuffer(v8::Isolate* isolate, size_t bytes) {
  void* p = pool().take(bytes);
  if (!p) return {};
  std::unique_ptr<v8::BackingStore> store = v8::ArrayBuffer::NewBackingStore(p, bytes, ReturnBlock, nullptr);
  return v8::ArrayBuffer::New(isolate, std::shared_ptr<v8::BackingStore>(std::move(store)));
}

void TrimHostPool() { pool().trim(); }

HostPoolStats HostPoolUsage() { return pool().stats(); }

}  // namespace kd
