// Elementwise float32 arithmetic, exp, sums and softmax. Each kernel body is written once, with the
// compiler's portable vector types, and compiled twice: for the baseline ISA and for AVX2+FMA.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "common.h"
#include "kernels.h"
#include "threadpool.h"

#if defined(__GNUC__)
#define KD_VEC 1
#else
#define KD_VEC 0
#endif

namespace kd {

namespace {

constexpr int64_t kGrain = 1 << 15;  // elements per task: below this, threads cost more than they save

#if KD_VEC
typedef float f32x8 __attribute__((vector_size(32)));
typedef float f32x4 __attribute__((vector_size(16)));
typedef double f64x4 __attribute__((vector_size(32)));
typedef int32_t i32x8 __attribute__((vector_size(32)));

KD_INLINE f32x8 load8(const float* p) {
  f32x8 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
KD_INLINE void store8(float* p, f32x8 v) { std::memcpy(p, &v, sizeof v); }
KD_INLINE f64x4 load4d(const double* p) {
  f64x4 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
/** acc0 += v[0..3], acc1 += v[4..7], widened to double. */
KD_INLINE void add_widened(f64x4& acc0, f64x4& acc1, f32x8 v) {
  f32x4 lo, hi;
  std::memcpy(&lo, &v, sizeof lo);
  std::memcpy(&hi, reinterpret_cast<const char*>(&v) + sizeof lo, sizeof hi);
  acc0 += __builtin_convertvector(lo, f64x4);
  acc1 += __builtin_convertvector(hi, f64x4);
}
KD_INLINE double hsum(f64x4 v) { return (v[0] + v[1]) + (v[2] + v[3]); }
KD_INLINE bool any8(i32x8 m) {
  int32_t r = 0;
  for (int i = 0; i < 8; i++) r |= m[i];
  return r != 0;
}
#endif

/** exp of one float as JavaScript's Math.exp on its double, rounded: the reference. */
KD_INLINE float exp_ref(float x) { return static_cast<float>(std::exp(static_cast<double>(x))); }

#if KD_VEC
// exp(x) = 2^n · e^r, n = round(x / ln2), |r| ≤ ln2/2, e^r by Cephes' polynomial (about 1 ulp).
// Branch-free over the whole float range: x is clamped to [-104, 89] (beyond, the result rounds to 0
// or overflows to inf anyway), and 2^n is applied as two exact power-of-two factors, so results
// that overflow become inf and those below FLT_MIN become correctly scaled subnormals. NaN stays NaN.
KD_INLINE f32x8 exp8v(f32x8 x) {
  f32x8 xc = x < -104.0f ? -104.0f : x;
  xc = xc > 89.0f ? 89.0f : xc;
  xc = xc == xc ? xc : 0.0f;  // NaN: computed as 0, replaced below
  const float magic = 12582912.0f;  // 1.5 · 2^23: adding it rounds to an integer
  const f32x8 n = (xc * 1.44269504088896341f + magic) - magic;
  f32x8 r = xc - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  const f32x8 z = r * r;
  f32x8 y = 1.9875691500E-4f * r + 1.3981999507E-3f;
  y = y * r + 8.3334519073E-3f;
  y = y * r + 4.1665795894E-2f;
  y = y * r + 1.6666665459E-1f;
  y = y * r + 5.0000001201E-1f;
  y = y * z + r + 1.0f;
  const i32x8 ni = __builtin_convertvector(n, i32x8);
  const i32x8 n1 = ni >> 1, n2 = ni - n1;  // each in [-75, 64]: 2^n1, 2^n2 are normal floats
  const i32x8 b1 = (n1 + 127) << 23, b2 = (n2 + 127) << 23;
  f32x8 s1, s2;
  std::memcpy(&s1, &b1, sizeof s1);
  std::memcpy(&s2, &b2, sizeof s2);
  const f32x8 e = (y * s1) * s2;
  return x == x ? e : x;
}
KD_INLINE void exp8(const float* in, float* out) { store8(out, exp8v(load8(in))); }
#endif

KD_INLINE void exp_run(const float* in, float* out, int64_t n) {
  int64_t i = 0;
#if KD_VEC
  for (; i + 8 <= n; i += 8) exp8(in + i, out + i);
#endif
  for (; i < n; i++) out[i] = exp_ref(in[i]);
}

template <BinaryOp OP, typename V, typename S>
KD_INLINE V apply(V x, S y) {
  if (OP == BinaryOp::Add) return x + y;
  if (OP == BinaryOp::Sub) return x - y;
  if (OP == BinaryOp::Mul) return x * y;
  return x / y;
}

/** One row: each input's column stride is 1 or 0. `o` may be `a` or `b` (in place). */
template <BinaryOp OP>
KD_INLINE void binary_row(const float* a, int64_t as, const float* b, int64_t bs, float* o, int64_t n) {
  int64_t i = 0;
  if (as == 1 && bs == 1) {
#if KD_VEC
    for (; i + 8 <= n; i += 8) store8(o + i, apply<OP>(load8(a + i), load8(b + i)));
#endif
    for (; i < n; i++) o[i] = apply<OP>(a[i], b[i]);
  } else if (as == 1) {
    const float y = *b;
#if KD_VEC
    const f32x8 yv = f32x8{} + y;
    for (; i + 8 <= n; i += 8) store8(o + i, apply<OP>(load8(a + i), yv));
#endif
    for (; i < n; i++) o[i] = apply<OP>(a[i], y);
  } else if (bs == 1) {
    const float x = *a;
#if KD_VEC
    const f32x8 xv = f32x8{} + x;
    for (; i + 8 <= n; i += 8) store8(o + i, apply<OP>(xv, load8(b + i)));
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
};

template <BinaryOp OP>
KD_INLINE void binary_block(const BinaryArgs& g) {
  for (int64_t r = g.r0; r < g.r1; r++)
    binary_row<OP>(g.a + r * g.ars + g.c0 * g.acs, g.acs, g.b + r * g.brs + g.c0 * g.bcs, g.bcs,
                   g.o + r * g.ors + g.c0, g.c1 - g.c0);
}

KD_INLINE void binary_block_any(BinaryOp op, const BinaryArgs& g) {
  switch (op) {
    case BinaryOp::Add: binary_block<BinaryOp::Add>(g); break;
    case BinaryOp::Sub: binary_block<BinaryOp::Sub>(g); break;
    case BinaryOp::Mul: binary_block<BinaryOp::Mul>(g); break;
    case BinaryOp::Div: binary_block<BinaryOp::Div>(g); break;
  }
}

// ---- sums: accumulate in double, as the TypeScript kernels do -------------------------------

KD_INLINE double sum_run(const float* p, int64_t n) {
  double s = 0;
  int64_t i = 0;
#if KD_VEC
  f64x4 a0 = f64x4{}, a1 = a0, a2 = a0, a3 = a0;
  for (; i + 16 <= n; i += 16) {
    add_widened(a0, a1, load8(p + i));
    add_widened(a2, a3, load8(p + i + 8));
  }
  s = hsum((a0 + a2) + (a1 + a3));
#endif
  for (; i < n; i++) s += static_cast<double>(p[i]);
  return s;
}

KD_INLINE double sum_run(const double* p, int64_t n) {
  double s = 0;
  int64_t i = 0;
#if KD_VEC
  f64x4 a0 = f64x4{}, a1 = a0, a2 = a0, a3 = a0;
  for (; i + 16 <= n; i += 16) {
    a0 += load4d(p + i);
    a1 += load4d(p + i + 4);
    a2 += load4d(p + i + 8);
    a3 += load4d(p + i + 12);
  }
  s = hsum((a0 + a2) + (a1 + a3));
#endif
  for (; i < n; i++) s += p[i];
  return s;
}

constexpr int64_t kColBlock = 256;

/** out[j] = Σ_r in[r·inner + j] for j in [j0, j1) (j1 - j0 ≤ kColBlock). */
template <typename T>
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

/** Softmax of one contiguous float row, as the decomposition computes it (max, exp, Σ in double, ÷). */
KD_INLINE void softmax_row(bool log, const float* x, float* o, int64_t n) {
  float m = -INFINITY;
  bool nan = false;
  int64_t i = 0;
#if KD_VEC
  if (n >= 8) {
    f32x8 mv = f32x8{} - INFINITY;
    i32x8 nv = i32x8{};
    for (; i + 8 <= n; i += 8) {
      const f32x8 v = load8(x + i);
      mv = v > mv ? v : mv;
      nv |= v != v;
    }
    for (int l = 0; l < 8; l++) m = mv[l] > m ? mv[l] : m;
    nan = any8(nv);
  }
#endif
  for (; i < n; i++) {
    m = x[i] > m ? x[i] : m;
    nan = nan || x[i] != x[i];
  }
  if (nan) m = NAN;
  // Pass 2: o = exp(x - m) (log: o = x - m), Σ exp(x - m) in double.
  i = 0;
  double sd = 0;
#if KD_VEC
  f64x4 a0 = f64x4{}, a1 = a0;
  for (; i + 8 <= n; i += 8) {
    const f32x8 d = load8(x + i) - m;
    const f32x8 e = exp8v(d);
    store8(o + i, log ? d : e);
    add_widened(a0, a1, e);
  }
  sd = hsum(a0 + a1);
#endif
  for (; i < n; i++) {
    const float d = x[i] - m;
    const float e = exp_ref(d);
    o[i] = log ? d : e;
    sd += static_cast<double>(e);
  }
  const float s = static_cast<float>(sd);
  i = 0;
  if (!log) {
#if KD_VEC
    for (; i + 8 <= n; i += 8) store8(o + i, load8(o + i) / s);
#endif
    for (; i < n; i++) o[i] = o[i] / s;
  } else {
    const float ls = static_cast<float>(std::log(static_cast<double>(s)));
#if KD_VEC
    for (; i + 8 <= n; i += 8) store8(o + i, load8(o + i) - ls);
#endif
    for (; i < n; i++) o[i] = o[i] - ls;
  }
}

/** Softmax of a double row: scalar (std::exp on doubles, as Math.exp). */
KD_INLINE void softmax_row(bool log, const double* x, double* o, int64_t n) {
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
KD_INLINE void softmax_cols(bool log, const T* x, T* o, int64_t dim, int64_t inner, int64_t j0, int64_t j1) {
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
  for (int64_t j = 0; j < w; j++) f[j] = log ? static_cast<T>(std::log(static_cast<double>(static_cast<T>(s[j])))) : static_cast<T>(s[j]);
  for (int64_t r = 0; r < dim; r++) {
    T* orow = o + r * inner + j0;
    for (int64_t j = 0; j < w; j++) orow[j] = log ? orow[j] - f[j] : orow[j] / f[j];
  }
}

// ---- the two compilations of each kernel body -----------------------------------------------

void binary_block_portable(BinaryOp op, const BinaryArgs& g) { binary_block_any(op, g); }
void exp_portable(const float* in, float* out, int64_t n) { exp_run(in, out, n); }
template <typename T>
double sum_run_portable(const T* p, int64_t n) { return sum_run(p, n); }
template <typename T>
void sum_cols_portable(const T* in, T* out, int64_t red, int64_t inner, int64_t j0, int64_t j1) {
  sum_cols(in, out, red, inner, j0, j1);
}
template <typename T>
void softmax_rows_portable(bool log, const T* x, T* o, int64_t r0, int64_t r1, int64_t n) {
  for (int64_t r = r0; r < r1; r++) softmax_row(log, x + r * n, o + r * n, n);
}

#if KD_X86
KD_TARGET_AVX2 void binary_block_avx2(BinaryOp op, const BinaryArgs& g) { binary_block_any(op, g); }
KD_TARGET_AVX2 void exp_avx2(const float* in, float* out, int64_t n) { exp_run(in, out, n); }
template <typename T>
KD_TARGET_AVX2 double sum_run_avx2(const T* p, int64_t n) { return sum_run(p, n); }
template <typename T>
KD_TARGET_AVX2 void sum_cols_avx2(const T* in, T* out, int64_t red, int64_t inner, int64_t j0, int64_t j1) {
  sum_cols(in, out, red, inner, j0, j1);
}
template <typename T>
KD_TARGET_AVX2 void softmax_rows_avx2(bool log, const T* x, T* o, int64_t r0, int64_t r1, int64_t n) {
  for (int64_t r = r0; r < r1; r++) softmax_row(log, x + r * n, o + r * n, n);
}
#define KD_PICK(name) (current_isa() != Isa::Portable ? name##_avx2 : name##_portable)
#define KD_PICK_T(name, T) (current_isa() != Isa::Portable ? name##_avx2<T> : name##_portable<T>)
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
  BinaryArgs g{0, rows, 0, cols, a, ars, acs, b, brs, bcs, out, ors};
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
  chunked(n, kGrain / 4, [&](int64_t i0, int64_t i1) { kernel(a + i0, out + i0, i1 - i0); });
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
template void softmax<float>(bool, const float*, float*, int64_t, int64_t, int64_t);
template void softmax<double>(bool, const double*, double*, int64_t, int64_t, int64_t);

}  // namespace kd
