// Batch normalisation's training kernels over a contiguous [N, C, inner] float32 input, one channel per
// task: the statistics (mean and biased variance, summed in doubles), the normalisation, and the
// backward pass. Each reads the input twice at most, where the op-by-op route writes and reads about
// ten full-size intermediates. A channel's loops are compiled per instruction set (portable, AVX2,
// AVX-512) and picked at run time.
#include <cstring>

#include "common.h"
#include "kernels.h"
#include "threadpool.h"

namespace kd {

namespace {

constexpr int kLanes = 8;

/** Σ f(i) over a row, in doubles, in kLanes independent partial sums (vectorisable, deterministic). */
template <typename F>
KD_INLINE double lane_sum(int64_t n, const F& f) {
  double acc[kLanes] = {};
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (int l = 0; l < kLanes; l++) acc[l] += f(i + l);
  for (; i < n; i++) acc[0] += f(i);
  double s = 0;
  for (int l = 0; l < kLanes; l++) s += acc[l];
  return s;
}


// ---- one channel's work, compiled per instruction set (the loops vectorise with the widest) ----

KD_INLINE void stats_channel(const BatchNormShape& s, const float* x, int64_t c, float* mean, float* var) {
  const double count = static_cast<double>(s.n * s.inner);
  double sum = 0;
  for (int64_t n = 0; n < s.n; n++) {
    const float* row = x + (n * s.c + c) * s.inner;
    sum += lane_sum(s.inner, [row](int64_t i) { return static_cast<double>(row[i]); });
  }
  const double m = sum / count;
  double sq = 0;
  for (int64_t n = 0; n < s.n; n++) {
    const float* row = x + (n * s.c + c) * s.inner;
    sq += lane_sum(s.inner, [row, m](int64_t i) {
      const double d = static_cast<double>(row[i]) - m;
      return d * d;
    });
  }
  mean[c] = static_cast<float>(m);
  var[c] = static_cast<float>(sq / count);
}

KD_INLINE void elemt_channel(const BatchNormShape& s, const float* x, int64_t c, const float* mean, const float* invstd,
                             const float* weight, const float* bias, float* y) {
  // The decomposition's float steps, ((x − mean)·invstd)·weight + bias, each rounded.
  const float m = mean[c], is = invstd[c], w = weight ? weight[c] : 1.0f, b = bias ? bias[c] : 0.0f;
  for (int64_t n = 0; n < s.n; n++) {
    const float* KD_RESTRICT row = x + (n * s.c + c) * s.inner;
    float* KD_RESTRICT out = y + (n * s.c + c) * s.inner;
    if (weight && bias)
      for (int64_t i = 0; i < s.inner; i++) {
        const float t = (row[i] - m) * is;
        const float u = t * w;
        out[i] = u + b;
      }
    else if (weight)
      for (int64_t i = 0; i < s.inner; i++) {
        const float t = (row[i] - m) * is;
        out[i] = t * w;
      }
    else if (bias)
      for (int64_t i = 0; i < s.inner; i++) {
        const float t = (row[i] - m) * is;
        out[i] = t + b;
      }
    else
      for (int64_t i = 0; i < s.inner; i++) out[i] = (row[i] - m) * is;
  }
}

KD_INLINE void backward_channel(const BatchNormShape& s, const float* g, const float* x, int64_t c, const float* mean,
                                const float* invstd, const float* weight, float* dx, float* dweight, float* dbias) {
  const double count = static_cast<double>(s.n * s.inner);
  const double m = mean[c], is = invstd[c], w = weight ? weight[c] : 1.0;
  // Σ g and Σ g·(x − mean), then dx = (g − Σg/M − (x − mean)·invstd²·Σg(x − mean)/M)·invstd·weight.
  double sum_g = 0, sum_gx = 0;
  for (int64_t n = 0; n < s.n; n++) {
    const float* gr = g + (n * s.c + c) * s.inner;
    const float* xr = x + (n * s.c + c) * s.inner;
    sum_g += lane_sum(s.inner, [gr](int64_t i) { return static_cast<double>(gr[i]); });
    sum_gx += lane_sum(s.inner, [gr, xr, m](int64_t i) { return static_cast<double>(gr[i]) * (static_cast<double>(xr[i]) - m); });
  }
  dbias[c] = static_cast<float>(sum_g);
  dweight[c] = static_cast<float>(sum_gx * is);
  if (!dx) return;
  const float mean_g = static_cast<float>(sum_g / count);
  const float k = static_cast<float>(is * is * sum_gx / count);
  const float scale = static_cast<float>(is * w);
  const float mf = static_cast<float>(m);
  for (int64_t n = 0; n < s.n; n++) {
    const float* KD_RESTRICT gr = g + (n * s.c + c) * s.inner;
    const float* KD_RESTRICT xr = x + (n * s.c + c) * s.inner;
    float* KD_RESTRICT out = dx + (n * s.c + c) * s.inner;
    for (int64_t i = 0; i < s.inner; i++) out[i] = (gr[i] - mean_g - (xr[i] - mf) * k) * scale;
  }
}

#define KD_BN_ENTRY_POINTS(SUFFIX, ATTR)                                                                          \
  ATTR void stats_##SUFFIX(const BatchNormShape& s, const float* x, int64_t c, float* mean, float* var) {         \
    stats_channel(s, x, c, mean, var);                                                                           \
  }                                                                                                              \
  ATTR void elemt_##SUFFIX(const BatchNormShape& s, const float* x, int64_t c, const float* mean,                 \
                           const float* invstd, const float* weight, const float* bias, float* y) {              \
    elemt_channel(s, x, c, mean, invstd, weight, bias, y);                                                       \
  }                                                                                                              \
  ATTR void backward_##SUFFIX(const BatchNormShape& s, const float* g, const float* x, int64_t c, const float* mean, \
                              const float* invstd, const float* weight, float* dx, float* dweight, float* dbias) { \
    backward_channel(s, g, x, c, mean, invstd, weight, dx, dweight, dbias);                                      \
  }

KD_BN_ENTRY_POINTS(portable, )
#if KD_X86
KD_BN_ENTRY_POINTS(avx2, KD_TARGET_AVX2)
KD_BN_ENTRY_POINTS(avx512, KD_TARGET_AVX512)
#define KD_BN_PICK(name) \
  (current_isa() == Isa::Avx512 ? name##_avx512 : current_isa() == Isa::Avx2 ? name##_avx2 : name##_portable)
#else
#define KD_BN_PICK(name) name##_portable
#endif

}  // namespace

void batch_norm_stats_f32(const BatchNormShape& s, const float* x, float* mean, float* var) {
  const auto kernel = KD_BN_PICK(stats);
  for_each_task(s.c, [&](int64_t c) { kernel(s, x, c, mean, var); });
}

void batch_norm_elemt_f32(const BatchNormShape& s, const float* x, const float* mean, const float* invstd,
                          const float* weight, const float* bias, float* y) {
  const auto kernel = KD_BN_PICK(elemt);
  for_each_task(s.c, [&](int64_t c) { kernel(s, x, c, mean, invstd, weight, bias, y); });
}

void batch_norm_backward_f32(const BatchNormShape& s, const float* g, const float* x, const float* mean,
                             const float* invstd, const float* weight, float* dx, float* dweight, float* dbias) {
  const auto kernel = KD_BN_PICK(backward);
  for_each_task(s.c, [&](int64_t c) { kernel(s, g, x, c, mean, invstd, weight, dx, dweight, dbias); });
}

}  // namespace kd
