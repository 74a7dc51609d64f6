// CUDA kernels for Kindling's primitive ops: strided elementwise (unary/binary/ternary, with
// broadcasting by stride 0 and a cast on load/store), fill, reductions, softmax and a fallback
// batched GEMM for dtypes cuBLAS lacks. Compiled by nvcc for sm_80 and sm_90 with PTX (see install.mjs).
// Every dtype is loaded into a compute type (float for 16/32-bit floats, double where float64 is
// involved, int64 for integers and bool) and stored with a cast, so mixed-dtype operands work.
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>
#include <math.h>
#include <stdint.h>

#include "kernels.h"

namespace kindling {

int dtype_size(int dt) {
  switch (dt) {
    case F64: case I64: return 8;
    case F32: case I32: return 4;
    case F16: case BF16: case I16: return 2;
    default: return 1;
  }
}
bool dtype_is_float(int dt) { return dt == F32 || dt == F64 || dt == F16 || dt == BF16; }

namespace {

template <typename C>
__device__ __forceinline__ C load(uintptr_t base, int dt, int64_t off) {
  switch (dt) {
    case F32: return (C)reinterpret_cast<const float*>(base)[off];
    case F64: return (C)reinterpret_cast<const double*>(base)[off];
    case F16: return (C)__half2float(reinterpret_cast<const __half*>(base)[off]);
    case BF16: return (C)__bfloat162float(reinterpret_cast<const __nv_bfloat16*>(base)[off]);
    case I8: return (C)reinterpret_cast<const int8_t*>(base)[off];
    case U8: return (C)reinterpret_cast<const uint8_t*>(base)[off];
    case I16: return (C)reinterpret_cast<const int16_t*>(base)[off];
    case I32: return (C)reinterpret_cast<const int32_t*>(base)[off];
    case I64: return (C)reinterpret_cast<const int64_t*>(base)[off];
    default: return (C)(reinterpret_cast<const uint8_t*>(base)[off] != 0);
  }
}

template <typename C>
__device__ __forceinline__ void store(uintptr_t base, int dt, int64_t off, C v) {
  switch (dt) {
    case F32: reinterpret_cast<float*>(base)[off] = (float)v; break;
    case F64: reinterpret_cast<double*>(base)[off] = (double)v; break;
    case F16: reinterpret_cast<__half*>(base)[off] = __float2half_rn((float)v); break;
    case BF16: reinterpret_cast<__nv_bfloat16*>(base)[off] = __float2bfloat16_rn((float)v); break;
    case I8: reinterpret_cast<int8_t*>(base)[off] = (int8_t)(int64_t)v; break;
    case U8: reinterpret_cast<uint8_t*>(base)[off] = (uint8_t)(int64_t)v; break;
    case I16: reinterpret_cast<int16_t*>(base)[off] = (int16_t)(int64_t)v; break;
    case I32: reinterpret_cast<int32_t*>(base)[off] = (int32_t)(int64_t)v; break;
    case I64: reinterpret_cast<int64_t*>(base)[off] = (int64_t)v; break;
    default: reinterpret_cast<uint8_t*>(base)[off] = v != (C)0; break;
  }
}

// Floating math in the compute type T (float or double).
template <typename T> __device__ __forceinline__ T fexp(T x) { return exp(x); }
template <> __device__ __forceinline__ float fexp<float>(float x) { return expf(x); }

template <typename T>
__device__ T unary_f(int op, T a) {
  switch (op) {
    case OP_COPY: return a;
    case OP_NEG: return -a;
    case OP_ABS: return fabs(a);
    case OP_EXP: return fexp(a);
    case OP_LOG: return log(a);
    case OP_SQRT: return sqrt(a);
    case OP_RSQRT: return (T)1 / sqrt(a);
    case OP_SIN: return sin(a);
    case OP_COS: return cos(a);
    case OP_TAN: return tan(a);
    case OP_TANH: return tanh(a);
    case OP_SIGMOID: return (T)1 / ((T)1 + fexp(-a));
    case OP_RELU: return a > (T)0 ? a : (a != a ? a : (T)0);
    case OP_FLOOR: return floor(a);
    case OP_CEIL: return ceil(a);
    case OP_TRUNC: return trunc(a);
    case OP_ROUND: return rint(a);  // half to even, as torch.round
    case OP_RECIPROCAL: return (T)1 / a;
    case OP_EXPM1: return expm1(a);
    case OP_LOG1P: return log1p(a);
    case OP_LOG2: return log2(a);
    case OP_LOG10: return log10(a);
    case OP_ERF: return erf(a);
    case OP_ERFC: return erfc(a);
    case OP_SIGN: return a > (T)0 ? (T)1 : a < (T)0 ? (T)-1 : (T)0;  // (0 < a) - (a < 0): NaN and ±0 give 0, as PyTorch
    case OP_ISNAN: return a != a;
    case OP_ISINF: return isinf(a) ? (T)1 : (T)0;
    case OP_ISPOSINF: return (isinf(a) && a > 0) ? (T)1 : (T)0;
    case OP_ISNEGINF: return (isinf(a) && a < 0) ? (T)1 : (T)0;
    case OP_ISFINITE: return isfinite(a) ? (T)1 : (T)0;
    case OP_SIGNBIT: return signbit(a) ? (T)1 : (T)0;
    case OP_LOGICAL_NOT: return a == (T)0 ? (T)1 : (T)0;
    case OP_ASIN: return asin(a);
    case OP_ACOS: return acos(a);
    case OP_ATAN: return atan(a);
    case OP_SINH: return sinh(a);
    case OP_COSH: return cosh(a);
    case OP_ASINH: return asinh(a);
    case OP_ACOSH: return acosh(a);
    case OP_ATANH: return atanh(a);
    case OP_FRAC: return a - trunc(a);
    case OP_EXP2: return exp2(a);
    case OP_SQUARE: return a * a;
    default: return (T)NAN;
  }
}

template <typename T>
__device__ T binary_f(int op, T a, T b) {
  switch (op) {
    case OP_ADD: return a + b;
    case OP_SUB: return a - b;
    case OP_MUL: return a * b;
    case OP_DIV: return a / b;
    case OP_POW: return pow(a, b);
    case OP_MAXIMUM: return (a != a || b != b) ? (T)NAN : (a > b ? a : b);
    case OP_MINIMUM: return (a != a || b != b) ? (T)NAN : (a < b ? a : b);
    case OP_FMAX: return fmax(a, b);
    case OP_FMIN: return fmin(a, b);
    case OP_EQ: return a == b;
    case OP_NE: return a != b;
    case OP_LT: return a < b;
    case OP_LE: return a <= b;
    case OP_GT: return a > b;
    case OP_GE: return a >= b;
    case OP_ATAN2: return atan2(a, b);
    case OP_FMOD: return fmod(a, b);
    case OP_REMAINDER: {
      T r = fmod(a, b);
      return (r != (T)0 && ((r < (T)0) != (b < (T)0))) ? r + b : r;
    }
    case OP_FLOOR_DIVIDE: {
      // PyTorch's div_floor: floor of the true quotient, computed from fmod as Python does.
      if (b == (T)0) return a / b;
      T mod = fmod(a, b);
      T div = (a - mod) / b;
      if (mod != (T)0 && ((b < (T)0) != (mod < (T)0))) div -= (T)1;
      T fl = floor(div);
      if (div - fl > (T)0.5) fl += (T)1;
      return div != (T)0 ? fl : copysign((T)0, a / b);
    }
    case OP_DIV_TRUNC: return trunc(a / b);
    case OP_LOGICAL_AND: return (a != (T)0) && (b != (T)0);
    case OP_LOGICAL_OR: return (a != (T)0) || (b != (T)0);
    case OP_LOGICAL_XOR: return (a != (T)0) != (b != (T)0);
    default: return (T)NAN;
  }
}

__device__ int64_t unary_i(int op, int64_t a) {
  switch (op) {
    case OP_COPY: return a;
    case OP_NEG: return -a;
    case OP_ABS: return a < 0 ? -a : a;
    case OP_RELU: return a > 0 ? a : 0;
    case OP_FLOOR: case OP_CEIL: case OP_TRUNC: case OP_ROUND: return a;
    case OP_SIGN: return a > 0 ? 1 : a < 0 ? -1 : 0;
    case OP_ISNAN: case OP_ISINF: case OP_ISPOSINF: case OP_ISNEGINF: case OP_SIGNBIT: return a < 0 && op == OP_SIGNBIT;
    case OP_ISFINITE: return 1;
    case OP_LOGICAL_NOT: return a == 0;
    case OP_BITWISE_NOT: return ~a;
    case OP_SQUARE: return a * a;
    default: return 0;
  }
}

__device__ int64_t binary_i(int op, int64_t a, int64_t b) {
  switch (op) {
    case OP_ADD: return (int64_t)((uint64_t)a + (uint64_t)b);
    case OP_SUB: return (int64_t)((uint64_t)a - (uint64_t)b);
    case OP_MUL: return (int64_t)((uint64_t)a * (uint64_t)b);
    case OP_MAXIMUM: case OP_FMAX: return a > b ? a : b;
    case OP_MINIMUM: case OP_FMIN: return a < b ? a : b;
    case OP_EQ: return a == b;
    case OP_NE: return a != b;
    case OP_LT: return a < b;
    case OP_LE: return a <= b;
    case OP_GT: return a > b;
    case OP_GE: return a >= b;
    case OP_REMAINDER: {
      if (b == 0) return 0;
      int64_t r = a % b;
      return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
    }
    case OP_FMOD: return b == 0 ? 0 : a % b;
    case OP_FLOOR_DIVIDE: {
      if (b == 0) return 0;
      int64_t q = a / b;
      return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
    }
    case OP_DIV_TRUNC: return b == 0 ? 0 : a / b;
    case OP_POW: {
      if (b < 0) return a == 1 ? 1 : (a == -1 ? ((b & 1) ? -1 : 1) : 0);
      int64_t r = 1, base = a;
      for (int64_t e = b; e > 0; e >>= 1) {
        if (e & 1) r = (int64_t)((uint64_t)r * (uint64_t)base);
        base = (int64_t)((uint64_t)base * (uint64_t)base);
      }
      return r;
    }
    case OP_LOGICAL_AND: return a != 0 && b != 0;
    case OP_LOGICAL_OR: return a != 0 || b != 0;
    case OP_LOGICAL_XOR: return (a != 0) != (b != 0);
    case OP_BITWISE_AND: return a & b;
    case OP_BITWISE_OR: return a | b;
    case OP_BITWISE_XOR: return a ^ b;
    default: return 0;
  }
}

__device__ __forceinline__ void offsets(const ElementwiseArgs& a, int64_t i, int64_t* o) {
  // o[0] = output, o[1..3] = inputs
  o[0] = o[1] = o[2] = o[3] = 0;
  for (int d = a.ndim - 1; d >= 0; --d) {
    int64_t n = a.shape[d];
    int64_t idx = i % n;
    i /= n;
    o[0] += idx * a.out.strides[d];
    for (int k = 0; k < a.ninputs; ++k) o[k + 1] += idx * a.in[k].strides[d];
  }
}

template <typename T>
__device__ void apply_float(const ElementwiseArgs& a, const int64_t* o) {
  T r;
  if (a.op == OP_FILL) r = (T)a.scalar;
  else if (a.op < OP_ADD) r = unary_f<T>(a.op, load<T>(a.in[0].ptr, a.in[0].dtype, o[1]));
  else if (a.op < OP_WHERE) r = binary_f<T>(a.op, load<T>(a.in[0].ptr, a.in[0].dtype, o[1]), load<T>(a.in[1].ptr, a.in[1].dtype, o[2]));
  else {
    T x = load<T>(a.in[0].ptr, a.in[0].dtype, o[1]);
    T y = load<T>(a.in[1].ptr, a.in[1].dtype, o[2]);
    T z = load<T>(a.in[2].ptr, a.in[2].dtype, o[3]);
    if (a.op == OP_WHERE) r = x != (T)0 ? y : z;
    else if (a.op == OP_CLAMP) r = (x != x) ? x : (y == y && x < y ? y : x), r = (z == z && r > z) ? z : r;
    else r = (fabs(z) < (T)0.5) ? x + z * (y - x) : y - (y - x) * ((T)1 - z);  // lerp as ATen
  }
  store<T>(a.out.ptr, a.out.dtype, o[0], r);
}

__device__ void apply_int(const ElementwiseArgs& a, const int64_t* o) {
  int64_t r;
  if (a.op == OP_FILL) r = a.iscalar;
  else if (a.op < OP_ADD) r = unary_i(a.op, load<int64_t>(a.in[0].ptr, a.in[0].dtype, o[1]));
  else if (a.op < OP_WHERE) r = binary_i(a.op, load<int64_t>(a.in[0].ptr, a.in[0].dtype, o[1]), load<int64_t>(a.in[1].ptr, a.in[1].dtype, o[2]));
  else {
    int64_t x = load<int64_t>(a.in[0].ptr, a.in[0].dtype, o[1]);
    int64_t y = load<int64_t>(a.in[1].ptr, a.in[1].dtype, o[2]);
    int64_t z = load<int64_t>(a.in[2].ptr, a.in[2].dtype, o[3]);
    if (a.op == OP_WHERE) r = x != 0 ? y : z;
    else if (a.op == OP_CLAMP) r = x < y ? y : x, r = r > z ? z : r;
    else r = x + z * (y - x);
  }
  store<int64_t>(a.out.ptr, a.out.dtype, o[0], r);
}

template <int MODE>  // 0 float, 1 double, 2 int64
__global__ void elementwise_kernel(ElementwiseArgs a, int64_t n) {
  for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x) {
    int64_t o[4];
    offsets(a, i, o);
    if (MODE == 0) apply_float<float>(a, o);
    else if (MODE == 1) apply_float<double>(a, o);
    else apply_int(a, o);
  }
}

int blocks_for(int64_t n, int threads) {
  int64_t b = (n + threads - 1) / threads;
  return (int)(b > 65535 * 8 ? 65535 * 8 : (b < 1 ? 1 : b));
}

// ---- reductions ------------------------------------------------------------------------------

template <typename T>
__device__ __forceinline__ T red_init(int op) {
  switch (op) {
    case RED_SUM: case RED_ANY: return (T)0;
    case RED_PROD: case RED_ALL: return (T)1;
    case RED_AMAX: return -(T)INFINITY;
    default: return (T)INFINITY;
  }
}
template <>
__device__ __forceinline__ int64_t red_init<int64_t>(int op) {
  switch (op) {
    case RED_SUM: case RED_ANY: return 0;
    case RED_PROD: case RED_ALL: return 1;
    case RED_AMAX: return INT64_MIN;
    default: return INT64_MAX;
  }
}
template <typename T>
__device__ __forceinline__ T red_combine(int op, T x, T y) {
  switch (op) {
    case RED_SUM: return x + y;
    case RED_PROD: return x * y;
    case RED_AMAX: return (x != x || y != y) ? (x != x ? x : y) : (x > y ? x : y);  // NaN propagates
    case RED_AMIN: return (x != x || y != y) ? (x != x ? x : y) : (x < y ? x : y);
    case RED_ALL: return (x != (T)0 && y != (T)0) ? (T)1 : (T)0;
    default: return (x != (T)0 || y != (T)0) ? (T)1 : (T)0;
  }
}

// One block per output element; threads stride over the reduced elements, then a shared-memory tree.
template <typename T>
__global__ void reduce_kernel(ReduceArgs a, int64_t nout, int64_t nred) {
  extern __shared__ unsigned char smem_raw[];
  T* smem = reinterpret_cast<T*>(smem_raw);
  for (int64_t o = blockIdx.x; o < nout; o += gridDim.x) {
    int64_t rem = o, in_base = 0, out_off = 0;
    for (int d = a.odim - 1; d >= 0; --d) {
      int64_t idx = rem % a.oshape[d];
      rem /= a.oshape[d];
      in_base += idx * a.in_ostrides[d];
      out_off += idx * a.out.strides[d];
    }
    T acc = red_init<T>(a.op);
    for (int64_t r = threadIdx.x; r < nred; r += blockDim.x) {
      int64_t rr = r, off = in_base;
      for (int d = a.rdim - 1; d >= 0; --d) {
        int64_t idx = rr % a.rshape[d];
        rr /= a.rshape[d];
        off += idx * a.in_rstrides[d];
      }
      acc = red_combine<T>(a.op, acc, load<T>(a.in_ptr, a.in_dtype, off));
    }
    smem[threadIdx.x] = acc;
    __syncthreads();
    for (int s = blockDim.x / 2; s > 0; s >>= 1) {
      if (threadIdx.x < s) smem[threadIdx.x] = red_combine<T>(a.op, smem[threadIdx.x], smem[threadIdx.x + s]);
      __syncthreads();
    }
    if (threadIdx.x == 0) store<T>(a.out.ptr, a.out.dtype, out_off, smem[0]);
    __syncthreads();
  }
}

// ---- softmax ---------------------------------------------------------------------------------

template <typename T>
__global__ void softmax_kernel(bool logsm, int dt, uintptr_t in, uintptr_t out, int64_t outer, int64_t dim, int64_t inner) {
  extern __shared__ unsigned char smem_raw[];
  T* red = reinterpret_cast<T*>(smem_raw);
  for (int64_t row = blockIdx.x; row < outer * inner; row += gridDim.x) {
    int64_t o = row / inner, i = row % inner;
    int64_t base = o * dim * inner + i;
    T mx = -(T)INFINITY;
    for (int64_t j = threadIdx.x; j < dim; j += blockDim.x) {
      T v = load<T>(in, dt, base + j * inner);
      mx = (v > mx || v != v) ? v : mx;
    }
    red[threadIdx.x] = mx;
    __syncthreads();
    for (int s = blockDim.x / 2; s > 0; s >>= 1) {
      if (threadIdx.x < s) {
        T u = red[threadIdx.x + s];
        red[threadIdx.x] = (u > red[threadIdx.x] || u != u) ? u : red[threadIdx.x];
      }
      __syncthreads();
    }
    mx = red[0];
    __syncthreads();
    T sum = 0;
    for (int64_t j = threadIdx.x; j < dim; j += blockDim.x) sum += exp(load<T>(in, dt, base + j * inner) - mx);
    red[threadIdx.x] = sum;
    __syncthreads();
    for (int s = blockDim.x / 2; s > 0; s >>= 1) {
      if (threadIdx.x < s) red[threadIdx.x] += red[threadIdx.x + s];
      __syncthreads();
    }
    sum = red[0];
    __syncthreads();
    T lse = log(sum);
    for (int64_t j = threadIdx.x; j < dim; j += blockDim.x) {
      T v = load<T>(in, dt, base + j * inner) - mx;
      store<T>(out, dt, base + j * inner, logsm ? v - lse : exp(v) / sum);
    }
    __syncthreads();
  }
}

// ---- fallback GEMM ---------------------------------------------------------------------------

template <typename T>
__global__ void gemm_kernel(int dt, int64_t batch, int64_t n, int64_t m, int64_t k, uintptr_t A, int64_t as0, int64_t as1, int64_t as2,
                            uintptr_t B, int64_t bs0, int64_t bs1, int64_t bs2, uintptr_t C, int64_t cs0, int64_t cs1, int64_t cs2) {
  int64_t total = batch * n * m;
  for (int64_t idx = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; idx < total; idx += (int64_t)gridDim.x * blockDim.x) {
    int64_t j = idx % m, i = (idx / m) % n, b = idx / (n * m);
    T acc = 0;
    for (int64_t p = 0; p < k; ++p) acc += load<T>(A, dt, b * as0 + i * as1 + p * as2) * load<T>(B, dt, b * bs0 + p * bs1 + j * bs2);
    store<T>(C, dt, b * cs0 + i * cs1 + j * cs2, acc);
  }
}

}  // namespace

int launch_elementwise(const ElementwiseArgs& a, void* stream) {
  int64_t n = 1;
  for (int d = 0; d < a.ndim; ++d) n *= a.shape[d];
  if (n == 0) return 0;
  bool any_f64 = a.out.dtype == F64, any_float = dtype_is_float(a.out.dtype);
  for (int k = 0; k < a.ninputs; ++k) {
    any_f64 |= a.in[k].dtype == F64;
    // `where`'s condition does not decide the compute type.
    if (!(a.op == OP_WHERE && k == 0)) any_float |= dtype_is_float(a.in[k].dtype);
  }
  const int threads = 256;
  cudaStream_t s = reinterpret_cast<cudaStream_t>(stream);
  if (any_f64) elementwise_kernel<1><<<blocks_for(n, threads), threads, 0, s>>>(a, n);
  else if (any_float) elementwise_kernel<0><<<blocks_for(n, threads), threads, 0, s>>>(a, n);
  else elementwise_kernel<2><<<blocks_for(n, threads), threads, 0, s>>>(a, n);
  return (int)cudaGetLastError();
}

int launch_reduce(const ReduceArgs& a, void* stream) {
  int64_t nout = 1, nred = 1;
  for (int d = 0; d < a.odim; ++d) nout *= a.oshape[d];
  for (int d = 0; d < a.rdim; ++d) nred *= a.rshape[d];
  if (nout == 0) return 0;
  const int threads = 256;
  int blocks = (int)(nout > 65535 ? 65535 : nout);
  cudaStream_t s = reinterpret_cast<cudaStream_t>(stream);
  bool f64 = a.in_dtype == F64 || a.out.dtype == F64;
  bool fl = dtype_is_float(a.in_dtype) || dtype_is_float(a.out.dtype);
  if (f64) reduce_kernel<double><<<blocks, threads, threads * sizeof(double), s>>>(a, nout, nred);
  else if (fl) reduce_kernel<float><<<blocks, threads, threads * sizeof(float), s>>>(a, nout, nred);
  else reduce_kernel<int64_t><<<blocks, threads, threads * sizeof(int64_t), s>>>(a, nout, nred);
  return (int)cudaGetLastError();
}

int launch_softmax(bool log, int dt, uintptr_t in, uintptr_t out, int64_t outer, int64_t dim, int64_t inner, void* stream) {
  int64_t rows = outer * inner;
  if (rows == 0 || dim == 0) return 0;
  const int threads = dim >= 1024 ? 512 : 128;
  int blocks = (int)(rows > 65535 * 4 ? 65535 * 4 : rows);
  cudaStream_t s = reinterpret_cast<cudaStream_t>(stream);
  if (dt == F64) softmax_kernel<double><<<blocks, threads, threads * sizeof(double), s>>>(log, dt, in, out, outer, dim, inner);
  else softmax_kernel<float><<<blocks, threads, threads * sizeof(float), s>>>(log, dt, in, out, outer, dim, inner);
  return (int)cudaGetLastError();
}

int launch_gemm_fallback(int dt, int64_t batch, int64_t n, int64_t m, int64_t k, uintptr_t a, const int64_t* as, uintptr_t b,
                         const int64_t* bs, uintptr_t c, const int64_t* cs, void* stream) {
  int64_t total = batch * n * m;
  if (total == 0) return 0;
  cudaStream_t s = reinterpret_cast<cudaStream_t>(stream);
  const int threads = 256;
  if (dtype_is_float(dt))
    gemm_kernel<double><<<blocks_for(total, threads), threads, 0, s>>>(dt, batch, n, m, k, a, as[0], as[1], as[2], b, bs[0], bs[1], bs[2], c, cs[0], cs[1], cs[2]);
  else
    gemm_kernel<int64_t><<<blocks_for(total, threads), threads, 0, s>>>(dt, batch, n, m, k, a, as[0], as[1], as[2], b, bs[0], bs[1], bs[2], c, cs[0], cs[1], cs[2]);
  return (int)cudaGetLastError();
}

}  // namespace kindling
