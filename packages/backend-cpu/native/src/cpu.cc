// Runtime CPU dispatch: which vector paths this CPU and its OS support.
#include "common.h"

#include <atomic>

namespace kd {

Isa detect_isa() {
#if KD_X86
  // libgcc's checks include the OS's support (XSAVE state enabled for the wider registers).
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx2") &&
      __builtin_cpu_supports("fma"))
    return Isa::Avx512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return Isa::Avx2;
#endif
  return Isa::Portable;
}

static std::atomic<int> g_isa{-1};

Isa current_isa() {
  int v = g_isa.load(std::memory_order_relaxed);
  if (v < 0) {
    v = static_cast<int>(detect_isa());
    g_isa.store(v, std::memory_order_relaxed);
  }
  return static_cast<Isa>(v);
}

Isa set_isa(Isa isa) {
  const Isa best = detect_isa();
  const Isa use = static_cast<int>(isa) < static_cast<int>(best) ? isa : best;
  g_isa.store(static_cast<int>(use), std::memory_order_relaxed);
  return use;
}

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::Avx512: return "avx512";
    case Isa::Avx2: return "avx2";
    default: return "portable";
  }
}

}  // namespace kd
