// The native kernels. Every pointer is already offset to the operand's first element; strides and
// sizes are in elements. Callers have checked that every index the kernel touches is in bounds.
#pragma once

#include <cstdint>
#include <vector>

namespace kd {

/**
 * C[b] = A[b] · B[b] for b < batch (or, with sum_batch, one C = Σ_b A[b] · B[b]): A[b] is n×k, B[b] k×m, C[b] n×m, each with its own batch, row and
 * column strides (any of them may be 0 on the inputs: broadcast). C is overwritten, never read.
 */
template <typename T>
void gemm(int64_t batch, int64_t n, int64_t m, int64_t k,
          const T* a, int64_t abs, int64_t ars, int64_t acs,
          const T* b, int64_t bbs, int64_t brs, int64_t bcs,
          T* c, int64_t cbs, int64_t crs, int64_t ccs, bool sum_batch = false);

enum class BinaryOp { Add = 0, Sub = 1, Mul = 2, Div = 3 };

/**
 * out[r, j] = a[r, j] op b[r, j] over rows × cols, float32. Row strides are any; the column stride of
 * an input is 1 or 0 (broadcast), out's is 1.
 */
void binary_f32(BinaryOp op, int64_t rows, int64_t cols,
                const float* a, int64_t ars, int64_t acs,
                const float* b, int64_t brs, int64_t bcs,
                float* out, int64_t ors);

enum class UnaryOp { Neg = 0, Abs = 1, Sqrt = 2, Rsqrt = 3 };

/** out[i] = op(a[i]), contiguous float32, the same bits as the TypeScript kernels. */
void unary_f32(UnaryOp op, const float* a, float* out, int64_t n);

enum class CompareOp { Eq = 0, Ne = 1, Lt = 2, Le = 3, Gt = 4, Ge = 5 };

/** out[i] = result[i] <= threshold ? 0 : grad[i] (relu's gradient; a NaN result passes grad), contiguous float32. */
void threshold_backward_f32(const float* grad, const float* result, float threshold, float* out, int64_t n);

/** out[r, j] = relu(a[r, j]), float32; a's column stride is 1. */
void relu_f32(int64_t rows, int64_t cols, const float* a, int64_t ars, float* out, int64_t ors);

/** out[r, j] = a[r, j] op b[r, j] as 0/1 bytes (bool), float32 inputs with column strides 0 or 1. */
void compare_f32(CompareOp op, int64_t rows, int64_t cols, const float* a, int64_t ars, int64_t acs,
                 const float* b, int64_t brs, int64_t bcs, uint8_t* out, int64_t ors);

/** out[r, j] = c[r, j] ? a[r, j] : b[r, j]: a bool mask and float32 values, column strides 0 or 1. */
void where_f32(int64_t rows, int64_t cols, const uint8_t* c, int64_t crs, int64_t ccs,
               const float* a, int64_t ars, int64_t acs, const float* b, int64_t brs, int64_t bcs,
               float* out, int64_t ors);

/** A strided copy's layout: per dim (after merging), the size and both operands' strides in elements. */
struct CopyGeometry {
  std::vector<int64_t> shape, src_strides, dst_strides;
};

/** dst[...] = src[...] element by element (elements of 1, 2, 4 or 8 bytes), any strides. */
void copy_strided(int elem_size, const CopyGeometry& g, const void* src, void* dst);

/**
 * A scatter's layout over the index tensor's shape: per dim, the output's stride (0 along the scatter
 * dim), the index's and the source's; plus the scatter dim's size and stride in the output.
 */
struct ScatterGeometry {
  std::vector<int64_t> shape, out_strides, index_strides, src_strides;
  int64_t dim_size = 0, dim_stride = 0;
};

/** scatter (add: scatter_add) of float32 values by int64 indices; returns -1, or the first position whose index is out of range (nothing written). */
int64_t scatter_f32(bool add, const ScatterGeometry& g, float* out, const int64_t* index, const float* src);

/** out[i] = exp(a[i]), contiguous float32. */
void exp_f32(const float* a, float* out, int64_t n);

/** out[o, j] = Σ_r in[o, r, j] for a contiguous [outer, red, inner] input; out is [outer, inner]. */
template <typename T>
void sum(const T* in, T* out, int64_t outer, int64_t red, int64_t inner);

/** out[m] = Σ_o Σ_i in[o, m, i] for a contiguous [outer, mid, inner] input (a per-channel sum); out is [mid]. */
template <typename T>
void sum_around(const T* in, T* out, int64_t outer, int64_t mid, int64_t inner);

/** softmax (or log_softmax) over the middle dim of a contiguous [outer, dim, inner] tensor. */
template <typename T>
void softmax(bool log, const T* in, T* out, int64_t outer, int64_t dim, int64_t inner);

/**
 * A sliding window over an [N, C, *spatial] input, spatial ranks 1–3 lifted to 3 (leading unit dims):
 * per dim the kernel size, output size, input size, stride, left padding and dilation, and the
 * input's strides in elements.
 */
struct WindowGeometry {
  int64_t n = 0, c = 0;
  int64_t k[3], o[3], i[3], s[3], p[3], d[3];
  int64_t xs_n = 0, xs_c = 0, xs[3];
};

/** cols[n, (c, taps), positions] = x's windows (pad_value outside it): contiguous [N, C·K, L]. */
void im2col_f32(const WindowGeometry& g, const float* x, float* cols, float pad_value);
/** out[n, c, *in] = Σ of the column entries that read each input element; cols contiguous, out contiguous. */
void col2im_f32(const WindowGeometry& g, const float* cols, float* out);
/**
 * max_pool's input gradient: each plane of `out` (plane_size elements) zeroed, then each output's
 * gradient added at its index. Returns -1, or the first position whose index is out of range (nothing written).
 */
int64_t max_pool_backward_f32(int64_t planes, int64_t positions, int64_t plane_size, const float* grad,
                              const int64_t* indices, float* out);
/** The maximum of each window and its flat spatial index; values and indices contiguous [N, C, L]. */
void max_pool_f32(const WindowGeometry& g, const float* x, float* values, int64_t* indices);

/** A contiguous [N, C, inner] batch-norm input. */
struct BatchNormShape {
  int64_t n = 0, c = 0, inner = 0;
};

/** Each channel's mean and biased variance ([C] each), summed in doubles. */
void batch_norm_stats_f32(const BatchNormShape& s, const float* x, float* mean, float* var);
/** y = ((x − mean)·invstd)·weight + bias per channel; weight and bias may be null. */
void batch_norm_elemt_f32(const BatchNormShape& s, const float* x, const float* mean, const float* invstd,
                          const float* weight, const float* bias, float* y);
/** The batch_norm_backward op: dx (skipped when null), dweight = Σ g·x̂ and dbias = Σ g; weight may be null. */
void batch_norm_backward_f32(const BatchNormShape& s, const float* g, const float* x, const float* mean,
                             const float* invstd, const float* weight, float* dx, float* dweight, float* dbias);

}  // namespace kd
