/*
 * The machine's measured float32 peak: independent fused multiply-add chains in the widest vector
 * registers this CPU (and its OS) support, on T threads at once. bench/run.mjs compiles it with a plain
 * `cc -O3` (no -march: the wide paths are compiled per function and chosen at run time) and prints
 * "% of peak" against it.
 *
 *   peak [threads]   ->  {"isa":"avx512","threads":1,"gflops":215.3,"perThread":[215.3]}
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define X86 1
#else
#define X86 0
#endif

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Each kernel runs `iters` rounds of CHAINS independent FMAs and returns the flops done. */
#define CHAINS 16

#if X86
/* Sixteen named accumulators (an array would live in memory), enough to cover any FMA unit's latency. */
#define CHAIN_DECL(V, init) V c0 = init(0.f), c1 = init(1.f), c2 = init(2.f), c3 = init(3.f), c4 = init(4.f), \
  c5 = init(5.f), c6 = init(6.f), c7 = init(7.f), c8 = init(8.f), c9 = init(9.f), c10 = init(10.f), c11 = init(11.f), \
  c12 = init(12.f), c13 = init(13.f), c14 = init(14.f), c15 = init(15.f)
#define CHAIN_STEP(f) c0 = f(c0, x, y); c1 = f(c1, x, y); c2 = f(c2, x, y); c3 = f(c3, x, y); c4 = f(c4, x, y); \
  c5 = f(c5, x, y); c6 = f(c6, x, y); c7 = f(c7, x, y); c8 = f(c8, x, y); c9 = f(c9, x, y); c10 = f(c10, x, y); \
  c11 = f(c11, x, y); c12 = f(c12, x, y); c13 = f(c13, x, y); c14 = f(c14, x, y); c15 = f(c15, x, y)
#define CHAIN_SUM(add) add(add(add(add(c0, c1), add(c2, c3)), add(add(c4, c5), add(c6, c7))), \
  add(add(add(c8, c9), add(c10, c11)), add(add(c12, c13), add(c14, c15))))

__attribute__((target("avx512f"))) static double fma_avx512(long iters, float* sink) {
  const __m512 x = _mm512_set1_ps(0.999999f), y = _mm512_set1_ps(1e-7f);
  CHAIN_DECL(__m512, _mm512_set1_ps);
  for (long it = 0; it < iters; it++) {
    CHAIN_STEP(_mm512_fmadd_ps);
  }
  *sink = _mm512_reduce_add_ps(CHAIN_SUM(_mm512_add_ps));
  return 2.0 * 16 * CHAINS * (double)iters;
}

__attribute__((target("avx2,fma"))) static double fma_avx2(long iters, float* sink) {
  const __m256 x = _mm256_set1_ps(0.999999f), y = _mm256_set1_ps(1e-7f);
  CHAIN_DECL(__m256, _mm256_set1_ps);
  for (long it = 0; it < iters; it++) {
    CHAIN_STEP(_mm256_fmadd_ps);
  }
  float out[8];
  _mm256_storeu_ps(out, CHAIN_SUM(_mm256_add_ps));
  *sink = out[0] + out[7];
  return 2.0 * 8 * CHAINS * (double)iters;
}
#endif

/* No FMA: SSE/NEON-width multiply and add, whatever the compiler makes of it. */
static double mul_add_portable(long iters, float* sink) {
  float acc[CHAINS * 4];
  for (int i = 0; i < CHAINS * 4; i++) acc[i] = (float)i;
  for (long it = 0; it < iters; it++) {
    for (int i = 0; i < CHAINS * 4; i++) acc[i] = acc[i] * 0.999999f + 1e-7f;
    __asm__ volatile("" : : "r"(acc) : "memory");
  }
  float s = 0;
  for (int i = 0; i < CHAINS * 4; i++) s += acc[i];
  *sink = s;
  return 2.0 * CHAINS * 4 * (double)iters;
}

typedef double (*kernel_fn)(long, float*);
static kernel_fn kernel = mul_add_portable;
static const char* isa = "portable";

typedef struct {
  double gflops;
  float sink;
} result;

static void* worker(void* arg) {
  result* r = (result*)arg;
  /* Calibrate to about 50 ms a round, then keep the best of several rounds (turbo, a noisy neighbour). */
  long iters = 1 << 16;
  for (;;) {
    double t0 = now();
    kernel(iters, &r->sink);
    if (now() - t0 > 0.02 || iters > (1L << 40)) break;
    iters *= 2;
  }
  double best = 0;
  for (int round = 0; round < 6; round++) {
    double t0 = now();
    double flops = kernel(iters, &r->sink);
    double dt = now() - t0;
    if (flops / dt > best) best = flops / dt;
  }
  r->gflops = best / 1e9;
  return NULL;
}

int main(int argc, char** argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 1;
  if (threads < 1) threads = 1;
  if (threads > 1024) threads = 1024;
#if X86
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) {
    kernel = fma_avx512;
    isa = "avx512";
  } else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    kernel = fma_avx2;
    isa = "avx2";
  }
#endif
  pthread_t* tid = calloc((size_t)threads, sizeof(pthread_t));
  result* res = calloc((size_t)threads, sizeof(result));
  if (!tid || !res) return 1;
  /* All threads at once: what the machine gives T busy threads (SMT siblings share their units). */
  for (int t = 1; t < threads; t++) pthread_create(&tid[t], NULL, worker, &res[t]);
  worker(&res[0]);
  for (int t = 1; t < threads; t++) pthread_join(tid[t], NULL);
  double total = 0;
  printf("{\"isa\":\"%s\",\"threads\":%d,\"gflops\":", isa, threads);
  for (int t = 0; t < threads; t++) total += res[t].gflops;
  printf("%.1f,\"perThread\":[", total);
  for (int t = 0; t < threads; t++) printf("%s%.1f", t ? "," : "", res[t].gflops);
  printf("]}\n");
  return 0;
}
