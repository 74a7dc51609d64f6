// cuBLAS, loaded at run time (dlopen) rather than linked: the machines that build the addon need not
// have it, and the GPU machines may carry it only inside another package (libcublas.so.13 of a Python
// wheel, found through LD_LIBRARY_PATH or KINDLING_CUBLAS). Only the few entry points the addon uses
// are declared, with the C ABI types of cublas_api.h.
#pragma once
#include <cstdint>
#include <string>

namespace kindling {

struct Cublas {
  bool ok = false;
  std::string error;  // why it could not be loaded
  std::string path;   // the library that was loaded
  void* handle_lib = nullptr;
  int (*create)(void** handle) = nullptr;
  int (*destroy)(void* handle) = nullptr;
  int (*set_stream)(void* handle, void* stream) = nullptr;
  int (*set_math_mode)(void* handle, int mode) = nullptr;
  int (*gemm_strided_batched_ex)(void* handle, int transa, int transb, int m, int n, int k, const void* alpha, const void* A, int Atype,
                                 int lda, long long strideA, const void* B, int Btype, int ldb, long long strideB, const void* beta,
                                 void* C, int Ctype, int ldc, long long strideC, int batchCount, int computeType, int algo) = nullptr;
};

/** Load cuBLAS once; later calls return the same result. */
Cublas& cublas();

// The enum values of cublas_api.h / library_types.h that the addon passes.
constexpr int K_CUBLAS_OP_N = 0, K_CUBLAS_OP_T = 1;
constexpr int K_CUDA_R_32F = 0, K_CUDA_R_64F = 1, K_CUDA_R_16F = 2, K_CUDA_R_16BF = 14;
constexpr int K_CUBLAS_COMPUTE_32F = 68, K_CUBLAS_COMPUTE_32F_FAST_TF32 = 77, K_CUBLAS_COMPUTE_64F = 70;
constexpr int K_CUBLAS_GEMM_DEFAULT = -1;
constexpr int K_CUBLAS_DEFAULT_MATH = 0, K_CUBLAS_TF32_TENSOR_OP_MATH = 3;

}  // namespace kindling
