// GEMM: packed, cache-blocked, with register-blocked micro-kernels (the BLIS/GotoBLAS scheme).
//
//   for jc in n-columns of C, NC at a time:         B block (KC×NC) lives in L3
//     for pc in the k dimension, KC at a time:       pack B[pc, jc] into NR-wide micro-panels (shared)
//       for ic in rows of C, MC at a time (tasks):   pack A[ic, pc] into MR-tall micro-panels (per task)
//         for jr, ir: micro-kernel MR×NR             B micro-panel in L1, A block in L2
//
// Packing reads the operands through their strides, so transposed and broadcast views need no copy.
#include <algorithm>
#include <cstring>
#include <new>

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
};
struct Avx2F64 {
  using T = double;
  static constexpr int MR = 6, NR = 8;
  static constexpr int64_t KC = 256, MC = 72, NC = 2048;
  static void ukr(int64_t kc, const T* a, const T* b, T* c, int64_t rs, bool acc) { ukr_f64_avx2(kc, a, b, c, rs, acc); }
};
#endif

// ---------------------------------------------------------------------------------------------

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

template <class K>
struct Gemm {
  using T = typename K::T;
  static constexpr int MR = K::MR, NR = K::NR;

  /** One n×m product; `parallel`: spread its blocks over the pool. */
  static void run(int64_t n, int64_t m, int64_t k, const T* a, int64_t ars, int64_t acs, const T* b, int64_t brs,
                  int64_t bcs, T* c, int64_t crs, int64_t ccs, bool parallel) {
    if (n == 0 || m == 0) return;
    if (k == 0) {
      for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < m; j++) c[i * crs + j * ccs] = 0;
      return;
    }
    const int threads = parallel ? num_threads() : 1;
    for (int64_t jc = 0; jc < m; jc += K::NC) {
      const int64_t nc = std::min<int64_t>(K::NC, m - jc);
      const int64_t panels_b = (nc + NR - 1) / NR;
      for (int64_t pc = 0; pc < k; pc += K::KC) {
        const int64_t kc = std::min<int64_t>(K::KC, k - pc);
        const bool acc = pc > 0;
        T* bp = tls_pack_b.get<T>(static_cast<size_t>(panels_b * NR * kc));
        const T* bsrc = b + pc * brs + jc * bcs;
        // Pack B, a few micro-panels per task.
        const int64_t per = std::max<int64_t>(1, panels_b / (4 * threads));
        const int64_t pack_tasks = (panels_b + per - 1) / per;
        auto pack = [&](int64_t t) {
          const int64_t p1 = std::min(panels_b, (t + 1) * per);
          for (int64_t q = t * per; q < p1; q++)
            pack_b<T, NR>(bsrc + q * NR * bcs, brs, bcs, std::min<int64_t>(NR, nc - q * NR), kc, bp + q * NR * kc);
        };
        if (threads > 1) parallel_for(pack_tasks, pack);
        else for (int64_t t = 0; t < pack_tasks; t++) pack(t);

        // Blocks of MC rows × a share of the micro-panels.
        const int64_t row_blocks = (n + K::MC - 1) / K::MC;
        int64_t col_chunks = 1;
        if (threads > 1 && row_blocks < 2 * threads)
          col_chunks = std::min<int64_t>(panels_b, (2 * threads + row_blocks - 1) / row_blocks);
        const int64_t chunk = (panels_b + col_chunks - 1) / col_chunks;
        col_chunks = (panels_b + chunk - 1) / chunk;
        const T* asrc = a + pc * acs;
        auto block = [&](int64_t t) {
          const int64_t ib = t / col_chunks, jb = t % col_chunks;
          const int64_t i0 = ib * K::MC, rows = std::min<int64_t>(K::MC, n - i0);
          const int64_t panels_a = (rows + MR - 1) / MR;
          T* ap = tls_pack_a.get<T>(static_cast<size_t>(panels_a * MR * kc));
          for (int64_t q = 0; q < panels_a; q++)
            pack_a<T, MR>(asrc + (i0 + q * MR) * ars, ars, acs, std::min<int64_t>(MR, rows - q * MR), kc, ap + q * MR * kc);
          const int64_t q1 = std::min(panels_b, (jb + 1) * chunk);
          alignas(64) T tile[MR * NR];
          for (int64_t qb = jb * chunk; qb < q1; qb++) {
            const int64_t j0 = qb * NR, nr = std::min<int64_t>(NR, nc - j0);
            const T* bq = bp + qb * NR * kc;
            for (int64_t qa = 0; qa < panels_a; qa++) {
              const int64_t mr = std::min<int64_t>(MR, rows - qa * MR);
              T* cp = c + (i0 + qa * MR) * crs + (jc + j0) * ccs;
              const T* aq = ap + qa * MR * kc;
              if (mr == MR && nr == NR && ccs == 1) {
                K::ukr(kc, aq, bq, cp, crs, acc);
              } else {
                K::ukr(kc, aq, bq, tile, NR, false);
                for (int64_t i = 0; i < mr; i++)
                  for (int64_t j = 0; j < nr; j++) {
                    T& dst = cp[i * crs + j * ccs];
                    dst = acc ? dst + tile[i * NR + j] : tile[i * NR + j];
                  }
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
                      int64_t ccs) {
    // C column-major: compute Cᵀ = Bᵀ·Aᵀ instead, so the micro-kernel stores whole rows.
    if (ccs != 1 && crs == 1) {
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
    if (threads > 1 && batch > 1 && (batch >= 4 * threads || flops < 2.0 * 256 * 256 * 256)) {
      parallel_for(batch, [&](int64_t i) {
        run(n, m, k, a + i * abs, ars, acs, b + i * bbs, brs, bcs, c + i * cbs, crs, ccs, false);
      });
      return;
    }
    for (int64_t i = 0; i < batch; i++)
      run(n, m, k, a + i * abs, ars, acs, b + i * bbs, brs, bcs, c + i * cbs, crs, ccs, threads > 1 && !small);
  }
};

}  // namespace

template <typename T>
void gemm(int64_t batch, int64_t n, int64_t m, int64_t k, const T* a, int64_t abs, int64_t ars, int64_t acs,
          const T* b, int64_t bbs, int64_t brs, int64_t bcs, T* c, int64_t cbs, int64_t crs, int64_t ccs);

template <>
void gemm<float>(int64_t batch, int64_t n, int64_t m, int64_t k, const float* a, int64_t abs, int64_t ars,
                 int64_t acs, const float* b, int64_t bbs, int64_t brs, int64_t bcs, float* c, int64_t cbs,
                 int64_t crs, int64_t ccs) {
#if KD_X86
  if (current_isa() != Isa::Portable) {
    Gemm<Avx2F32>::batched(batch, n, m, k, a, abs, ars, acs, b, bbs, brs, bcs, c, cbs, crs, ccs);
    return;
  }
#endif
  Gemm<PortableF32>::batched(batch, n, m, k, a, abs, ars, acs, b, bbs, brs, bcs, c, cbs, crs, ccs);
}

template <>
void gemm<double>(int64_t batch, int64_t n, int64_t m, int64_t k, const double* a, int64_t abs, int64_t ars,
                  int64_t acs, const double* b, int64_t bbs, int64_t brs, int64_t bcs, double* c, int64_t cbs,
                  int64_t crs, int64_t ccs) {
#if KD_X86
  if (current_isa() != Isa::Portable) {
    Gemm<Avx2F64>::batched(batch, n, m, k, a, abs, ars, acs, b, bbs, brs, bcs, c, cbs, crs, ccs);
    return;
  }
#endif
  Gemm<PortableF64>::batched(batch, n, m, k, a, abs, ars, acs, b, bbs, brs, bcs, c, cbs, crs, ccs);
}

}  // namespace kd
