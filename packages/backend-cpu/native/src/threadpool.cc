#include "threadpool.h"

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__linux__)
#include <sched.h>
#endif

namespace kd {

namespace {

int parse_threads(const char* s) {
  if (s == nullptr || *s == '\0') return 0;
  char* end = nullptr;
  const long v = std::strtol(s, &end, 10);
  // OMP_NUM_THREADS may be a list ("4,2"): its first entry is the outer level's count.
  if (end == s || (*end != '\0' && *end != ',') || v < 1) return 0;
  return v > 1024 ? 1024 : static_cast<int>(v);
}

int machine_threads() {
#if defined(__linux__)
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    const int n = CPU_COUNT(&set);
    if (n > 0) return n;
  }
#endif
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

class Pool {
 public:
  Pool() { start(default_num_threads()); }

  int size() const { return size_.load(std::memory_order_relaxed); }

  void resize(int n) {
    std::lock_guard<std::mutex> region(region_);
    stop_workers();
    start(n);
  }

  void run(int64_t ntasks, const std::function<void(int64_t)>& fn) {
    if (ntasks <= 0) return;
    std::unique_lock<std::mutex> region(region_, std::try_to_lock);
    if (!region.owns_lock() || workers_.empty() || ntasks == 1) {
      for (int64_t i = 0; i < ntasks; i++) fn(i);
      return;
    }
    {
      std::lock_guard<std::mutex> lk(m_);
      job_ = &fn;
      ntasks_ = ntasks;
      next_.store(0, std::memory_order_relaxed);
      active_ = static_cast<int>(workers_.size());
      error_ = nullptr;
      ++generation_;
    }
    cv_start_.notify_all();
    work(&fn, ntasks);
    std::unique_lock<std::mutex> lk(m_);
    cv_done_.wait(lk, [this] { return active_ == 0; });
    job_ = nullptr;
    std::exception_ptr err = error_;
    error_ = nullptr;
    lk.unlock();
    if (err) std::rethrow_exception(err);
  }

 private:
  void start(int n) {
    if (n < 1) n = 1;
    stop_ = false;
    // The generation is read here, not in the new thread: a job started before the thread first ran
    // would otherwise count as already seen, and run() would wait for that worker forever.
    const uint64_t gen = generation_;
    for (int i = 1; i < n; i++) {
      try {
        workers_.emplace_back([this, gen] { loop(gen); });
      } catch (...) {
        break;  // fewer threads than asked: the pool still works
      }
    }
    size_.store(static_cast<int>(workers_.size()) + 1, std::memory_order_relaxed);
  }

  void stop_workers() {
    {
      std::lock_guard<std::mutex> lk(m_);
      stop_ = true;
    }
    cv_start_.notify_all();
    for (auto& t : workers_) t.join();
    workers_.clear();
  }

  void work(const std::function<void(int64_t)>* fn, int64_t ntasks) {
    for (;;) {
      const int64_t i = next_.fetch_add(1, std::memory_order_relaxed);
      if (i >= ntasks) return;
      try {
        (*fn)(i);
      } catch (...) {
        std::lock_guard<std::mutex> lk(m_);
        if (!error_) error_ = std::current_exception();
      }
    }
  }

  void loop(uint64_t seen) {
    for (;;) {
      std::unique_lock<std::mutex> lk(m_);
      cv_start_.wait(lk, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
      const std::function<void(int64_t)>* fn = job_;
      const int64_t n = ntasks_;
      lk.unlock();
      work(fn, n);
      lk.lock();
      if (--active_ == 0) cv_done_.notify_one();
    }
  }

  std::mutex region_;  // one parallel region at a time; held while resizing
  std::mutex m_;
  std::condition_variable cv_start_, cv_done_;
  std::vector<std::thread> workers_;
  const std::function<void(int64_t)>* job_ = nullptr;
  int64_t ntasks_ = 0;
  std::atomic<int64_t> next_{0};
  int active_ = 0;
  uint64_t generation_ = 0;
  bool stop_ = false;
  std::exception_ptr error_;
  std::atomic<int> size_{1};
};

// Never destroyed: worker threads may still be waiting when the process exits, and Node never
// unloads an addon, so there is nothing to gain from joining them at exit.
Pool& pool() {
  static Pool* p = new Pool();
  return *p;
}

}  // namespace

int default_num_threads() {
  int n = parse_threads(std::getenv("KINDLING_NUM_THREADS"));
  if (n == 0) n = parse_threads(std::getenv("OMP_NUM_THREADS"));
  if (n == 0) n = machine_threads();
  return n;
}

int num_threads() { return pool().size(); }

void set_num_threads(int n) { pool().resize(n); }

void parallel_for(int64_t ntasks, const std::function<void(int64_t)>& fn) { pool().run(ntasks, fn); }

}  // namespace kd
