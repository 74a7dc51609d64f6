// GEMM: packed, cache-blocked, with register-blocked micro-kernels (the BLIS/GotoBLAS scheme).
//
//   for jc in n-columns of C, NC at a time:         B block (KC×NC) lives in L3
//     for pc in the k dimension, KC at a time:       pack B[pc, jc] into NR-wide micro-panels (shared)
//       for ic in rows of C, MC at a time (tasks):   pack A[ic, pc] into MR-tall micro-panels (per task)
//         for jr, ir: micro-kernel MR×NR             B micro-panel in L1, A block in L2
//
// Packing reads the operands through their strides, so transposed and broadcast views need no copy.
//
// Paths, chosen at run time (current_isa()): AVX-512 (14×32 float32 / 14×16 float64 micro-kernels,
// masked edge tiles, B read in place when A has few rows), AVX2 (6×16 / 6×8), portable C++. On the
// vector paths a k-contiguous operand (A row-major, B column-major) is packed through register
// transposes, and a weight broadcast over a batch is packed once for the whole batch.
#include <algorithm>
#include <cstring>
#include <new>
#include <type_traits>

#include "common.h"
#include "kernels.h"
#include "threadpool.h"

#if KD_X86
#include <immintrin.h>
#endif

namespace kd {

namespace {

/** A grow-only, 64-byte-aligned scratch buffer. */
class Scratch {
 public:
  ~Scratch() { release(); }
  template <typename T>
  T* get(size_t count) {
    const size_t bytes = count * sizeof(T);
    if (bytes > cap_) {
      release();
      p_ = ::operator new(bytes, std::align_val_t(64));
      cap_ = bytes;
    }
    return static_cast<T*>(p_);
  }

 private:
  void release() {
    if (p_) ::operator delete(p_, std::align_val_t(64));
    p_ = nullptr;
    cap_ = 0;
  }
  void* p_ = nullptr;
  size_t cap_ = 0;
};

// Packing buffers of the thread that runs a GEMM (B) and of each thread that runs a block (A).
thread_local Scratch tls_pack_a;
thread_local Scratch tls_pack_b;
// A packed once for a whole batch (read by every thread of the pool while the batch runs).
thread_local Scratch tls_pack_shared;

// ---------------------------------------------------------------------------------------------
// Micro-kernels: c[i*rs + j] (=|+=) Σ_p a[p*MR + i] · b[p*NR + j] for a full MR×NR tile.

template <typename T, int MR, int NR>
void ukr_portable(int64_t kc, const T* KD_RESTRICT a, const T* KD_RESTRICT b, T* c, int64_t rs, bool acc) {
  T t[MR][NR];
  for (int i = 0; i < MR; i++)
    for (int j = 0; j < NR; j++) t[i][j] = 0;
  for (int64_t p = 0; p < kc; p++) {
    for (int i = 0; i < MR; i++) {
      const T ai = a[i];
      for (int j = 0; j < NR; j++) t[i][j] += ai * b[j];
    }
    a += MR;
    b += NR;
  }
  for (int i = 0; i < MR; i++) {
    T* ci = c + i * rs;
    if (acc)
      for (int j = 0; j < NR; j++) ci[j] += t[i][j];
    else
      for (int j = 0; j < NR; j++) ci[j] = t[i][j];
  }
}

#if KD_X86
KD_TARGET_AVX2 void ukr_f32_avx2(int64_t kc, const float* KD_RESTRICT a, const float* KD_RESTRICT b, float* c,
                                 int64_t rs, bool acc) {
  __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
  __m256 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  for (int64_t p = 0; p < kc; p++) {
    const __m256 b0 = _mm256_load_ps(b), b1 = _mm256_load_ps(b + 8);
    __m256 x = _mm256_broadcast_ss(a + 0);
    c00 = _mm256_fmadd_ps(x, b0, c00);
    c01 = _mm256_fmadd_ps(x, b1, c01);
    x = _mm256_broadcast_ss(a + 1);
    c10 = _mm256_fmadd_ps(x, b0, c10);
    c11 = _mm256_fmadd_ps(x, b1, c11);
    x = _mm256_broadcast_ss(a + 2);
    c20 = _mm256_fmadd_ps(x, b0, c20);
    c21 = _mm256_fmadd_ps(x, b1, c21);
    x = _mm256_broadcast_ss(a + 3);
    c30 = _mm256_fmadd_ps(x, b0, c30);
    c31 = _mm256_fmadd_ps(x, b1, c31);
    x = _mm256_broadcast_ss(a + 4);
    c40 = _mm256_fmadd_ps(x, b0, c40);
    c41 = _mm256_fmadd_ps(x, b1, c41);
    x = _mm256_broadcast_ss(a + 5);
    c50 = _mm256_fmadd_ps(x, b0, c50);
    c51 = _mm256_fmadd_ps(x, b1, c51);
    a += 6;
    b += 16;
  }
  const __m256 r[6][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}, {c40, c41}, {c50, c51}};
  for (int i = 0; i < 6; i++) {
    float* ci = c + i * rs;
    if (acc) {
      _mm256_storeu_ps(ci, _mm256_add_ps(_mm256_loadu_ps(ci), r[i][0]));
      _mm256_storeu_ps(ci + 8, _mm256_add_ps(_mm256_loadu_ps(ci + 8), r[i][1]));
    } else {
      _mm256_storeu_ps(ci, r[i][0]);
      _mm256_storeu_ps(ci + 8, r[i][1]);
    }
  }
}

KD_TARGET_AVX2 void ukr_f64_avx2(int64_t kc, const double* KD_RESTRICT a, const double* KD_RESTRICT b, double* c,
                                 int64_t rs, bool acc) {
  __m256d c00 = _mm256_setzero_pd(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
  __m256d c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  for (int64_t p = 0; p < kc; p++) {
    const __m256d b0 = _mm256_load_pd(b), b1 = _mm256_load_pd(b + 4);
    __m256d x = _mm256_broadcast_sd(a + 0);
    c00 = _mm256_fmadd_pd(x, b0, c00);
    c01 = _mm256_fmadd_pd(x, b1, c01);
    x = _mm256_broadcast_sd(a + 1);
    c10 = _mm256_fmadd_pd(x, b0, c10);
    c11 = _mm256_fmadd_pd(x, b1, c11);
    x = _mm256_broadcast_sd(a + 2);
    c20 = _mm256_fmadd_pd(x, b0, c20);
    c21 = _mm256_fmadd_pd(x, b1, c21);
    x = _mm256_broadcast_sd(a + 3);
    c30 = _mm256_fmadd_pd(x, b0, c30);
    c31 = _mm256_fmadd_pd(x, b1, c31);
    x = _mm256_broadcast_sd(a + 4);
    c40 = _mm256_fmadd_pd(x, b0, c40);
    c41 = _mm256_fmadd_pd(x, b1, c41);
    x = _mm256_broadcast_sd(a + 5);
    c50 = _mm256_fmadd_pd(x, b0, c50);
    c51 = _mm256_fmadd_pd(x, b1, c51);
    a += 6;
    b += 8;
  }
  const __m256d r[6][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}, {c40, c41}, {c50, c51}};
  for (int i = 0; i < 6; i++) {
    double* ci = c + i * rs;
    if (acc) {
      _mm256_storeu_pd(ci, _mm256_add_pd(_mm256_loadu_pd(ci), r[i][0]));
      _mm256_storeu_pd(ci + 4, _mm256_add_pd(_mm256_loadu_pd(ci + 4), r[i][1]));
    } else {
      _mm256_storeu_pd(ci, r[i][0]);
      _mm256_storeu_pd(ci + 4, r[i][1]);
    }
  }
}

// AVX-512: MR rows × NV zmm vectors of columns, MR·NV accumulators in the 32 zmm registers (with NV
// vectors of B and one broadcast of A). `mr`/`nr` < MR/NR: an edge tile, stored through masks (rows
// past mr are computed on the zero padding and dropped).
template <int MR, int NV>
KD_TARGET_AVX512 KD_INLINE void ukr_f32_avx512_t(int64_t kc, const float* KD_RESTRICT a, const float* KD_RESTRICT b,
                                                 int64_t ldb, float* c, int64_t rs, bool acc, int64_t mr, int64_t nr) {
  constexpr int NR = 16 * NV;
  __m512 t[MR][NV];
#pragma GCC unroll 32
  for (int i = 0; i < MR; i++)
#pragma GCC unroll 4
    for (int v = 0; v < NV; v++) t[i][v] = _mm512_setzero_ps();
  for (int64_t p = 0; p < kc; p++) {
    __m512 bv[NV];
#pragma GCC unroll 4
    for (int v = 0; v < NV; v++) bv[v] = _mm512_loadu_ps(b + 16 * v);
    _mm_prefetch(reinterpret_cast<const char*>(b + 8 * ldb), _MM_HINT_T0);
#pragma GCC unroll 32
    for (int i = 0; i < MR; i++) {
      const __m512 x = _mm512_set1_ps(a[i]);
#pragma GCC unroll 4
      for (int v = 0; v < NV; v++) t[i][v] = _mm512_fmadd_ps(x, bv[v], t[i][v]);
    }
    a += MR;
    b += ldb;
  }
  if (mr == MR && nr == NR) {
#pragma GCC unroll 32
    for (int i = 0; i < MR; i++) {
      float* ci = c + i * rs;
#pragma GCC unroll 4
      for (int v = 0; v < NV; v++) {
        __m512 r = t[i][v];
        if (acc) r = _mm512_add_ps(_mm512_loadu_ps(ci + 16 * v), r);
        _mm512_storeu_ps(ci + 16 * v, r);
      }
    }
    return;
  }
  __mmask16 mk[NV];
#pragma GCC unroll 4
  for (int v = 0; v < NV; v++) {
    const int64_t left = nr - 16 * v;
    mk[v] = left >= 16 ? static_cast<__mmask16>(0xffff) : left <= 0 ? 0 : static_cast<__mmask16>((1u << left) - 1);
  }
#pragma GCC unroll 32
  for (int i = 0; i < MR; i++) {
    if (i >= mr) break;
    float* ci = c + i * rs;
#pragma GCC unroll 4
    for (int v = 0; v < NV; v++) {
      __m512 r = t[i][v];
      if (acc) r = _mm512_add_ps(_mm512_maskz_loadu_ps(mk[v], ci + 16 * v), r);
      _mm512_mask_storeu_ps(ci + 16 * v, mk[v], r);
    }
  }
}

template <int MR, int NV>
KD_TARGET_AVX512 KD_INLINE void ukr_f64_avx512_t(int64_t kc, const double* KD_RESTRICT a, const double* KD_RESTRICT b,
                                                 int64_t ldb, double* c, int64_t rs, bool acc, int64_t mr, int64_t nr) {
  constexpr int NR = 8 * NV;
  __m512d t[MR][NV];
#pragma GCC unroll 32
  for (int i = 0; i < MR; i++)
#pragma GCC unroll 4
    for (int v = 0; v < NV; v++) t[i][v] = _mm512_setzero_pd();
  for (int64_t p = 0; p < kc; p++) {
    __m512d bv[NV];
#pragma GCC unroll 4
    for (int v = 0; v < NV; v++) bv[v] = _mm512_loadu_pd(b + 8 * v);
    _mm_prefetch(reinterpret_cast<const char*>(b + 8 * ldb), _MM_HINT_T0);
#pragma GCC unroll 32
    for (int i = 0; i < MR; i++) {
      const __m512d x = _mm512_set1_pd(a[i]);
#pragma GCC unroll 4
      for (int v = 0; v < NV; v++) t[i][v] = _mm512_fmadd_pd(x, bv[v], t[i][v]);
    }
    a += MR;
    b += ldb;
  }
  __mmask8 mk[NV];
#pragma GCC unroll 4
  for (int v = 0; v < NV; v++) {
    const int64_t left = nr - 8 * v;
    mk[v] = left >= 8 ? static_cast<__mmask8>(0xff) : left <= 0 ? 0 : static_cast<__mmask8>((1u << left) - 1);
  }
#pragma GCC unroll 32
  for (int i = 0; i < MR; i++) {
    if (i >= mr) break;
    double* ci = c + i * rs;
#pragma GCC unroll 4
    for (int v = 0; v < NV; v++) {
      __m512d r = t[i][v];
      if (acc) r = _mm512_add_pd(_mm512_maskz_loadu_pd(mk[v], ci + 8 * v), r);
      _mm512_mask_storeu_pd(ci + 8 * v, mk[v], r);
    }
  }
}

KD_TARGET_AVX512 void ukr_f32_avx512(int64_t kc, const float* a, const float* b, int64_t ldb, float* c, int64_t rs,
                                     bool acc, int64_t mr, int64_t nr) {
  ukr_f32_avx512_t<14, 2>(kc, a, b, ldb, c, rs, acc, mr, nr);
}
KD_TARGET_AVX512 void ukr_f64_avx512(int64_t kc, const double* a, const double* b, int64_t ldb, double* c, int64_t rs,
                                     bool acc, int64_t mr, int64_t nr) {
  ukr_f64_avx512_t<14, 2>(kc, a, b, ldb, c, rs, acc, mr, nr);
}
#endif

template <typename T, int MR>
void pack_a(const T* a, int64_t rs, int64_t cs, int64_t rows, int64_t kc, T* KD_RESTRICT dst) {
  if (cs == 1 || (rs != 1 && cs != 0 && rs < cs)) {
    // Row-major-ish A: walk each row along k.
    for (int64_t i = 0; i < rows; i++) {
      const T* src = a + i * rs;
      for (int64_t p = 0; p < kc; p++) dst[p * MR + i] = src[p * cs];
    }
  } else {
    for (int64_t p = 0; p < kc; p++) {
      const T* src = a + p * cs;
      T* d = dst + p * MR;
      for (int64_t i = 0; i < rows; i++) d[i] = src[i * rs];
    }
  }
  if (rows < MR)
    for (int64_t p = 0; p < kc; p++)
      for (int64_t i = rows; i < MR; i++) dst[p * MR + i] = 0;
}

template <typename T, int NR>
void pack_b(const T* b, int64_t rs, int64_t cs, int64_t cols, int64_t kc, T* KD_RESTRICT dst) {
  if (cs == 1) {
    for (int64_t p = 0; p < kc; p++) {
      const T* src = b + p * rs;
      T* d = dst + p * NR;
      for (int64_t j = 0; j < cols; j++) d[j] = src[j];
    }
  } else {
    // Column-major-ish B (a transposed weight): walk each column along k.
    for (int64_t j = 0; j < cols; j++) {
      const T* src = b + j * cs;
      for (int64_t p = 0; p < kc; p++) dst[p * NR + j] = src[p * rs];
    }
  }
  if (cols < NR)
    for (int64_t p = 0; p < kc; p++)
      for (int64_t j = cols; j < NR; j++) dst[p * NR + j] = 0;
}

#if KD_X86
// Packing a k-contiguous operand (A row-major, B column-major) transposes it: 16×16 blocks through
// registers instead of one element at a time. It reads 16 (or 8) rows side by side, one cache line
// of each per step: too many streams at once for the hardware prefetcher when the operand comes from
// memory (a weight gradient's operands, read once), so each step also prefetches every row
// kPackAhead elements (4 lines) ahead. Measured on a Zen 5 core, one thread, sum_batch products of
// conv weight-gradient shapes: 76 -> 87, 135 -> 150, 152 -> 162 GFLOP/s (AVX-512); AVX2 path
// 33 -> 47, 70 -> 85, 82 -> 88.
constexpr int64_t kPackAhead = 64;
KD_TARGET_AVX512 KD_INLINE void transpose16(__m512 r[16]) {
  __m512 t[16], u[16];
  for (int i = 0; i < 8; i++) {
    t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
    t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
  }
  for (int i = 0; i < 4; i++) {
    const __m512d t0 = _mm512_castps_pd(t[4 * i]), t1 = _mm512_castps_pd(t[4 * i + 1]);
    const __m512d t2 = _mm512_castps_pd(t[4 * i + 2]), t3 = _mm512_castps_pd(t[4 * i + 3]);
    u[4 * i] = _mm512_castpd_ps(_mm512_unpacklo_pd(t0, t2));
    u[4 * i + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(t0, t2));
    u[4 * i + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(t1, t3));
    u[4 * i + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(t1, t3));
  }
  // u[4g + j], 128-bit lane L: column 4L + j of rows 4g..4g+3.
  for (int j = 0; j < 4; j++) {
    t[j] = _mm512_shuffle_f32x4(u[j], u[4 + j], 0x88);
    t[4 + j] = _mm512_shuffle_f32x4(u[j], u[4 + j], 0xdd);
    t[8 + j] = _mm512_shuffle_f32x4(u[8 + j], u[12 + j], 0x88);
    t[12 + j] = _mm512_shuffle_f32x4(u[8 + j], u[12 + j], 0xdd);
  }
  for (int j = 0; j < 4; j++) {
    r[j] = _mm512_shuffle_f32x4(t[j], t[8 + j], 0x88);
    r[8 + j] = _mm512_shuffle_f32x4(t[j], t[8 + j], 0xdd);
    r[4 + j] = _mm512_shuffle_f32x4(t[4 + j], t[12 + j], 0x88);
    r[12 + j] = _mm512_shuffle_f32x4(t[4 + j], t[12 + j], 0xdd);
  }
}

/** pack_a for a row-major A (unit column stride), MR ≤ 16 rows. */
template <int MR>
KD_TARGET_AVX512 void pack_a_rows_f32_avx512(const float* a, int64_t rs, int64_t rows, int64_t kc, float* KD_RESTRICT dst) {
  static_assert(MR <= 16, "one transpose covers 16 rows");
  const __mmask16 row_mask = static_cast<__mmask16>((1u << MR) - 1);
  for (int64_t p0 = 0; p0 < kc; p0 += 16) {
    const int64_t len = std::min<int64_t>(16, kc - p0);
    const __mmask16 mk = static_cast<__mmask16>(len == 16 ? 0xffff : (1u << len) - 1);
    __m512 r[16];
    for (int64_t i = 0; i < rows; i++) _mm_prefetch(reinterpret_cast<const char*>(a + i * rs + p0 + kPackAhead), _MM_HINT_T0);
    for (int i = 0; i < 16; i++) r[i] = i < rows ? _mm512_maskz_loadu_ps(mk, a + i * rs + p0) : _mm512_setzero_ps();
    transpose16(r);
    for (int64_t t = 0; t < len; t++) _mm512_mask_storeu_ps(dst + (p0 + t) * MR, row_mask, r[t]);
  }
}

/** pack_b for a column-major B (unit row stride), NR a multiple of 16. */
template <int NR>
KD_TARGET_AVX512 void pack_b_cols_f32_avx512(const float* b, int64_t cs, int64_t cols, int64_t kc, float* KD_RESTRICT dst) {
  for (int64_t p0 = 0; p0 < kc; p0 += 16) {
    const int64_t len = std::min<int64_t>(16, kc - p0);
    const __mmask16 mk = static_cast<__mmask16>(len == 16 ? 0xffff : (1u << len) - 1);
    for (int g = 0; g < NR / 16; g++) {
      __m512 r[16];
      for (int i = 0; i < 16 && 16 * g + i < cols; i++)
        _mm_prefetch(reinterpret_cast<const char*>(b + (16 * g + i) * cs + p0 + kPackAhead), _MM_HINT_T0);
      for (int i = 0; i < 16; i++)
        r[i] = 16 * g + i < cols ? _mm512_maskz_loadu_ps(mk, b + (16 * g + i) * cs + p0) : _mm512_setzero_ps();
      transpose16(r);
      for (int64_t t = 0; t < len; t++) _mm512_storeu_ps(dst + (p0 + t) * NR + 16 * g, r[t]);
    }
  }
}
#endif

#if KD_X86
KD_TARGET_AVX2 KD_INLINE void transpose8(__m256 r[8]) {
  __m256 t[8], u[8];
  for (int i = 0; i < 4; i++) {
    t[2 * i] = _mm256_unpacklo_ps(r[2 * i], r[2 * i + 1]);
    t[2 * i + 1] = _mm256_unpackhi_ps(r[2 * i], r[2 * i + 1]);
  }
  for (int h = 0; h < 2; h++) {
    u[4 * h] = _mm256_shuffle_ps(t[4 * h], t[4 * h + 2], _MM_SHUFFLE(1, 0, 1, 0));
    u[4 * h + 1] = _mm256_shuffle_ps(t[4 * h], t[4 * h + 2], _MM_SHUFFLE(3, 2, 3, 2));
    u[4 * h + 2] = _mm256_shuffle_ps(t[4 * h + 1], t[4 * h + 3], _MM_SHUFFLE(1, 0, 1, 0));
    u[4 * h + 3] = _mm256_shuffle_ps(t[4 * h + 1], t[4 * h + 3], _MM_SHUFFLE(3, 2, 3, 2));
  }
  for (int j = 0; j < 4; j++) {
    r[j] = _mm256_permute2f128_ps(u[j], u[4 + j], 0x20);
    r[4 + j] = _mm256_permute2f128_ps(u[j], u[4 + j], 0x31);
  }
}

/** Lanes below `len` (≤ 8) set, for maskload/maskstore. */
KD_TARGET_AVX2 KD_INLINE __m256i lanes8(int64_t len) {
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(len)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

/** pack_a for a row-major A (unit column stride), MR ≤ 8 rows, through 8×8 transposes. */
template <int MR>
KD_TARGET_AVX2 void pack_a_rows_f32_avx2(const float* a, int64_t rs, int64_t rows, int64_t kc, float* KD_RESTRICT dst) {
  static_assert(MR <= 8, "one transpose covers 8 rows");
  const __m256i row_mask = lanes8(MR);
  for (int64_t p0 = 0; p0 < kc; p0 += 8) {
    const int64_t len = std::min<int64_t>(8, kc - p0);
    const __m256i mk = lanes8(len);
    __m256 r[8];
    if ((p0 & 15) == 0)  // once per line
      for (int64_t i = 0; i < rows; i++) _mm_prefetch(reinterpret_cast<const char*>(a + i * rs + p0 + kPackAhead), _MM_HINT_T0);
    for (int i = 0; i < 8; i++) r[i] = i < rows ? _mm256_maskload_ps(a + i * rs + p0, mk) : _mm256_setzero_ps();
    transpose8(r);
    for (int64_t t = 0; t < len; t++) _mm256_maskstore_ps(dst + (p0 + t) * MR, row_mask, r[t]);
  }
}

/** pack_b for a column-major B (unit row stride), NR a multiple of 8. */
template <int NR>
KD_TARGET_AVX2 void pack_b_cols_f32_avx2(const float* b, int64_t cs, int64_t cols, int64_t kc, float* KD_RESTRICT dst) {
  for (int64_t p0 = 0; p0 < kc; p0 += 8) {
    const int64_t len = std::min<int64_t>(8, kc - p0);
    const __m256i mk = lanes8(len);
    for (int g = 0; g < NR / 8; g++) {
      __m256 r[8];
      if ((p0 & 15) == 0)  // once per line
        for (int i = 0; i < 8 && 8 * g + i < cols; i++)
          _mm_prefetch(reinterpret_cast<const char*>(b + (8 * g + i) * cs + p0 + kPackAhead), _MM_HINT_T0);
      for (int i = 0; i < 8; i++)
        r[i] = 8 * g + i < cols ? _mm256_maskload_ps(b + (8 * g + i) * cs + p0, mk) : _mm256_setzero_ps();
      transpose8(r);
      for (int64_t t = 0; t < len; t++) _mm256_storeu_ps(dst + (p0 + t) * NR + 8 * g, r[t]);
    }
  }
}
#endif

// Blocking parameters per micro-kernel. KC·NR·sizeof(T) (a B micro-panel) fits L1, MC·KC·sizeof(T)
// (an A block) a share of L2, KC·NC·sizeof(T) (the packed B) L3.
struct PortableF32 {
  using T = float;
  static constexpr int MR = 4, NR = 8;
  static constexpr int64_t KC = 256, MC = 128, NC = 2048;
  static void ukr(int64_t kc, const T* a, const T* b, T* c, int64_t rs, bool acc) {
    ukr_portable<T, MR, NR>(kc, a, b, c, rs, acc);
  }
};
struct PortableF64 {
  using T = double;
  static constexpr int MR = 4, NR = 4;
  static constexpr int64_t KC = 256, MC = 96, NC = 2048;
  static void ukr(int64_t kc, const T* a, const T* b, T* c, int64_t rs, bool acc) {
    ukr_portable<T, MR, NR>(kc, a, b, c, rs, acc);
  }
};
#if KD_X86
struct Avx2F32 {
  using T = float;
  static constexpr int MR = 6, NR = 16;
  static constexpr int64_t KC = 256, MC = 144, NC = 3072;
  static void ukr(int64_t kc, const T* a, const T* b, T* c, int64_t rs, bool acc) { ukr_f32_avx2(kc, a, b, c, rs, acc); }
  static constexpr bool kTransposingPacks = true;
  static void pack_a(const T* a, int64_t rs, int64_t cs, int64_t rows, int64_t kc, T* dst) {
    if (cs == 1 && rs != 1) pack_a_rows_f32_avx2<MR>(a, rs, rows, kc, dst);
    else kd::pack_a<T, MR>(a, rs, cs, rows, kc, dst);
  }
  static void pack_b(const T* b, int64_t rs, int64_t cs, int64_t cols, int64_t kc, T* dst) {
    if (rs == 1 && cs != 1) pack_b_cols_f32_avx2<NR>(b, cs, cols, kc, dst);
    else kd::pack_b<T, NR>(b, rs, cs, cols, kc, dst);
  }
};
struct Avx512F32 {
  using T = float;
  static constexpr bool kPartial = true, kTransposingPacks = true;
  // 28 accumulators + 2 vectors of B + 1 broadcast of A = 31 of the 32 zmm registers. Measured on a
  // Zen 5 core (48 KiB L1d, 1 MiB L2): 14×32 beat 12×32 and 8×48; KC 512 beat 256 and 384.
  static constexpr int MR = 14, NR = 32;
  static constexpr int64_t KC = 512, MC = 112, NC = 2048;
  static void ukr(int64_t kc, const T* a, const T* b, T* c, int64_t rs, bool acc) { ukr_f32_avx512(kc, a, b, NR, c, rs, acc, MR, NR); }
  // Any tile (mr ≤ MR rows, nr ≤ NR columns), B read at row stride ldb (NR when packed).
  static void ukr_part(int64_t kc, const T* a, const T* b, int64_t ldb, T* c, int64_t rs, bool acc, int64_t mr, int64_t nr) {
    ukr_f32_avx512(kc, a, b, ldb, c, rs, acc, mr, nr);
  }
  static void pack_a(const T* a, int64_t rs, int64_t cs, int64_t rows, int64_t kc, T* dst) {
    if (cs == 1 && rs != 1) pack_a_rows_f32_avx512<MR>(a, rs, rows, kc, dst);
    else kd::pack_a<T, MR>(a, rs, cs, rows, kc, dst);
  }
  static void pack_b(const T* b, int64_t rs, int64_t cs, int64_t cols, int64_t kc, T* dst) {
    if (rs == 1 && cs != 1) pack_b_cols_f32_avx512<NR>(b, cs, cols, kc, dst);
    else kd::pack_b<T, NR>(b, rs, cs, cols, kc, dst);
  }
};
struct Avx512F64 {
  using T = double;
  static constexpr bool kPartial = true, kTransposingPacks = true;
  static constexpr int MR = 14, NR = 16;
  static constexpr int64_t KC = 256, MC = 112, NC = 2048;
  static void ukr(int64_t kc, const T* a, const T* b, T* c, int64_t rs, bool acc) { ukr_f64_avx512(kc, a, b, NR, c, rs, acc, MR, NR); }
  // Any tile (mr ≤ MR rows, nr ≤ NR columns), B read at row stride ldb (NR when packed).
  static void ukr_part(int64_t kc, const T* a, const T* b, int64_t ldb, T* c, int64_t rs, bool acc, int64_t mr, int64_t nr) {
    ukr_f64_avx512(kc, a, b, ldb, c, rs, acc, mr, nr);
  }
  static void pack_a(const T* a, int64_t rs, int64_t cs, int64_t rows, int64_t kc, T* dst) { kd::pack_a<T, MR>(a, rs, cs, rows, kc, dst); }
  static void pack_b(const T* b, int64_t rs, int64_t cs, int64_t cols, int64_t kc, T* dst) { kd::pack_b<T, NR>(b, rs, cs, cols, kc, dst); }
};
struct Avx2F64 {
  using T = double;
  static constexpr int MR = 6, NR = 8;
  static constexpr int64_t KC = 256, MC = 72, NC = 2048;
  static void ukr(int64_t kc, const T* a, const T* b, T* c, int64_t rs, bool acc) { ukr_f64_avx2(kc, a, b, c, rs, acc); }
};
#endif

// ---------------------------------------------------------------------------------------------

template <class K, class = void>
struct HasPacks : std::false_type {};
template <class K>
struct HasPacks<K, std::void_t<decltype(K::kTransposingPacks)>> : std::true_type {};
template <class K, class = void>
struct HasPartial : std::false_type {};
template <class K>
struct HasPartial<K, std::void_t<decltype(K::kPartial)>> : std::true_type {};

template <class K>
struct Gemm {
  using T = typename K::T;
  static constexpr int MR = K::MR, NR = K::NR;
  static constexpr bool kPartial = HasPartial<K>::value;
  static_assert(K::MC % MR == 0, "MC must be a multiple of MR");

  static void pack_a_k(const T* a, int64_t rs, int64_t cs, int64_t rows, int64_t kc, T* dst) {
    if constexpr (HasPacks<K>::value) K::pack_a(a, rs, cs, rows, kc, dst);
    else pack_a<T, MR>(a, rs, cs, rows, kc, dst);
  }
  static void pack_b_k(const T* b, int64_t rs, int64_t cs, int64_t cols, int64_t kc, T* dst) {
    if constexpr (HasPacks<K>::value) K::pack_b(b, rs, cs, cols, kc, dst);
    else pack_b<T, NR>(b, rs, cs, cols, kc, dst);
  }

  /** Rows of A rounded up to whole micro-panels. */
  static int64_t padded_rows(int64_t n) { return (n + MR - 1) / MR * MR; }

  /**
   * All of A (n×k) packed once, for a product that reuses it (a weight broadcast over a batch): the
   * KC-deep block at pc starts at pc·padded_rows(n), and within it micro-panel q at q·MR·kc.
   */
  static void prepack_a(int64_t n, int64_t k, const T* a, int64_t ars, int64_t acs, T* dst) {
    const int64_t np = padded_rows(n), panels = np / MR;
    for (int64_t pc = 0; pc < k; pc += K::KC) {
      const int64_t kc = std::min<int64_t>(K::KC, k - pc);
      for (int64_t q = 0; q < panels; q++)
        pack_a_k(a + q * MR * ars + pc * acs, ars, acs, std::min<int64_t>(MR, n - q * MR), kc, dst + pc * np + q * MR * kc);
    }
  }

  /**
   * One n×m product; `parallel`: spread its blocks over the pool. `apre`: A already packed by
   * prepack_a (else it is packed here, block by block). `accumulate`: add the product to C.
   * `segs` > 1: the sum of `segs` products, A and B of segment s at a + s·a_seg and b + s·b_seg, run as
   * one product over k·segs (blocks of k may span segments), so C is read and written once.
   */
  static void run(int64_t n, int64_t m, int64_t k, const T* a, int64_t ars, int64_t acs, const T* b, int64_t brs,
                  int64_t bcs, T* c, int64_t crs, int64_t ccs, bool parallel, const T* apre = nullptr,
                  bool accumulate = false, int64_t segs = 1, int64_t a_seg = 0, int64_t b_seg = 0) {
    if (n == 0 || m == 0) return;
    const int64_t kt = k * segs;
    if (kt == 0) {
      if (accumulate) return;
      for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < m; j++) c[i * crs + j * ccs] = 0;
      return;
    }
    const int threads = parallel ? num_threads() : 1;
    // B with unit column stride is read in place when A has few rows (each element of B then feeds
    // few multiply-adds, and packing it would cost about as much as using it); only a last, partial
    // micro-panel is packed, so that the kernel never reads past a row's end.
    // (Not when a row of B is a multiple of 2 KiB: the panel's rows would then share a few L1 sets.)
    const bool direct_b = segs == 1 && kPartial && bcs == 1 && ccs == 1 && n <= 256 && ((brs * sizeof(T)) & 2047) != 0;
    const int64_t np = padded_rows(n);
    for (int64_t jc = 0; jc < m; jc += K::NC) {
      const int64_t nc = std::min<int64_t>(K::NC, m - jc);
      const int64_t panels_b = (nc + NR - 1) / NR;
      for (int64_t pc = 0; pc < kt; pc += K::KC) {
        const int64_t kc = std::min<int64_t>(K::KC, kt - pc);
        const bool acc = accumulate || pc > 0;
        // fn(A, B, len, off) for each piece of the block [pc, pc + kc) within one segment: A and B at
        // the piece's first k, `off` its position in the block.
        const auto pieces = [&](const auto& fn) {
          for (int64_t v = pc; v < pc + kc;) {
            const int64_t seg = v / k, kk = v % k, len = std::min(k - kk, pc + kc - v);
            fn(a + seg * a_seg + kk * acs, b + seg * b_seg + kk * brs, len, v - pc);
            v += len;
          }
        };
        const T* bsrc = b + pc * brs + jc * bcs;
        T* bp;
        int64_t first_packed = 0;  // micro-panels before this one are read in place
        if (direct_b) {
          first_packed = nc / NR;
          bp = tls_pack_b.get<T>(static_cast<size_t>(NR * kc));
          if (first_packed < panels_b)
            pack_b_k(bsrc + first_packed * NR, brs, bcs, nc - first_packed * NR, kc, bp);
        } else {
          bp = tls_pack_b.get<T>(static_cast<size_t>(panels_b * NR * kc));
          // Pack B, a few micro-panels per task.
          const int64_t per = std::max<int64_t>(1, panels_b / (4 * threads));
          const int64_t pack_tasks = (panels_b + per - 1) / per;
          auto pack = [&](int64_t t) {
            const int64_t p1 = std::min(panels_b, (t + 1) * per);
            for (int64_t q = t * per; q < p1; q++)
              pieces([&](const T*, const T* bk, int64_t len, int64_t off) {
                pack_b_k(bk + (jc + q * NR) * bcs, brs, bcs, std::min<int64_t>(NR, nc - q * NR), len, bp + q * NR * kc + off * NR);
              });
          };
          if (threads > 1) parallel_for(pack_tasks, pack);
          else for (int64_t t = 0; t < pack_tasks; t++) pack(t);
        }

        // Blocks of MC rows × a share of the micro-panels.
        const int64_t row_blocks = (n + K::MC - 1) / K::MC;
        int64_t col_chunks = 1;
        if (threads > 1 && row_blocks < 2 * threads)
          col_chunks = std::min<int64_t>(panels_b, (2 * threads + row_blocks - 1) / row_blocks);
        const int64_t chunk = (panels_b + col_chunks - 1) / col_chunks;
        col_chunks = (panels_b + chunk - 1) / chunk;
        auto block = [&](int64_t t) {
          const int64_t ib = t / col_chunks, jb = t % col_chunks;
          const int64_t i0 = ib * K::MC, rows = std::min<int64_t>(K::MC, n - i0);
          const int64_t panels_a = (rows + MR - 1) / MR;
          const T* ap;
          if (apre) {
            ap = apre + pc * np + i0 * kc;
          } else {
            T* dst = tls_pack_a.get<T>(static_cast<size_t>(panels_a * MR * kc));
            for (int64_t q = 0; q < panels_a; q++)
              pieces([&](const T* ak, const T*, int64_t len, int64_t off) {
                pack_a_k(ak + (i0 + q * MR) * ars, ars, acs, std::min<int64_t>(MR, rows - q * MR), len, dst + q * MR * kc + off * MR);
              });
            ap = dst;
          }
          const int64_t q1 = std::min(panels_b, (jb + 1) * chunk);
          alignas(64) T tile[MR * NR];
          for (int64_t qb = jb * chunk; qb < q1; qb++) {
            const int64_t j0 = qb * NR, nr = std::min<int64_t>(NR, nc - j0);
            const bool in_place = qb < first_packed;
            const T* bq = in_place ? bsrc + j0 : direct_b ? bp : bp + qb * NR * kc;
            for (int64_t qa = 0; qa < panels_a; qa++) {
              const int64_t mr = std::min<int64_t>(MR, rows - qa * MR);
              T* cp = c + (i0 + qa * MR) * crs + (jc + j0) * ccs;
              const T* aq = ap + qa * MR * kc;
              if constexpr (kPartial) {
                if (ccs == 1) {
                  K::ukr_part(kc, aq, bq, in_place ? brs : NR, cp, crs, acc, mr, nr);
                  continue;
                }
              }
              if (mr == MR && nr == NR && ccs == 1) {
                K::ukr(kc, aq, bq, cp, crs, acc);
                continue;
              }
              K::ukr(kc, aq, bq, tile, NR, false);
              for (int64_t i = 0; i < mr; i++)
                for (int64_t j = 0; j < nr; j++) {
                  T& dst = cp[i * crs + j * ccs];
                  dst = acc ? dst + tile[i * NR + j] : tile[i * NR + j];
                }
            }
          }
        };
        const int64_t tasks = row_blocks * col_chunks;
        if (threads > 1) parallel_for(tasks, block);
        else for (int64_t t = 0; t < tasks; t++) block(t);
      }
    }
  }

  static void batched(int64_t batch, int64_t n, int64_t m, int64_t k, const T* a, int64_t abs, int64_t ars,
                      int64_t acs, const T* b, int64_t bbs, int64_t brs, int64_t bcs, T* c, int64_t cbs, int64_t crs,
                      int64_t ccs, bool sum_batch) {
    // C column-major: compute Cᵀ = Bᵀ·Aᵀ instead, so the micro-kernel stores whole rows. Also when
    // Cᵀ fits the micro-tiles much better (a weight gradient: 64×27 over a long k) and k is long enough
    // that storing C a column at a time costs little.
    const auto tiles = [](int64_t rows, int64_t cols) {
      return static_cast<double>((rows + MR - 1) / MR * MR) * static_cast<double>((cols + NR - 1) / NR * NR);
    };
    if ((ccs != 1 && crs == 1) || (ccs == 1 && k >= 256 && 10 * tiles(m, n) < 9 * tiles(n, m))) {
      std::swap(n, m);
      std::swap(a, b);
      std::swap(abs, bbs);
      // A' = Bᵀ (m×k): A'[i, p] = B[p, i]; B' = Aᵀ (k×n): B'[p, j] = A[j, p].
      const int64_t ars2 = bcs, acs2 = brs, brs2 = acs, bcs2 = ars;
      ars = ars2;
      acs = acs2;
      brs = brs2;
      bcs = bcs2;
      std::swap(crs, ccs);
    }
    const double flops = 2.0 * static_cast<double>(n) * static_cast<double>(m) * static_cast<double>(k);
    const int threads = num_threads();
    const bool small = flops < 2.0 * 64 * 64 * 64;
    if (sum_batch) {
      // One C = Σ of the batch's products (a convolution's weight gradient over the samples): one
      // product over the batch's k laid end to end, read in place, no operand copied.
      run(n, m, k, a, ars, acs, b, brs, bcs, c, crs, ccs, threads > 1, nullptr, false, batch, abs, bbs);
      return;
    }
    // A shared by every product of the batch (a convolution's weight): pack it once.
    const T* apre = nullptr;
    if (batch > 1 && abs == 0 && n > 0 && k > 0 && padded_rows(n) * k <= (int64_t{1} << 22)) {
      T* dst = tls_pack_shared.get<T>(static_cast<size_t>(padded_rows(n) * k));
      prepack_a(n, k, a, ars, acs, dst);
      apre = dst;
    }
    if (threads > 1 && batch > 1 && (batch >= 4 * threads || flops < 2.0 * 256 * 256 * 256)) {
      parallel_for(batch, [&](int64_t i) {
        run(n, m, k, a + i * abs, ars, acs, b + i * bbs, brs, bcs, c + i * cbs, crs, ccs, false, apre);
      });
      return;
    }
    for (int64_t i = 0; i < batch; i++)
      run(n, m, k, a + i * abs, ars, acs, b + i * bbs, brs, bcs, c + i * cbs, crs, ccs, threads > 1 && !small, apre);
  }
};

}  // namespace

template <typename T>
void gemm(int64_t batch, int64_t n, int64_t m, int64_t k, const T* a, int64_t abs, int64_t ars, int64_t acs,
          const T* b, int64_t bbs, int64_t brs, int64_t bcs, T* c, int64_t cbs, int64_t crs, int64_t ccs, bool sum_batch);

template <>
void gemm<float>(int64_t batch, int64_t n, int64_t m, int64_t k, const float* a, int64_t abs, int64_t ars,
                 int64_t acs, const float* b, int64_t bbs, int64_t brs, int64_t bcs, float* c, int64_t cbs,
                 int64_t crs, int64_t ccs, bool sum_batch) {
#if KD_X86
  if (current_isa() == Isa::Avx512) {
    Gemm<Avx512F32>::batched(batch, n, m, k, a, abs, ars, acs, b, bbs, brs, bcs, c, cbs, crs, ccs, sum_batch);
    return;
  }
  if (current_isa() != Isa::Portable) {
    Gemm<Avx2F32>::batched(batch, n, m, k, a, abs, ars, acs, b, bbs, brs, bcs, c, cbs, crs, ccs, sum_batch);
    return;
  }
#endif
  Gemm<PortableF32>::batched(batch, n, m, k, a, abs, ars, acs, b, bbs, brs, bcs, c, cbs, crs, ccs, sum_batch);
}

template <>
void gemm<double>(int64_t batch, int64_t n, int64_t m, int64_t k, const double* a, int64_t abs, int64_t ars,
                  int64_t acs, const double* b, int64_t bbs, int64_t brs, int64_t bcs, double* c, int64_t cbs,
                  int64_t crs, int64_t ccs, bool sum_batch) {
#if KD_X86
  if (current_isa() == Isa::Avx512) {
    Gemm<Avx512F64>::batched(batch, n, m, k, a, abs, ars, acs, b, bbs, brs, bcs, c, cbs, crs, ccs, sum_batch);
    return;
  }
  if (current_isa() != Isa::Portable) {
    Gemm<Avx2F64>::batched(batch, n, m, k, a, abs, ars, acs, b, bbs, brs, bcs, c, cbs, crs, ccs, sum_batch);
    return;
  }
#endif
  Gemm<PortableF64>::batched(batch, n, m, k, a, abs, ars, acs, b, bbs, brs, bcs, c, cbs, crs, ccs, sum_batch);
}

}  // namespace kd
