// Shared definitions for the native kernels: compiler portability macros and the instruction-set
// paths that runtime dispatch chooses between.
#pragma once

#include <cstddef>
#include <cstdint>

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
// One build runs on every x86-64: AVX2/AVX-512 code is compiled per function with target attributes
// and only called after the CPU (and the OS) have been checked to support it.
#define KD_X86 1
#define KD_TARGET_AVX2 __attribute__((target("avx2,fma")))
#define KD_TARGET_AVX512 __attribute__((target("avx512f,avx512dq,avx2,fma")))
#else
#define KD_X86 0
#endif

#if defined(__GNUC__)
#define KD_INLINE inline __attribute__((always_inline))
#define KD_RESTRICT __restrict__
#else
#define KD_INLINE inline
#define KD_RESTRICT
#endif

namespace kd {

/** The instruction-set path the kernels take. */
enum class Isa { Portable = 0, Avx2 = 1, Avx512 = 2 };

/** The best path this CPU and OS support. */
Isa detect_isa();
/** The path in use (the best one unless set lower with set_isa). */
Isa current_isa();
/** Use `isa` if the machine supports it, else the best one below it; returns the path now in use. */
Isa set_isa(Isa isa);
const char* isa_name(Isa isa);

}  // namespace kd
