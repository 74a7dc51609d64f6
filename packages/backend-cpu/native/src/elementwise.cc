// Elementwise float32 arithmetic, exp, sums and softmax. Each kernel body is written once, with the
// compiler's portable vector types, and compiled three times: with 4-lane vectors for the baseline ISA
// (SSE2, NEON), 8-lane vectors for AVX2+FMA and 16-lane vectors for AVX-512.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>
#include <vector>

#include "common.h"
#include "kernels.h"
#include "threadpool.h"

#if KD_X86
#include <immintrin.h>
#endif

#if defined(__GNUC__)
#define KD_VEC 1
#else
#define KD_VEC 0
#endif

namespace kd {

namespace {

constexpr int64_t kGrain = 1 << 16;  // elements per task: below this, waking a thread costs more than it saves

/** exp of one float as JavaScript's Math.exp on its double, rounded: the reference. */
KD_INLINE float exp_ref(float x) { return static_cast<float>(std::exp(static_cast<double>(x))); }

#if KD_VEC
/** Vector types of W float lanes: f (floats), i (int32 masks), d (W/2 doubles), h (W/2 floats). */
template <int W>
struct Vec;
template <>
struct Vec<16> {
  typedef float f __attribute__((vector_size(64)));
  typedef int32_t i __attribute__((vector_size(64)));
  typedef double d __attribute__((vector_size(64)));
  typedef float h __attribute__((vector_size(32)));
};
template <>
struct Vec<8> {
  typedef float f __attribute__((vector_size(32)));
  typedef int32_t i __attribute__((vector_size(32)));
  typedef double d __attribute__((vector_size(32)));
  typedef float h __attribute__((vector_size(16)));
};
template <>
struct Vec<4> {
  typedef float f __attribute__((vector_size(16)));
  typedef int32_t i __attribute__((vector_size(16)));
  typedef double d __attribute__((vector_size(16)));
  typedef float h __attribute__((vector_size(8)));
};

template <typename V>
KD_INLINE V load(const void* p) {
  V v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
template <typename V>
KD_INLINE void store(void* p, V v) {
  std::memcpy(p, &v, sizeof v);
}
template <typename To, typename From>
KD_INLINE To bitcast(From v) {
  static_assert(sizeof(To) == sizeof(From), "bitcast between vectors of one size");
  To t;
  std::memcpy(&t, &v, sizeof t);
  return t;
}
/** m ? a : b per lane, with bitwise operations. */
template <int W>
KD_INLINE typename Vec<W>::f sel(typename Vec<W>::i m, typename Vec<W>::f a, typename Vec<W>::f b) {
  using I = typename Vec<W>::i;
  using F = typename Vec<W>::f;
  return bitcast<F>((m & bitcast<I>(a)) | (~m & bitcast<I>(b)));
}
/** The W/2 floats of h as doubles (exact). Spelled lane by lane: GCC lowers __builtin_convertvector
 * from floats to doubles as two half-width conversions and a shuffle, but this as one. */
template <typename D, typename H, size_t... L>
KD_INLINE D widen_lanes(H h, std::index_sequence<L...>) {
  return D{static_cast<double>(h[L])...};
}
template <int W>
KD_INLINE typename Vec<W>::d widen(typename Vec<W>::h h) {
  return widen_lanes<typename Vec<W>::d>(h, std::make_index_sequence<W / 2>());
}
/** acc0 += the low half of v, acc1 += the high half, widened to double. */
template <int W>
KD_INLINE void add_widened(typename Vec<W>::d& acc0, typename Vec<W>::d& acc1, typename Vec<W>::f v) {
  using H = typename Vec<W>::h;
  const H lo = load<H>(&v);
  const H hi = load<H>(reinterpret_cast<const char*>(&v) + sizeof(H));
  acc0 += widen<W>(lo);
  acc1 += widen<W>(hi);
}
template <typename V>
KD_INLINE double hsum(V v) {
  double s = 0;
  for (size_t l = 0; l < sizeof(V) / sizeof(double); l++) s += v[l];
  return s;
}

/** y · 2^n for an integral n in [-150, 128] (or NaN), with one rounding: as two power-of-two factors. */
template <int W>
KD_INLINE typename Vec<W>::f scale_pow2(typename Vec<W>::f y, typename Vec<W>::f n) {
  using F = typename Vec<W>::f;
  using I = typename Vec<W>::i;
  // n of a NaN converts to some integer: the scale is then garbage, but y is NaN.
  const I ni = __builtin_convertvector(n == n ? n : F{}, I);
  const I n1 = ni >> 1, n2 = ni - n1;  // each in [-75, 64]: 2^n1 and 2^n2 are normal floats
  return (y * bitcast<F>((n1 + 127) << 23)) * bitcast<F>((n2 + 127) << 23);
}
#if KD_X86
// vscalefps: y · 2^n rounded once, as above (subnormal results, overflow to inf and NaN alike). Not
// always_inline: the generic callers are compiled for the baseline target first, where an AVX-512
// body may not be inlined; the AVX-512 entry points inline it (it is one instruction).
template <>
KD_TARGET_AVX512 inline Vec<16>::f scale_pow2<16>(Vec<16>::f y, Vec<16>::f n) {
  return _mm512_maskz_scalef_ps(static_cast<__mmask16>(0xffff), y, n);  // unmasked form: GCC 12 warns in its header
}
#endif

// exp(x) = 2^n · e^r, n = round(x / ln2), |r| ≤ ln2/2, e^r by Cephes' polynomial (about 1 ulp).
// Branch-free over the whole float range: x is clamped to [-104, 89] (beyond, the result rounds to 0
// or overflows to inf anyway), and 2^n is applied with one rounding, so results that overflow become
// inf and those below FLT_MIN become correctly scaled subnormals. A NaN passes the clamps (its
// comparisons are false) and makes the polynomial, so the result, NaN. NONPOS: the caller knows that
// x ≤ 0 or NaN (softmax), so the upper clamp is left out.
template <int W, bool NONPOS = false>
KD_INLINE typename Vec<W>::f expv(typename Vec<W>::f x) {
  using F = typename Vec<W>::f;
  const F lo = F{} - 104.0f, hi = F{} + 89.0f;
  F xc = x < lo ? lo : x;  // maxps / minps
  if (!NONPOS) xc = xc > hi ? hi : xc;
  const float magic = 12582912.0f;  // 1.5 · 2^23: adding it rounds to an integer
  const F n = (xc * 1.44269504088896341f + magic) - magic;
  F r = xc - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  const F z = r * r;
  F y = 1.9875691500E-4f * r + 1.3981999507E-3f;
  y = y * r + 8.3334519073E-3f;
  y = y * r + 4.1665795894E-2f;
  y = y * r + 1.6666665459E-1f;
  y = y * r + 5.0000001201E-1f;
  y = y * z + r + 1.0f;
  return scale_pow2<W>(y, n);
}
#endif

template <int W>
KD_INLINE void exp_run(const float* in, float* out, int64_t n) {
  int64_t i = 0;
#if KD_VEC
  using F = typename Vec<W>::f;
  for (; i + W <= n; i += W) store(out + i, expv<W>(load<F>(in + i)));
#endif
  for (; i < n; i++) out[i] = exp_ref(in[i]);
}

#if KD_VEC
/**
 * A vector store that bypasses the caches (the line is not read first, and not kept): for results far
 * larger than the caches, where a plain store costs a read of the line as well. `p` is aligned to the
 * vector. Not always_inline, as scale_pow2's specialisations.
 */
template <int W>
inline void stream_store(float* p, typename Vec<W>::f v) {
  store(p, v);
}
#if KD_X86
template <>
KD_TARGET_AVX512 inline void stream_store<16>(float* p, Vec<16>::f v) {
  _mm512_stream_ps(p, v);
}
template <>
KD_TARGET_AVX2 inline void stream_store<8>(float* p, Vec<8>::f v) {
  _mm256_stream_ps(p, v);
}
template <>
inline void stream_store<4>(float* p, Vec<4>::f v) {
  _mm_stream_ps(p, v);
}
#endif
#endif

/** Results at least this large are written with streaming stores (bigger than the last-level cache). */
constexpr int64_t kStreamBytes = int64_t{32} << 20;

template <BinaryOp OP, typename V, typename S>
KD_INLINE V apply(V x, S y) {
  if (OP == BinaryOp::Add) return x + y;
  if (OP == BinaryOp::Sub) return x - y;
  if (OP == BinaryOp::Mul) return x * y;
  return x / y;
}

/**
 * One row: each input's column stride is 1 or 0. `o` may be `a` or `b` (in place). `stream`: write the
 * contiguous case with streaming stores.
 */
template <int W, BinaryOp OP>
KD_INLINE void binary_row(const float* a, int64_t as, const float* b, int64_t bs, float* o, int64_t n, bool stream) {
  int64_t i = 0;
#if KD_VEC
  using F = typename Vec<W>::f;
#endif
  if (as == 1 && bs == 1) {
#if KD_VEC
    if (stream) {
      for (; i < n && (reinterpret_cast<uintptr_t>(o + i) % sizeof(F)) != 0; i++) o[i] = apply<OP>(a[i], b[i]);
      for (; i + W <= n; i += W) stream_store<W>(o + i, apply<OP>(load<F>(a + i), load<F>(b + i)));
#if KD_X86
      _mm_sfence();  // streaming stores are weakly ordered: make them visible before the kernel returns
#endif
    }
    for (; i + W <= n; i += W) store(o + i, apply<OP>(load<F>(a + i), load<F>(b + i)));
#endif
    for (; i < n; i++) o[i] = apply<OP>(a[i], b[i]);
  } else if (as == 1) {
    const float y = *b;
#if KD_VEC
    const F yv = F{} + y;
    for (; i + W <= n; i += W) store(o + i, apply<OP>(load<F>(a + i), yv));
#endif
    for (; i < n; i++) o[i] = apply<OP>(a[i], y);
  } else if (bs == 1) {
    const float x = *a;
#if KD_VEC
    const F xv = F{} + x;
    for (; i + W <= n; i += W) store(o + i, apply<OP>(xv, load<F>(b + i)));
#endif
    for (; i < n; i++) o[i] = apply<OP>(x, b[i]);
  } else {
    const float v = apply<OP>(*a, *b);
    for (; i < n; i++) o[i] = v;
  }
}

struct BinaryArgs {
  int64_t r0, r1, c0, c1;
  const float* a;
  int64_t ars, acs;
  const float* b;
  int64_t brs, bcs;
  float* o;
  int64_t ors;
  bool stream;
};

template <int W, BinaryOp OP>
KD_INLINE void binary_block(const BinaryArgs& g) {
  for (int64_t r = g.r0; r < g.r1; r++)
    binary_row<W, OP>(g.a + r * g.ars + g.c0 * g.acs, g.acs, g.b + r * g.brs + g.c0 * g.bcs, g.bcs,
                      g.o + r * g.ors + g.c0, g.c1 - g.c0, g.stream);
}

template <int W>
KD_INLINE void binary_block_any(BinaryOp op, const BinaryArgs& g) {
  switch (op) {
    case BinaryOp::Add: binary_block<W, BinaryOp::Add>(g); break;
    case BinaryOp::Sub: binary_block<W, BinaryOp::Sub>(g); break;
    case BinaryOp::Mul: binary_block<W, BinaryOp::Mul>(g); break;
    case BinaryOp::Div: binary_block<W, BinaryOp::Div>(g); break;
  }
}

// ---- sums: accumulate in double, as the TypeScript kernels do -------------------------------

// Software prefetch distance for long sums, in bytes: the hardware prefetchers alone leave the
// streaming sum short of the memory bandwidth one core gets.
constexpr int64_t kPrefetchAhead = 8192;

#if KD_VEC
/** Per lane, the float sum of 8 vectors at p (pairwise), after prefetching what lies kPrefetchAhead on. */
template <int W>
KD_INLINE typename Vec<W>::f block8(const float* p) {
  using F = typename Vec<W>::f;
  const char* ahead = reinterpret_cast<const char*>(p) + kPrefetchAhead;
  for (int l = 0; l < 8 * W * 4; l += 64) __builtin_prefetch(ahead + l, 0, 3);
  const F s0 = (load<F>(p) + load<F>(p + W)) + (load<F>(p + 2 * W) + load<F>(p + 3 * W));
  const F s1 = (load<F>(p + 4 * W) + load<F>(p + 5 * W)) + (load<F>(p + 6 * W) + load<F>(p + 7 * W));
  return s0 + s1;
}
#endif

/**
 * Σ p[0..n) in double. Widening every float costs more than the memory traffic allows, so the main
 * loop adds, per lane, blocks of 8 floats in float, pairwise, and widens the blocks' sums (an eighth
 * of the conversions), reading the two halves of the range as two streams (more memory requests in
 * flight). A pairwise float sum of 8 terms is off by at most 3u·Σ|terms| (u = 2^-24) and the double
 * accumulation adds at most n·2^-53·Σ|x|, so before the final rounding |error| ≤ (3u + n·2^-53)·Σ|x|,
 * about 1.5 eps·Σ|x| (eps = 2^-23). The order of the additions depends on n alone.
 */
template <int W>
KD_INLINE double sum_run(const float* p, int64_t n) {
  double s = 0;
  int64_t i = 0;
#if KD_VEC
  using F = typename Vec<W>::f;
  using D = typename Vec<W>::d;
  D a0 = D{}, a1 = a0, a2 = a0, a3 = a0;
  const int64_t half = n / (16 * W) * (8 * W);
  const float* q = p + half;
  for (; i < half; i += 8 * W) {
    add_widened<W>(a0, a1, block8<W>(p + i));
    add_widened<W>(a2, a3, block8<W>(q + i));
  }
  for (i = 2 * half; i + W <= n; i += W) add_widened<W>(a0, a1, load<F>(p + i));
  s = hsum((a0 + a2) + (a1 + a3));
#endif
  for (; i < n; i++) s += static_cast<double>(p[i]);
  return s;
}

template <int W>
KD_INLINE double sum_run(const double* p, int64_t n) {
  double s = 0;
  int64_t i = 0;
#if KD_VEC
  using D = typename Vec<W>::d;
  constexpr int L = W / 2;  // doubles per vector
  D a0 = D{}, a1 = a0, a2 = a0, a3 = a0;
  for (; i + 4 * L <= n; i += 4 * L) {
    a0 += load<D>(p + i);
    a1 += load<D>(p + i + L);
    a2 += load<D>(p + i + 2 * L);
    a3 += load<D>(p + i + 3 * L);
  }
  s = hsum((a0 + a2) + (a1 + a3));
#endif
  for (; i < n; i++) s += p[i];
  return s;
}

constexpr int64_t kColBlock = 256;

/** out[j] = Σ_r in[r·inner + j] for j in [j0, j1) (j1 - j0 ≤ kColBlock). */
template <int W, typename T>
KD_INLINE void sum_cols(const T* in, T* out, int64_t red, int64_t inner, int64_t j0, int64_t j1) {
  double acc[kColBlock];
  const int64_t w = j1 - j0;
  for (int64_t j = 0; j < w; j++) acc[j] = 0;
  for (int64_t r = 0; r < red; r++) {
    const T* row = in + r * inner + j0;
    for (int64_t j = 0; j < w; j++) acc[j] += static_cast<double>(row[j]);
  }
  for (int64_t j = 0; j < w; j++) out[j0 + j] = static_cast<T>(acc[j]);
}

// ---- softmax -------------------------------------------------------------------------------

/**
 * Softmax of one contiguous float row, as the decomposition computes it (max, exp, Σ in double, ÷):
 * a pass for the max, one that writes exp(x - max) and adds it up, and one that scales.
 * A NaN needs no test of its own: the max skips it, but its exp is NaN, so Σ and every output are.
 */
template <int W, bool LOG>
KD_INLINE void softmax_row(const float* x, float* o, int64_t n) {
  float m = -INFINITY;
  int64_t i = 0;
#if KD_VEC
  using F = typename Vec<W>::f;
  using I = typename Vec<W>::i;
  using D = typename Vec<W>::d;
  if (n >= 2 * W) {
    F m0 = F{} - INFINITY, m1 = m0;
    for (; i + 2 * W <= n; i += 2 * W) {
      const F v0 = load<F>(x + i), v1 = load<F>(x + i + W);
      m0 = v0 > m0 ? v0 : m0;  // maxps
      m1 = v1 > m1 ? v1 : m1;
    }
    m0 = m1 > m0 ? m1 : m0;
    for (int l = 0; l < W; l++) m = m0[l] > m ? m0[l] : m;
  }
#endif
  for (; i < n; i++) m = x[i] > m ? x[i] : m;
  // o = exp(x - m) (log: o = x - m), and Σ exp(x - m) in double.
  i = 0;
  double sd = 0;
#if KD_VEC
  D a0 = D{}, a1 = a0;
  for (; i + W <= n; i += W) {
    const F d = load<F>(x + i) - m;
    const F e = expv<W, true>(d);
    store(o + i, LOG ? d : e);
    add_widened<W>(a0, a1, e);
  }
  if (i < n) {
    // The last n - i < W elements, through a vector padded with -inf (whose exp is 0, masked off too).
    const int64_t rem = n - i;
    F v = F{} - INFINITY;
    std::memcpy(&v, x + i, static_cast<size_t>(rem) * sizeof(float));
    I lane;
    for (int l = 0; l < W; l++) lane[l] = l;
    const F d = v - m;
    const F e = sel<W>(lane < static_cast<int32_t>(rem), expv<W, true>(d), F{});
    const F out = LOG ? d : e;
    std::memcpy(o + i, &out, static_cast<size_t>(rem) * sizeof(float));
    add_widened<W>(a0, a1, e);
    i = n;
  }
  sd = hsum(a0 + a1);
#endif
  for (; i < n; i++) {
    const float d = x[i] - m;
    const float e = exp_ref(d);
    o[i] = LOG ? d : e;
    sd += static_cast<double>(e);
  }
  const float s = static_cast<float>(sd);
  i = 0;
  if (!LOG) {
    // × 1/Σ, as PyTorch's kernel does (a division per element costs more than the exp).
    const float inv = 1.0f / s;
#if KD_VEC
    for (; i + W <= n; i += W) store(o + i, load<F>(o + i) * inv);
#endif
    for (; i < n; i++) o[i] = o[i] * inv;
  } else {
    const float ls = static_cast<float>(std::log(static_cast<double>(s)));
#if KD_VEC
    for (; i + W <= n; i += W) store(o + i, load<F>(o + i) - ls);
#endif
    for (; i < n; i++) o[i] = o[i] - ls;
  }
}

/** Softmax of a double row: scalar (std::exp on doubles, as Math.exp). */
template <int W, bool LOG>
KD_INLINE void softmax_row(const double* x, double* o, int64_t n) {
  const bool log = LOG;
  double m = -INFINITY;
  bool nan = false;
  for (int64_t i = 0; i < n; i++) {
    m = x[i] > m ? x[i] : m;
    nan = nan || x[i] != x[i];
  }
  if (nan) m = NAN;
  double s = 0;
  for (int64_t i = 0; i < n; i++) {
    const double d = x[i] - m;
    const double e = std::exp(d);
    o[i] = log ? d : e;
    s += e;
  }
  if (!log) {
    for (int64_t i = 0; i < n; i++) o[i] = o[i] / s;
  } else {
    const double ls = std::log(s);
    for (int64_t i = 0; i < n; i++) o[i] = o[i] - ls;
  }
}

KD_INLINE float exp_scalar(float x) { return exp_ref(x); }
KD_INLINE double exp_scalar(double x) { return std::exp(x); }

/** Softmax over the middle dim of [dim, inner] for columns [j0, j1) (≤ kColBlock). */
template <typename T>
void softmax_cols(bool log, const T* x, T* o, int64_t dim, int64_t inner, int64_t j0, int64_t j1) {
  const int64_t w = j1 - j0;
  T m[kColBlock];
  bool nan[kColBlock];
  double s[kColBlock];
  for (int64_t j = 0; j < w; j++) {
    m[j] = -INFINITY;
    nan[j] = false;
    s[j] = 0;
  }
  for (int64_t r = 0; r < dim; r++) {
    const T* row = x + r * inner + j0;
    for (int64_t j = 0; j < w; j++) {
      m[j] = row[j] > m[j] ? row[j] : m[j];
      nan[j] = nan[j] || row[j] != row[j];
    }
  }
  for (int64_t j = 0; j < w; j++)
    if (nan[j]) m[j] = NAN;
  for (int64_t r = 0; r < dim; r++) {
    const T* row = x + r * inner + j0;
    T* orow = o + r * inner + j0;
    for (int64_t j = 0; j < w; j++) {
      const T d = row[j] - m[j];
      const T e = exp_scalar(d);
      orow[j] = log ? d : e;
      s[j] += static_cast<double>(e);
    }
  }
  T f[kColBlock];
  for (int64_t j = 0; j < w; j++) {
    const T sj = static_cast<T>(s[j]);
    f[j] = log ? static_cast<T>(std::log(static_cast<double>(sj))) : sj;
  }
  for (int64_t r = 0; r < dim; r++) {
    T* orow = o + r * inner + j0;
    for (int64_t j = 0; j < w; j++) orow[j] = log ? orow[j] - f[j] : orow[j] / f[j];
  }
}

// ---- the compilations of each kernel body -----------------------------------------------

#define KD_ENTRY_POINTS(W, SUFFIX, ATTR)                                                                         \
  ATTR void binary_block_##SUFFIX(BinaryOp op, const BinaryArgs& g) { binary_block_any<W>(op, g); }            \
  ATTR void exp_##SUFFIX(const float* in, float* out, int64_t n) { exp_run<W>(in, out, n); }                   \
  template <typename T>                                                                                        \
  ATTR double sum_run_##SUFFIX(const T* p, int64_t n) {                                                        \
    return sum_run<W>(p, n);                                                                                   \
  }                                                                                                            \
  template <typename T>                                                                                        \
  ATTR void sum_cols_##SUFFIX(const T* in, T* out, int64_t red, int64_t inner, int64_t j0, int64_t j1) {       \
    sum_cols<W>(in, out, red, inner, j0, j1);                                                                  \
  }                                                                                                            \
  template <typename T>                                                                                        \
  ATTR void softmax_rows_##SUFFIX(bool log, const T* x, T* o, int64_t r0, int64_t r1, int64_t n) {             \
    if (log)                                                                                                   \
      for (int64_t r = r0; r < r1; r++) softmax_row<W, true>(x + r * n, o + r * n, n);                         \
    else                                                                                                       \
      for (int64_t r = r0; r < r1; r++) softmax_row<W, false>(x + r * n, o + r * n, n);                        \
  }

KD_ENTRY_POINTS(4, portable, )
#if KD_X86
KD_ENTRY_POINTS(8, avx2, KD_TARGET_AVX2)
KD_ENTRY_POINTS(16, avx512, KD_TARGET_AVX512)
#define KD_PICK(name) \
  (current_isa() == Isa::Avx512 ? name##_avx512 : current_isa() == Isa::Avx2 ? name##_avx2 : name##_portable)
#define KD_PICK_T(name, T) \
  (current_isa() == Isa::Avx512 ? name##_avx512<T> : current_isa() == Isa::Avx2 ? name##_avx2<T> : name##_portable<T>)
#else
#define KD_PICK(name) name##_portable
#define KD_PICK_T(name, T) name##_portable<T>
#endif

/** Run fn(i0, i1) over [0, n) in chunks of at least `grain`, in parallel when it pays. */
template <typename F>
void chunked(int64_t n, int64_t grain, const F& fn) {
  if (n <= grain || num_threads() == 1) {
    fn(int64_t{0}, n);
    return;
  }
  const int64_t tasks = std::min<int64_t>((n + grain - 1) / grain, 64 * num_threads());
  const int64_t per = (n + tasks - 1) / tasks;
  parallel_for((n + per - 1) / per, [&](int64_t t) { fn(t * per, std::min(n, (t + 1) * per)); });
}

}  // namespace

void binary_f32(BinaryOp op, int64_t rows, int64_t cols, const float* a, int64_t ars, int64_t acs, const float* b,
                int64_t brs, int64_t bcs, float* out, int64_t ors) {
  if (rows == 0 || cols == 0) return;
  const auto kernel = KD_PICK(binary_block);
  BinaryArgs g{0, rows, 0, cols, a, ars, acs, b, brs, bcs, out, ors, rows * cols * int64_t{sizeof(float)} >= kStreamBytes};
  if (cols >= kGrain) {
    // Long rows: split each row.
    const int64_t per_row = (cols + kGrain - 1) / kGrain;
    chunked(rows * per_row, 1, [&](int64_t t0, int64_t t1) {
      for (int64_t t = t0; t < t1; t++) {
        BinaryArgs h = g;
        h.r0 = t / per_row;
        h.r1 = h.r0 + 1;
        h.c0 = (t % per_row) * kGrain;
        h.c1 = std::min(cols, h.c0 + kGrain);
        kernel(op, h);
      }
    });
  } else {
    const int64_t rows_per = (kGrain + cols - 1) / cols;
    chunked(rows, rows_per, [&](int64_t r0, int64_t r1) {
      BinaryArgs h = g;
      h.r0 = r0;
      h.r1 = r1;
      kernel(op, h);
    });
  }
}

void exp_f32(const float* a, float* out, int64_t n) {
  const auto kernel = KD_PICK(exp);
  chunked(n, kGrain / 4, [&](int64_t i0, int64_t i1) { kernel(a + i0, out + i0, i1 - i0); });  // exp: compute-bound
}

template <typename T>
void sum(const T* in, T* out, int64_t outer, int64_t red, int64_t inner) {
  if (outer == 0 || inner == 0) return;
  if (inner == 1) {
    const auto run = KD_PICK_T(sum_run, T);
    if (outer == 1 || red >= 4 * kGrain) {
      // Long rows: fixed-size partial sums (the same, whatever the thread count), added in order.
      const int64_t chunks = (red + kGrain - 1) / kGrain;
      if (chunks <= 1) {
        for (int64_t o = 0; o < outer; o++) out[o] = static_cast<T>(run(in + o * red, red));
        return;
      }
      std::vector<double> part(static_cast<size_t>(outer * chunks));
      chunked(outer * chunks, 4, [&](int64_t t0, int64_t t1) {
        for (int64_t t = t0; t < t1; t++) {
          const int64_t o = t / chunks, c = t % chunks;
          const int64_t i0 = c * kGrain, i1 = std::min(red, i0 + kGrain);
          part[static_cast<size_t>(t)] = run(in + o * red + i0, i1 - i0);
        }
      });
      for (int64_t o = 0; o < outer; o++) {
        double s = 0;
        for (int64_t c = 0; c < chunks; c++) s += part[static_cast<size_t>(o * chunks + c)];
        out[o] = static_cast<T>(s);
      }
      return;
    }
    chunked(outer, std::max<int64_t>(1, kGrain / std::max<int64_t>(red, 1)), [&](int64_t o0, int64_t o1) {
      for (int64_t o = o0; o < o1; o++) out[o] = static_cast<T>(run(in + o * red, red));
    });
    return;
  }
  const auto cols = KD_PICK_T(sum_cols, T);
  const int64_t blocks = (inner + kColBlock - 1) / kColBlock;
  const int64_t grain = std::max<int64_t>(1, kGrain / std::max<int64_t>(1, red * kColBlock));
  chunked(outer * blocks, grain, [&](int64_t t0, int64_t t1) {
    for (int64_t t = t0; t < t1; t++) {
      const int64_t o = t / blocks, j0 = (t % blocks) * kColBlock;
      cols(in + o * red * inner, out + o * inner, red, inner, j0, std::min(inner, j0 + kColBlock));
    }
  });
}

template <typename T>
void sum_around(const T* in, T* out, int64_t outer, int64_t mid, int64_t inner) {
  if (mid == 0) return;
  const auto run = KD_PICK_T(sum_run, T);
  // Each kept element sums its rows of `inner` (in doubles) and adds them in order of `outer`.
  chunked(mid, std::max<int64_t>(1, kGrain / std::max<int64_t>(1, outer * inner)), [&](int64_t m0, int64_t m1) {
    for (int64_t m = m0; m < m1; m++) {
      double s = 0;
      for (int64_t o = 0; o < outer; o++) s += run(in + (o * mid + m) * inner, inner);
      out[m] = static_cast<T>(s);
    }
  });
}

template <typename T>
void softmax(bool log, const T* in, T* out, int64_t outer, int64_t dim, int64_t inner) {
  if (outer == 0 || dim == 0 || inner == 0) return;
  if (inner == 1) {
    const auto rows = KD_PICK_T(softmax_rows, T);
    chunked(outer, std::max<int64_t>(1, kGrain / 8 / dim), [&](int64_t r0, int64_t r1) { rows(log, in, out, r0, r1, dim); });
    return;
  }
  const int64_t blocks = (inner + kColBlock - 1) / kColBlock;
  chunked(outer * blocks, 1, [&](int64_t t0, int64_t t1) {
    for (int64_t t = t0; t < t1; t++) {
      const int64_t o = t / blocks, j0 = (t % blocks) * kColBlock;
      softmax_cols(log, in + o * dim * inner, out + o * dim * inner, dim, inner, j0, std::min(inner, j0 + kColBlock));
    }
  });
}

template void sum<float>(const float*, float*, int64_t, int64_t, int64_t);
template void sum<double>(const double*, double*, int64_t, int64_t, int64_t);
template void sum_around<float>(const float*, float*, int64_t, int64_t, int64_t);
template void sum_around<double>(const double*, double*, int64_t, int64_t, int64_t);
template void softmax<float>(bool, const float*, float*, int64_t, int64_t, int64_t);
template void softmax<double>(bool, const double*, double*, int64_t, int64_t, int64_t);

}  // namespace kd
