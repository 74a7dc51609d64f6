// The interface between the addon (addon.cc, g++) and the CUDA kernels (kernels.cu, nvcc).
#pragma once
#include <cstdint>

namespace kindling {

enum DType : int32_t { F32 = 0, F64 = 1, F16 = 2, BF16 = 3, I8 = 4, U8 = 5, I16 = 6, I32 = 7, I64 = 8, BOOL = 9 };
int dtype_size(int dtype);
bool dtype_is_float(int dtype);

constexpr int kMaxDims = 8;

/** A strided operand: base pointer (already offset), dtype and strides in elements over the iteration shape. */
struct Operand {
  uintptr_t ptr;
  int32_t dtype;
  int64_t strides[kMaxDims];
};

/** An elementwise iteration: output and up to 3 inputs over one (broadcast) shape. */
struct ElementwiseArgs {
  int32_t op;
  int32_t ndim;
  int32_t ninputs;
  int64_t shape[kMaxDims];
  Operand out;
  Operand in[3];
  double scalar;   // extra scalar (fill value, clamp bounds are inputs)
  int64_t iscalar; // the same for int64 (fill of large integers)
};

/** Elementwise op codes (kernels.cu implements each for floating, integer and bool compute). */
enum ElementwiseOp : int32_t {
  OP_COPY = 0, OP_FILL = 1,
  // unary
  OP_NEG = 10, OP_ABS, OP_EXP, OP_LOG, OP_SQRT, OP_RSQRT, OP_SIN, OP_COS, OP_TAN, OP_TANH, OP_SIGMOID, OP_RELU, OP_FLOOR, OP_CEIL,
  OP_TRUNC, OP_ROUND, OP_RECIPROCAL, OP_EXPM1, OP_LOG1P, OP_LOG2, OP_LOG10, OP_ERF, OP_SIGN, OP_ISNAN, OP_ISINF, OP_ISFINITE,
  OP_LOGICAL_NOT, OP_BITWISE_NOT, OP_ASIN, OP_ACOS, OP_ATAN, OP_SINH, OP_COSH, OP_ASINH, OP_ACOSH, OP_ATANH, OP_ERFC, OP_FRAC,
  OP_SIGNBIT, OP_ISPOSINF, OP_ISNEGINF, OP_EXP2, OP_SQUARE,
  // binary
  OP_ADD = 100, OP_SUB, OP_MUL, OP_DIV, OP_POW, OP_MAXIMUM, OP_MINIMUM, OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_ATAN2,
  OP_REMAINDER, OP_FMOD, OP_FLOOR_DIVIDE, OP_DIV_TRUNC, OP_LOGICAL_AND, OP_LOGICAL_OR, OP_LOGICAL_XOR, OP_BITWISE_AND,
  OP_BITWISE_OR, OP_BITWISE_XOR, OP_FMAX, OP_FMIN,
  // ternary
  OP_WHERE = 200, OP_CLAMP, OP_LERP,
};

/** Reductions: over `rdim` trailing dims of the iteration, one result per leading index. */
enum ReduceOp : int32_t { RED_SUM = 0, RED_PROD, RED_AMAX, RED_AMIN, RED_ALL, RED_ANY };
struct ReduceArgs {
  int32_t op;
  int32_t odim;                 // kept dims (iteration over outputs)
  int32_t rdim;                 // reduced dims
  int64_t oshape[kMaxDims];
  int64_t rshape[kMaxDims];
  Operand out;                  // strides over oshape
  uintptr_t in_ptr;
  int32_t in_dtype;
  int64_t in_ostrides[kMaxDims];
  int64_t in_rstrides[kMaxDims];
};

// Each returns a cudaError_t as int (0 = success) and launches on `stream`.
int launch_elementwise(const ElementwiseArgs& a, void* stream);
int launch_reduce(const ReduceArgs& a, void* stream);
/** softmax / log_softmax of a contiguous (outer, dim, inner) tensor into a contiguous output of the same dtype. */
int launch_softmax(bool log, int dtype, uintptr_t in, uintptr_t out, int64_t outer, int64_t dim, int64_t inner, void* stream);
/** Batched matrix product for dtypes cuBLAS does not take (integers, bool): C[b] = A[b] @ B[b], strided. */
int launch_gemm_fallback(int dtype, int64_t batch, int64_t n, int64_t m, int64_t k, uintptr_t a, const int64_t* as, uintptr_t b,
                         const int64_t* bs, uintptr_t c, const int64_t* cs, void* stream);

}  // namespace kindling
