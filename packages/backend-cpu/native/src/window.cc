// Sliding-window kernels behind convolution and pooling, float32: im2col (F.unfold's layout), col2im
// (its adjoint, summed in doubles and rounded once, as the TypeScript kernel) and max_pool (values and
// flat indices). Each (sample, channel) plane is one task; the loops visit taps and positions in the
// TypeScript kernels' order, so the results are the same bit for bit. A plane's loops are compiled per
// instruction set (portable, AVX2, AVX-512) and picked at run time.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "common.h"
#include "kernels.h"
#include "threadpool.h"

namespace kd {

namespace {

/** Input index of window position `pos`, tap `j` along spatial dim `dim`, or -1 in the padding. */
inline int64_t tap_index(const WindowGeometry& g, int dim, int64_t pos, int64_t j) {
  const int64_t idx = pos * g.s[dim] - g.p[dim] + j * g.d[dim];
  return idx >= 0 && idx < g.i[dim] ? idx : -1;
}

/** The positions [lo, hi) of the last dim where tap j lands inside the input. */
inline void inside_range(const WindowGeometry& g, int64_t j, int64_t* lo, int64_t* hi) {
  // p·s − pad + j·d ∈ [0, i)  ⇔  p ∈ [ceil((pad − j·d)/s), ceil((i + pad − j·d)/s))
  const int64_t off = g.p[2] - j * g.d[2];
  const int64_t s = g.s[2], o = g.o[2];
  auto ceil_div = [](int64_t a, int64_t b) { return a >= 0 ? (a + b - 1) / b : -((-a) / b); };
  *lo = std::min(o, std::max<int64_t>(0, ceil_div(off, s)));
  *hi = std::max(*lo, std::min(o, ceil_div(g.i[2] + off, s)));
}


KD_INLINE void im2col_plane(const WindowGeometry& g, const float* x, float* out, float pad_value, int64_t plane) {
  const int64_t K = g.k[0] * g.k[1] * g.k[2];
  const int64_t L = g.o[0] * g.o[1] * g.o[2];
  const int64_t o1 = g.o[1], o2 = g.o[2];
  const int64_t n = plane / g.c, c = plane % g.c;
  const float* xc = x + n * g.xs_n + c * g.xs_c;
  float* row = out + plane * K * L;
  for (int64_t j0 = 0; j0 < g.k[0]; j0++) {
    for (int64_t j1 = 0; j1 < g.k[1]; j1++) {
      for (int64_t j2 = 0; j2 < g.k[2]; j2++, row += L) {
        int64_t lo, hi;
        inside_range(g, j2, &lo, &hi);
        const int64_t step = g.s[2] * g.xs[2];
        const int64_t first = (j2 * g.d[2] - g.p[2]) * g.xs[2];
        float* w = row;
        for (int64_t p0 = 0; p0 < g.o[0]; p0++) {
          const int64_t i0 = tap_index(g, 0, p0, j0);
          for (int64_t p1 = 0; p1 < o1; p1++, w += o2) {
            const int64_t i1 = tap_index(g, 1, p1, j1);
            if (i0 < 0 || i1 < 0) {
              std::fill(w, w + o2, pad_value);
              continue;
            }
            const float* src = xc + i0 * g.xs[0] + i1 * g.xs[1] + first;
            std::fill(w, w + lo, pad_value);
            if (step == 1) std::memcpy(w + lo, src + lo, static_cast<size_t>(hi - lo) * sizeof(float));
            else
              for (int64_t p2 = lo; p2 < hi; p2++) w[p2] = src[p2 * step];
            std::fill(w + hi, w + o2, pad_value);
          }
        }
      }
    }
  }
}

KD_INLINE void col2im_plane(const WindowGeometry& g, const float* cols, float* out, int64_t plane) {
  const int64_t K = g.k[0] * g.k[1] * g.k[2];
  const int64_t L = g.o[0] * g.o[1] * g.o[2];
  const int64_t plane_size = g.i[0] * g.i[1] * g.i[2];
  const int64_t o1 = g.o[1], o2 = g.o[2], i1 = g.i[1], i2 = g.i[2], s2 = g.s[2];
  thread_local std::vector<double> acc_buffer;
  acc_buffer.assign(static_cast<size_t>(plane_size), 0.0);
  double* KD_RESTRICT acc = acc_buffer.data();
  const float* r = cols + plane * K * L;
  for (int64_t j0 = 0; j0 < g.k[0]; j0++) {
    for (int64_t j1 = 0; j1 < g.k[1]; j1++) {
      for (int64_t j2 = 0; j2 < g.k[2]; j2++) {
        int64_t lo, hi;
        inside_range(g, j2, &lo, &hi);
        const int64_t first = j2 * g.d[2] - g.p[2];
        for (int64_t p0 = 0; p0 < g.o[0]; p0++) {
          const int64_t a0 = tap_index(g, 0, p0, j0);
          for (int64_t p1 = 0; p1 < o1; p1++, r += o2) {
            const int64_t a1 = tap_index(g, 1, p1, j1);
            if (a0 < 0 || a1 < 0) continue;
            double* KD_RESTRICT a = acc + (a0 * i1 + a1) * i2 + first;
            if (s2 == 1)
              for (int64_t p2 = lo; p2 < hi; p2++) a[p2] += static_cast<double>(r[p2]);
            else
              for (int64_t p2 = lo; p2 < hi; p2++) a[p2 * s2] += static_cast<double>(r[p2]);
          }
        }
      }
    }
  }
  float* o = out + plane * plane_size;
  for (int64_t e = 0; e < plane_size; e++) o[e] = static_cast<float>(acc[e]);
}

KD_INLINE void max_pool_plane(const WindowGeometry& g, const float* x, float* values, int64_t* indices,
                              const int64_t* lo, const int64_t* hi, int64_t plane) {
  const int64_t L = g.o[0] * g.o[1] * g.o[2];
  const int64_t k0 = g.k[0], k1 = g.k[1], k2 = g.k[2], o0 = g.o[0], o1 = g.o[1], o2 = g.o[2];
  const int64_t i1 = g.i[1], i2 = g.i[2], xs0 = g.xs[0], xs1 = g.xs[1], xs2 = g.xs[2];
  const int64_t C = g.c, xs_n = g.xs_n, xs_c = g.xs_c, s2 = g.s[2];
  const int64_t n = plane / C, c = plane % C;
  const float* xc = x + n * xs_n + c * xs_c;
  // One output row (p0, p1) at a time, the taps outermost and the positions p2 innermost: each
  // tap updates the whole row with selects, not branches (max pooling's comparisons are coin flips).
  // Sequentially per window: the first in-bounds tap, then any larger value or NaN (NaN wins, ties
  // keep the first), as the TypeScript kernel.
  thread_local std::vector<float> best_row;
  thread_local std::vector<int32_t> arg_row;
  best_row.resize(static_cast<size_t>(o2));
  arg_row.resize(static_cast<size_t>(o2));
  float* KD_RESTRICT best = best_row.data();
  int32_t* KD_RESTRICT arg = arg_row.data();
  float* v = values + plane * L;
  int64_t* ix = indices + plane * L;
  for (int64_t p0 = 0; p0 < o0; p0++) {
    for (int64_t p1 = 0; p1 < o1; p1++, v += o2, ix += o2) {
      for (int64_t p2 = 0; p2 < o2; p2++) {
        best[p2] = -INFINITY;
        arg[p2] = -1;
      }
      for (int64_t j0 = 0; j0 < k0; j0++) {
        const int64_t a0 = tap_index(g, 0, p0, j0);
        if (a0 < 0) continue;
        for (int64_t j1 = 0; j1 < k1; j1++) {
          const int64_t a1 = tap_index(g, 1, p1, j1);
          if (a1 < 0) continue;
          const float* row = xc + a0 * xs0 + a1 * xs1;
          const int64_t flat = (a0 * i1 + a1) * i2;
          for (int64_t j2 = 0; j2 < k2; j2++) {
            const int64_t first = j2 * g.d[2] - g.p[2];  // input index of position 0
            const float* src = row + first * xs2;
            const int64_t step = s2 * xs2;
            const int32_t at0 = static_cast<int32_t>(flat + first);
            const int32_t s2i = static_cast<int32_t>(s2);
            const int32_t h = static_cast<int32_t>(hi[j2]);
            for (int32_t p2 = static_cast<int32_t>(lo[j2]); p2 < h; p2++) {
              const float val = src[p2 * step];
              const float b = best[p2];
              const int32_t a = arg[p2];
              const int32_t take = -static_cast<int32_t>((a < 0) | (val > b) | (val != val));
              best[p2] = take ? val : b;
              arg[p2] = (take & (at0 + p2 * s2i)) | (~take & a);
            }
          }
        }
      }
      for (int64_t p2 = 0; p2 < o2; p2++) {
        v[p2] = best[p2];
        ix[p2] = arg[p2];
      }
    }
  }
}

#define KD_WINDOW_ENTRY_POINTS(SUFFIX, ATTR)                                                                     \
  ATTR void im2col_##SUFFIX(const WindowGeometry& g, const float* x, float* out, float pad, int64_t plane) {   \
    im2col_plane(g, x, out, pad, plane);                                                                       \
  }                                                                                                            \
  ATTR void col2im_##SUFFIX(const WindowGeometry& g, const float* cols, float* out, int64_t plane) {           \
    col2im_plane(g, cols, out, plane);                                                                         \
  }                                                                                                            \
  ATTR void max_pool_##SUFFIX(const WindowGeometry& g, const float* x, float* values, int64_t* indices,       \
                              const int64_t* lo, const int64_t* hi, int64_t plane) {                            \
    max_pool_plane(g, x, values, indices, lo, hi, plane);                                                      \
  }

KD_WINDOW_ENTRY_POINTS(portable, )
#if KD_X86
KD_WINDOW_ENTRY_POINTS(avx2, KD_TARGET_AVX2)
KD_WINDOW_ENTRY_POINTS(avx512, KD_TARGET_AVX512)
#define KD_WINDOW_PICK(name) \
  (current_isa() == Isa::Avx512 ? name##_avx512 : current_isa() == Isa::Avx2 ? name##_avx2 : name##_portable)
#else
#define KD_WINDOW_PICK(name) name##_portable
#endif

}  // namespace

void im2col_f32(const WindowGeometry& g, const float* x, float* out, float pad_value) {
  const auto kernel = KD_WINDOW_PICK(im2col);
  for_each_task(g.n * g.c, [&](int64_t plane) { kernel(g, x, out, pad_value, plane); });
}

void col2im_f32(const WindowGeometry& g, const float* cols, float* out) {
  const auto kernel = KD_WINDOW_PICK(col2im);
  for_each_task(g.n * g.c, [&](int64_t plane) { kernel(g, cols, out, plane); });
}

void max_pool_f32(const WindowGeometry& g, const float* x, float* values, int64_t* indices) {
  std::vector<int64_t> lo(static_cast<size_t>(g.k[2])), hi(static_cast<size_t>(g.k[2]));
  for (int64_t j2 = 0; j2 < g.k[2]; j2++) inside_range(g, j2, &lo[j2], &hi[j2]);
  const auto kernel = KD_WINDOW_PICK(max_pool);
  for_each_task(g.n * g.c, [&](int64_t plane) { kernel(g, x, values, indices, lo.data(), hi.data(), plane); });
}

int64_t max_pool_backward_f32(int64_t planes, int64_t positions, int64_t plane_size, const float* grad,
                              const int64_t* indices, float* out) {
  // Check every index before writing anything, so that bad input changes nothing.
  for (int64_t e = 0; e < planes * positions; e++)
    if (indices[e] < 0 || indices[e] >= plane_size) return e;
  for_each_task(planes, [&](int64_t plane) {
    float* o = out + plane * plane_size;
    std::fill(o, o + plane_size, 0.0f);
    const float* g = grad + plane * positions;
    const int64_t* ix = indices + plane * positions;
    for (int64_t l = 0; l < positions; l++) o[ix[l]] += g[l];
  });
  return -1;
}

}  // namespace kd
