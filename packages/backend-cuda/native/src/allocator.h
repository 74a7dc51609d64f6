// A caching device allocator in the manner of PyTorch's CUDACachingAllocator: requests are rounded to
// size classes, served from cached blocks when one fits (best fit, split when the rest is worth keeping),
// and freed blocks go back to the cache (merged with free neighbours) instead of to the driver. Small
// requests (<= 1 MiB) come from 2 MiB segments, large ones from segments of at least 20 MiB or the
// request rounded to 2 MiB. empty_cache() returns every whole free segment to the driver. Statistics
// use PyTorch's names (allocated_bytes, reserved_bytes, active_bytes, inactive_split_bytes, allocation,
// segment, active, inactive_split; current/peak/allocated/freed per pool), so torch.cuda.memory_stats()
// and memory_summary() read the same.
//
// The raw allocator is a template parameter so the same logic runs on host memory in tests.
#pragma once
#include <cstddef>
#include <cstdio>
#include <stdexcept>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace kindling {

constexpr size_t kMinBlockSize = 512;
constexpr size_t kSmallSize = 1 << 20;         // largest "small" request
constexpr size_t kSmallBuffer = 2 << 20;       // small-pool segment size
constexpr size_t kLargeBuffer = 20 << 20;      // large-pool segment size for mid-sized requests
constexpr size_t kMinLargeAlloc = 10 << 20;    // requests below this share a kLargeBuffer segment
constexpr size_t kRoundLarge = 2 << 20;        // large segments are multiples of this

struct Stat {
  int64_t current = 0, peak = 0, allocated = 0, freed = 0;
  void increase(int64_t n) {
    current += n;
    allocated += n;
    if (current > peak) peak = current;
  }
  void decrease(int64_t n) {
    current -= n;
    freed += n;
  }
  void reset_peak() { peak = current; }
};

enum Pool { kAll = 0, kLargePool = 1, kSmallPool = 2 };

struct StatArray {
  Stat s[3];
  void increase(bool small, int64_t n) {
    s[kAll].increase(n);
    s[small ? kSmallPool : kLargePool].increase(n);
  }
  void decrease(bool small, int64_t n) {
    s[kAll].decrease(n);
    s[small ? kSmallPool : kLargePool].decrease(n);
  }
  void reset_peak() {
    for (auto& x : s) x.reset_peak();
  }
};

struct DeviceStats {
  StatArray allocated_bytes, reserved_bytes, active_bytes, inactive_split_bytes;
  StatArray allocation, segment, active, inactive_split;
  Stat oversize_allocations, oversize_segments;
  int64_t num_alloc_retries = 0, num_ooms = 0;
  int64_t max_split_size = -1;
};

struct Block {
  uintptr_t ptr;
  size_t size;           // bytes of this block
  size_t requested;      // bytes the caller asked for
  bool small;
  bool allocated = false;
  Block* prev = nullptr;  // neighbours within one segment
  Block* next = nullptr;
  Block(uintptr_t p, size_t s, bool sm) : ptr(p), size(s), requested(0), small(sm) {}
};

struct BlockLess {
  bool operator()(const Block* a, const Block* b) const { return a->size != b->size ? a->size < b->size : a->ptr < b->ptr; }
};

class OutOfMemory : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/** RawAlloc: struct with `bool alloc(size_t, uintptr_t*)`, `void free(uintptr_t)`, `size_t total()`. */
template <class RawAlloc>
class CachingAllocator {
 public:
  explicit CachingAllocator(RawAlloc raw, int device = 0) : raw_(raw), device_(device) {}
  ~CachingAllocator() {
    release_cached();
    release_all();
  }

  static size_t round_size(size_t n) { return n < kMinBlockSize ? kMinBlockSize : kMinBlockSize * ((n + kMinBlockSize - 1) / kMinBlockSize); }
  static size_t segment_size(size_t n) {
    if (n <= kSmallSize) return kSmallBuffer;
    if (n < kMinLargeAlloc) return kLargeBuffer;
    return kRoundLarge * ((n + kRoundLarge - 1) / kRoundLarge);
  }

  uintptr_t malloc(size_t requested) {
    size_t size = round_size(requested);
    bool small = size <= kSmallSize;
    auto& pool = small ? small_blocks_ : large_blocks_;
    Block* block = take_from_pool(pool, size);
    if (!block) {
      size_t seg = segment_size(size);
      uintptr_t p = 0;
      if (!raw_.alloc(seg, &p)) {
        // Free the cached segments and retry once, as PyTorch does before reporting OOM.
        stats_.num_alloc_retries++;
        release_cached();
        if (!raw_.alloc(seg, &p)) {
          stats_.num_ooms++;
          throw OutOfMemory(oom_message(requested));
        }
      }
      block = new Block(p, seg, small);
      stats_.segment.increase(small, 1);
      stats_.reserved_bytes.increase(small, seg);
    }
    // Split off the remainder when it is worth keeping (PyTorch: small pool if >= 512 B, large if > 1 MiB).
    size_t remaining = block->size - size;
    if ((small && remaining >= kMinBlockSize) || (!small && remaining > kSmallSize)) {
      Block* rest = new Block(block->ptr + size, remaining, small);
      rest->prev = block;
      rest->next = block->next;
      if (rest->next) rest->next->prev = rest;
      block->next = rest;
      block->size = size;
      pool.insert(rest);
      stats_.inactive_split.increase(small, 1);
      stats_.inactive_split_bytes.increase(small, remaining);
    }
    block->allocated = true;
    block->requested = requested;
    active_[block->ptr] = block;
    stats_.allocation.increase(small, 1);
    stats_.allocated_bytes.increase(small, block->size);
    stats_.active.increase(small, 1);
    stats_.active_bytes.increase(small, block->size);
    return block->ptr;
  }

  void free(uintptr_t ptr) {
    auto it = active_.find(ptr);
    if (it == active_.end()) throw std::invalid_argument("free of a pointer this allocator did not allocate");
    Block* block = it->second;
    active_.erase(it);
    bool small = block->small;
    stats_.allocation.decrease(small, 1);
    stats_.allocated_bytes.decrease(small, block->size);
    stats_.active.decrease(small, 1);
    stats_.active_bytes.decrease(small, block->size);
    block->allocated = false;
    auto& pool = small ? small_blocks_ : large_blocks_;
    // Merge with free neighbours of the same segment.
    for (Block* nb : {block->prev, block->next}) {
      if (!nb || nb->allocated) continue;
      stats_.inactive_split.decrease(small, 1);
      stats_.inactive_split_bytes.decrease(small, nb->size);
      pool.erase(nb);
      if (nb == block->prev) {
        nb->size += block->size;
        nb->next = block->next;
        if (nb->next) nb->next->prev = nb;
        delete block;
        block = nb;
      } else {
        block->size += nb->size;
        block->next = nb->next;
        if (block->next) block->next->prev = block;
        delete nb;
      }
    }
    if (block->prev || block->next) {
      stats_.inactive_split.increase(small, 1);
      stats_.inactive_split_bytes.increase(small, block->size);
    }
    pool.insert(block);
  }

  /** Return every wholly free segment to the raw allocator. */
  void empty_cache() { release_cached(); }

  void reset_peak_stats() {
    for (StatArray* a : {&stats_.allocated_bytes, &stats_.reserved_bytes, &stats_.active_bytes, &stats_.inactive_split_bytes,
                         &stats_.allocation, &stats_.segment, &stats_.active, &stats_.inactive_split})
      a->reset_peak();
    stats_.oversize_allocations.reset_peak();
    stats_.oversize_segments.reset_peak();
  }

  const DeviceStats& stats() const { return stats_; }
  size_t requested_of(uintptr_t ptr) const {
    auto it = active_.find(ptr);
    return it == active_.end() ? 0 : it->second->requested;
  }

 private:
  Block* take_from_pool(std::set<Block*, BlockLess>& pool, size_t size) {
    Block key(0, size, false);
    auto it = pool.lower_bound(&key);
    if (it == pool.end()) return nullptr;
    Block* b = *it;
    pool.erase(it);
    if (b->prev || b->next) {
      stats_.inactive_split.decrease(b->small, 1);
      stats_.inactive_split_bytes.decrease(b->small, b->size);
    }
    return b;
  }

  void release_cached() {
    for (auto* pool : {&small_blocks_, &large_blocks_}) {
      for (auto it = pool->begin(); it != pool->end();) {
        Block* b = *it;
        if (b->prev || b->next) {
          ++it;
          continue;  // part of a segment still in use
        }
        raw_.free(b->ptr);
        stats_.segment.decrease(b->small, 1);
        stats_.reserved_bytes.decrease(b->small, b->size);
        it = pool->erase(it);
        delete b;
      }
    }
  }

  void release_all() {
    for (auto* pool : {&small_blocks_, &large_blocks_}) {
      for (Block* b : *pool) delete b;
      pool->clear();
    }
  }

  static std::string fmt_bytes(double n) {
    char buf[64];
    if (n >= (1ull << 30)) snprintf(buf, sizeof buf, "%.2f GiB", n / (1ull << 30));
    else snprintf(buf, sizeof buf, "%.2f MiB", n / (1ull << 20));
    return buf;
  }

  std::string oom_message(size_t requested) const {
    // PyTorch's wording, so users recognise it.
    return "CUDA out of memory. Tried to allocate " + fmt_bytes(double(requested)) + " (GPU " + std::to_string(device_) + "; " +
           fmt_bytes(double(raw_.total())) + " total capacity; " + fmt_bytes(double(stats_.allocated_bytes.s[kAll].current)) +
           " already allocated; " + fmt_bytes(double(stats_.reserved_bytes.s[kAll].current)) +
           " reserved in total by PyTorch) If reserved memory is >> allocated memory try setting max_split_size_mb to avoid "
           "fragmentation.  See documentation for Memory Management and PYTORCH_CUDA_ALLOC_CONF";
  }

  RawAlloc raw_;
  int device_;
  std::set<Block*, BlockLess> small_blocks_, large_blocks_;
  std::unordered_map<uintptr_t, Block*> active_;
  DeviceStats stats_;
};

}  // namespace kindling
