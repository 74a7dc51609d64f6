// The JavaScript face of the native kernels. Every kernel works in place on the typed arrays it is
// given (zero-copy: the tensors' own storage), after checking that each index it will touch lies
// inside its array. Tensor memory comes from the addon's pool (host_memory.cc) as ordinary ArrayBuffers,
// so V8 counts it and collects it like any other.
#include <napi.h>

#include <cmath>
#include <string>

#include "common.h"
#include <algorithm>
#include <utility>
#include "host_memory.h"
#include "kernels.h"
#include "threadpool.h"

namespace {

using kd::BinaryOp;

int64_t IntArg(const Napi::CallbackInfo& info, size_t i) {
  const Napi::Value v = info[i];
  if (!v.IsNumber()) throw Napi::TypeError::New(info.Env(), "argument " + std::to_string(i) + " must be a number");
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!(std::fabs(d) <= 9007199254740991.0) || std::floor(d) != d)
    throw Napi::RangeError::New(info.Env(), "argument " + std::to_string(i) + " must be a safe integer");
  return static_cast<int64_t>(d);
}

struct Array {
  napi_typedarray_type type;
  void* data;
  int64_t length;
};

Array ArrayArg(const Napi::CallbackInfo& info, size_t i) {
  const Napi::Env env = info.Env();
  const Napi::Value v = info[i];
  bool is = false;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is)
    throw Napi::TypeError::New(env, "argument " + std::to_string(i) + " must be a typed array");
  Array a{};
  size_t length = 0;
  napi_value buffer;
  size_t byte_offset = 0;
  if (napi_get_typedarray_info(env, v, &a.type, &length, &a.data, &buffer, &byte_offset) != napi_ok)
    throw Napi::Error::New(env, "could not read typed array argument " + std::to_string(i));
  a.length = static_cast<int64_t>(length);
  return a;
}

/** Checks that offset + Σ idx_d·stride_d stays in [0, length) for every idx_d < size_d. */
void CheckBounds(const Napi::Env& env, const char* what, const Array& a, int64_t offset,
                 std::initializer_list<std::pair<int64_t, int64_t>> dims) {
  int64_t lo = offset, hi = offset;
  for (const auto& [size, stride] : dims) {
    if (size < 0) throw Napi::RangeError::New(env, std::string(what) + ": negative size");
    if (size == 0) return;  // nothing is touched
    if (stride >= 0) hi += (size - 1) * stride;
    else lo += (size - 1) * stride;
  }
  if (lo < 0 || hi >= a.length)
    throw Napi::RangeError::New(env, std::string(what) + ": indices out of the array's bounds");
}

template <typename T>
T* Ptr(const Array& a, int64_t offset) {
  return static_cast<T*>(a.data) + offset;
}

// gemm(A, aOff, aBs, aRs, aCs, B, bOff, bBs, bRs, bCs, C, cOff, cBs, cRs, cCs, batch, n, m, k)
Napi::Value Gemm(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  if (info.Length() != 19 && info.Length() != 20) throw Napi::TypeError::New(env, "gemm: expected 19 or 20 arguments");
  const Array A = ArrayArg(info, 0), B = ArrayArg(info, 5), C = ArrayArg(info, 10);
  const int64_t aOff = IntArg(info, 1), aBs = IntArg(info, 2), aRs = IntArg(info, 3), aCs = IntArg(info, 4);
  const int64_t bOff = IntArg(info, 6), bBs = IntArg(info, 7), bRs = IntArg(info, 8), bCs = IntArg(info, 9);
  const int64_t cOff = IntArg(info, 11), cRs = IntArg(info, 13), cCs = IntArg(info, 14);
  const int64_t batch = IntArg(info, 15), n = IntArg(info, 16), m = IntArg(info, 17), k = IntArg(info, 18);
  // sumBatch: C = Σ_b A[b]·B[b], one C (its batch stride is not used).
  const bool sum_batch = info.Length() == 20 && info[19].ToBoolean().Value();
  const int64_t cBs = sum_batch ? 0 : IntArg(info, 12);
  if (A.type != B.type || A.type != C.type || (A.type != napi_float32_array && A.type != napi_float64_array))
    throw Napi::TypeError::New(env, "gemm: A, B and C must all be Float32Array or all Float64Array");
  CheckBounds(env, "gemm A", A, aOff, {{batch, aBs}, {n, aRs}, {k, aCs}});
  CheckBounds(env, "gemm B", B, bOff, {{batch, bBs}, {k, bRs}, {m, bCs}});
  CheckBounds(env, "gemm C", C, cOff, {{sum_batch ? 1 : batch, cBs}, {n, cRs}, {m, cCs}});
  if ((batch == 0 && !sum_batch) || n == 0 || m == 0) return env.Undefined();
  if (A.type == napi_float32_array)
    kd::gemm<float>(batch, n, m, k, Ptr<float>(A, aOff), aBs, aRs, aCs, Ptr<float>(B, bOff), bBs, bRs, bCs,
                    Ptr<float>(C, cOff), cBs, cRs, cCs, sum_batch);
  else
    kd::gemm<double>(batch, n, m, k, Ptr<double>(A, aOff), aBs, aRs, aCs, Ptr<double>(B, bOff), bBs, bRs, bCs,
                     Ptr<double>(C, cOff), cBs, cRs, cCs, sum_batch);
  return env.Undefined();
}

// binary(op, A, aOff, aRs, aCs, B, bOff, bRs, bCs, O, oOff, oRs, rows, cols): float32
Napi::Value Binary(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  if (info.Length() != 14) throw Napi::TypeError::New(env, "binary: expected 14 arguments");
  const int64_t op = IntArg(info, 0);
  if (op < 0 || op > 3) throw Napi::RangeError::New(env, "binary: unknown op");
  const Array A = ArrayArg(info, 1), B = ArrayArg(info, 5), O = ArrayArg(info, 9);
  const int64_t aOff = IntArg(info, 2), aRs = IntArg(info, 3), aCs = IntArg(info, 4);
  const int64_t bOff = IntArg(info, 6), bRs = IntArg(info, 7), bCs = IntArg(info, 8);
  const int64_t oOff = IntArg(info, 10), oRs = IntArg(info, 11);
  const int64_t rows = IntArg(info, 12), cols = IntArg(info, 13);
  if (A.type != napi_float32_array || B.type != napi_float32_array || O.type != napi_float32_array)
    throw Napi::TypeError::New(env, "binary: arrays must be Float32Array");
  if ((aCs != 0 && aCs != 1) || (bCs != 0 && bCs != 1))
    throw Napi::RangeError::New(env, "binary: an input's column stride must be 0 or 1");
  CheckBounds(env, "binary a", A, aOff, {{rows, aRs}, {cols, aCs}});
  CheckBounds(env, "binary b", B, bOff, {{rows, bRs}, {cols, bCs}});
  CheckBounds(env, "binary out", O, oOff, {{rows, oRs}, {cols, 1}});
  kd::binary_f32(static_cast<BinaryOp>(op), rows, cols, Ptr<float>(A, aOff), aRs, aCs, Ptr<float>(B, bOff), bRs, bCs,
                 Ptr<float>(O, oOff), oRs);
  return env.Undefined();
}

int64_t ColumnStride(const Napi::Env& env, const char* what, int64_t s) {
  if (s != 0 && s != 1) throw Napi::RangeError::New(env, std::string(what) + ": an input's column stride must be 0 or 1");
  return s;
}

void ExpectType(const Napi::Env& env, const char* what, const Array& a, napi_typedarray_type type, const char* name) {
  if (a.type != type) throw Napi::TypeError::New(env, std::string(what) + ": expected a " + name);
}

// relu(A, aOff, aRs, O, oOff, oRs, rows, cols): float32, unit column strides
Napi::Value Relu(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  if (info.Length() != 8) throw Napi::TypeError::New(env, "relu: expected 8 arguments");
  const Array A = ArrayArg(info, 0), O = ArrayArg(info, 3);
  const int64_t aOff = IntArg(info, 1), aRs = IntArg(info, 2), oOff = IntArg(info, 4), oRs = IntArg(info, 5);
  const int64_t rows = IntArg(info, 6), cols = IntArg(info, 7);
  ExpectType(env, "relu a", A, napi_float32_array, "Float32Array");
  ExpectType(env, "relu out", O, napi_float32_array, "Float32Array");
  CheckBounds(env, "relu a", A, aOff, {{rows, aRs}, {cols, 1}});
  CheckBounds(env, "relu out", O, oOff, {{rows, oRs}, {cols, 1}});
  kd::relu_f32(rows, cols, Ptr<float>(A, aOff), aRs, Ptr<float>(O, oOff), oRs);
  return env.Undefined();
}

// compare(op, A, aOff, aRs, aCs, B, bOff, bRs, bCs, O, oOff, oRs, rows, cols): float32 in, bytes out
Napi::Value Compare(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  if (info.Length() != 14) throw Napi::TypeError::New(env, "compare: expected 14 arguments");
  const int64_t op = IntArg(info, 0);
  if (op < 0 || op > 5) throw Napi::RangeError::New(env, "compare: unknown op");
  const Array A = ArrayArg(info, 1), B = ArrayArg(info, 5), O = ArrayArg(info, 9);
  const int64_t aOff = IntArg(info, 2), aRs = IntArg(info, 3), aCs = ColumnStride(env, "compare", IntArg(info, 4));
  const int64_t bOff = IntArg(info, 6), bRs = IntArg(info, 7), bCs = ColumnStride(env, "compare", IntArg(info, 8));
  const int64_t oOff = IntArg(info, 10), oRs = IntArg(info, 11), rows = IntArg(info, 12), cols = IntArg(info, 13);
  ExpectType(env, "compare a", A, napi_float32_array, "Float32Array");
  ExpectType(env, "compare b", B, napi_float32_array, "Float32Array");
  ExpectType(env, "compare out", O, napi_uint8_array, "Uint8Array");
  CheckBounds(env, "compare a", A, aOff, {{rows, aRs}, {cols, aCs}});
  CheckBounds(env, "compare b", B, bOff, {{rows, bRs}, {cols, bCs}});
  CheckBounds(env, "compare out", O, oOff, {{rows, oRs}, {cols, 1}});
  kd::compare_f32(static_cast<kd::CompareOp>(op), rows, cols, Ptr<float>(A, aOff), aRs, aCs, Ptr<float>(B, bOff), bRs,
                  bCs, Ptr<uint8_t>(O, oOff), oRs);
  return env.Undefined();
}

// where(C, cOff, cRs, cCs, A, aOff, aRs, aCs, B, bOff, bRs, bCs, O, oOff, oRs, rows, cols)
Napi::Value Where(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  if (info.Length() != 17) throw Napi::TypeError::New(env, "where: expected 17 arguments");
  const Array C = ArrayArg(info, 0), A = ArrayArg(info, 4), B = ArrayArg(info, 8), O = ArrayArg(info, 12);
  const int64_t cOff = IntArg(info, 1), cRs = IntArg(info, 2), cCs = ColumnStride(env, "where", IntArg(info, 3));
  const int64_t aOff = IntArg(info, 5), aRs = IntArg(info, 6), aCs = ColumnStride(env, "where", IntArg(info, 7));
  const int64_t bOff = IntArg(info, 9), bRs = IntArg(info, 10), bCs = ColumnStride(env, "where", IntArg(info, 11));
  const int64_t oOff = IntArg(info, 13), oRs = IntArg(info, 14), rows = IntArg(info, 15), cols = IntArg(info, 16);
  ExpectType(env, "where condition", C, napi_uint8_array, "Uint8Array");
  ExpectType(env, "where a", A, napi_float32_array, "Float32Array");
  ExpectType(env, "where b", B, napi_float32_array, "Float32Array");
  ExpectType(env, "where out", O, napi_float32_array, "Float32Array");
  CheckBounds(env, "where condition", C, cOff, {{rows, cRs}, {cols, cCs}});
  CheckBounds(env, "where a", A, aOff, {{rows, aRs}, {cols, aCs}});
  CheckBounds(env, "where b", B, bOff, {{rows, bRs}, {cols, bCs}});
  CheckBounds(env, "where out", O, oOff, {{rows, oRs}, {cols, 1}});
  kd::where_f32(rows, cols, Ptr<uint8_t>(C, cOff), cRs, cCs, Ptr<float>(A, aOff), aRs, aCs, Ptr<float>(B, bOff), bRs,
                bCs, Ptr<float>(O, oOff), oRs);
  return env.Undefined();
}

int ElementSize(napi_typedarray_type t) {
  switch (t) {
    case napi_int8_array: case napi_uint8_array: case napi_uint8_clamped_array: return 1;
    case napi_int16_array: case napi_uint16_array: return 2;
    case napi_int32_array: case napi_uint32_array: case napi_float32_array: return 4;
    case napi_float64_array: case napi_bigint64_array: case napi_biguint64_array: return 8;
    default: return 0;
  }
}

// copy(S, sOff, D, dOff, shape, sStrides, dStrides): same element type, any strides (arrays of numbers)
Napi::Value Copy(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  if (info.Length() != 7) throw Napi::TypeError::New(env, "copy: expected 7 arguments");
  const Array S = ArrayArg(info, 0), D = ArrayArg(info, 2);
  const int64_t sOff = IntArg(info, 1), dOff = IntArg(info, 3);
  const int size = ElementSize(S.type);
  if (size == 0 || size != ElementSize(D.type)) throw Napi::TypeError::New(env, "copy: arrays must have elements of one size");
  kd::CopyGeometry g;
  for (int which = 0; which < 3; which++) {
    const Napi::Value v = info[4 + which];
    if (!v.IsArray()) throw Napi::TypeError::New(env, "copy: shape and strides must be arrays");
    const Napi::Array a = v.As<Napi::Array>();
    auto& dst = which == 0 ? g.shape : which == 1 ? g.src_strides : g.dst_strides;
    for (uint32_t i = 0; i < a.Length(); i++) {
      const Napi::Value e = a.Get(i);
      if (!e.IsNumber()) throw Napi::TypeError::New(env, "copy: shape and strides must hold numbers");
      dst.push_back(e.As<Napi::Number>().Int64Value());
    }
  }
  const size_t nd = g.shape.size();
  if (nd == 0 || nd > 16 || g.src_strides.size() != nd || g.dst_strides.size() != nd)
    throw Napi::RangeError::New(env, "copy: shape and strides must have 1 to 16 dims, the same number");
  // Bounds: the lowest and highest element each operand touches.
  int64_t slo = sOff, shi = sOff, dlo = dOff, dhi = dOff;
  for (size_t d = 0; d < nd; d++) {
    if (g.shape[d] < 0) throw Napi::RangeError::New(env, "copy: negative size");
    if (g.shape[d] == 0) return env.Undefined();
    const int64_t span = g.shape[d] - 1;
    (g.src_strides[d] >= 0 ? shi : slo) += span * g.src_strides[d];
    (g.dst_strides[d] >= 0 ? dhi : dlo) += span * g.dst_strides[d];
  }
  if (slo < 0 || shi >= S.length || dlo < 0 || dhi >= D.length)
    throw Napi::RangeError::New(env, "copy: indices out of the array's bounds");
  kd::copy_strided(size, g, static_cast<char*>(S.data) + sOff * size, static_cast<char*>(D.data) + dOff * size);
  return env.Undefined();
}

std::vector<int64_t> IntList(const Napi::Env& env, const Napi::Value& v, const char* what) {
  if (!v.IsArray()) throw Napi::TypeError::New(env, std::string(what) + " must be an array");
  const Napi::Array a = v.As<Napi::Array>();
  std::vector<int64_t> out;
  for (uint32_t i = 0; i < a.Length(); i++) {
    const Napi::Value e = a.Get(i);
    if (!e.IsNumber()) throw Napi::TypeError::New(env, std::string(what) + " must hold numbers");
    out.push_back(e.As<Napi::Number>().Int64Value());
  }
  return out;
}

/** The lowest and highest element offset a strided walk over `shape` touches, from `offset`. */
std::pair<int64_t, int64_t> Extent(const std::vector<int64_t>& shape, const std::vector<int64_t>& strides, int64_t offset) {
  int64_t lo = offset, hi = offset;
  for (size_t d = 0; d < shape.size(); d++) (strides[d] >= 0 ? hi : lo) += (shape[d] - 1) * strides[d];
  return {lo, hi};
}

// scatter(add, O, oOff, I, iOff, S, sOff, shape, oStrides, iStrides, sStrides, dimSize, dimStride) → -1 or a bad position
Napi::Value Scatter(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  if (info.Length() != 13) throw Napi::TypeError::New(env, "scatter: expected 13 arguments");
  const bool add = info[0].ToBoolean().Value();
  const Array O = ArrayArg(info, 1), I = ArrayArg(info, 3), S = ArrayArg(info, 5);
  const int64_t oOff = IntArg(info, 2), iOff = IntArg(info, 4), sOff = IntArg(info, 6);
  ExpectType(env, "scatter out", O, napi_float32_array, "Float32Array");
  ExpectType(env, "scatter index", I, napi_bigint64_array, "BigInt64Array");
  ExpectType(env, "scatter src", S, napi_float32_array, "Float32Array");
  kd::ScatterGeometry g;
  g.shape = IntList(env, info[7], "scatter shape");
  g.out_strides = IntList(env, info[8], "scatter out strides");
  g.index_strides = IntList(env, info[9], "scatter index strides");
  g.src_strides = IntList(env, info[10], "scatter src strides");
  g.dim_size = IntArg(info, 11);
  g.dim_stride = IntArg(info, 12);
  const size_t nd = g.shape.size();
  if (nd == 0 || g.out_strides.size() != nd || g.index_strides.size() != nd || g.src_strides.size() != nd)
    throw Napi::RangeError::New(env, "scatter: shape and strides must have the same number of dims");
  for (int64_t s : g.shape) {
    if (s < 0) throw Napi::RangeError::New(env, "scatter: negative size");
    if (s == 0) return Napi::Number::New(env, -1);
  }
  const auto [olo, ohi] = Extent(g.shape, g.out_strides, oOff);
  const auto [ilo, ihi] = Extent(g.shape, g.index_strides, iOff);
  const auto [slo, shi] = Extent(g.shape, g.src_strides, sOff);
  const int64_t dlo = std::min<int64_t>(0, (g.dim_size - 1) * g.dim_stride), dhi = std::max<int64_t>(0, (g.dim_size - 1) * g.dim_stride);
  if (g.dim_size <= 0 || olo + dlo < 0 || ohi + dhi >= O.length || ilo < 0 || ihi >= I.length || slo < 0 || shi >= S.length)
    throw Napi::RangeError::New(env, "scatter: indices out of the arrays' bounds");
  const int64_t bad = kd::scatter_f32(add, g, Ptr<float>(O, oOff), Ptr<int64_t>(I, iOff), Ptr<float>(S, sOff));
  return Napi::Number::New(env, static_cast<double>(bad));
}

// exp(A, aOff, O, oOff, n): contiguous float32
Napi::Value Exp(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  if (info.Length() != 5) throw Napi::TypeError::New(env, "exp: expected 5 arguments");
  const Array A = ArrayArg(info, 0), O = ArrayArg(info, 2);
  const int64_t aOff = IntArg(info, 1), oOff = IntArg(info, 3), n = IntArg(info, 4);
  if (A.type != napi_float32_array || O.type != napi_float32_array)
    throw Napi::TypeError::New(env, "exp: arrays must be Float32Array");
  CheckBounds(env, "exp a", A, aOff, {{n, 1}});
  CheckBounds(env, "exp out", O, oOff, {{n, 1}});
  kd::exp_f32(Ptr<float>(A, aOff), Ptr<float>(O, oOff), n);
  return env.Undefined();
}

// unary(op, A, aOff, O, oOff, n): contiguous float32; op 0 neg, 1 abs, 2 sqrt, 3 rsqrt
Napi::Value Unary(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  if (info.Length() != 6) throw Napi::TypeError::New(env, "unary: expected 6 arguments");
  const int64_t op = IntArg(info, 0);
  if (op < 0 || op > 3) throw Napi::RangeError::New(env, "unary: unknown op");
  const Array A = ArrayArg(info, 1), O = ArrayArg(info, 3);
  const int64_t aOff = IntArg(info, 2), oOff = IntArg(info, 4), n = IntArg(info, 5);
  ExpectType(env, "unary a", A, napi_float32_array, "Float32Array");
  ExpectType(env, "unary out", O, napi_float32_array, "Float32Array");
  CheckBounds(env, "unary a", A, aOff, {{n, 1}});
  CheckBounds(env, "unary out", O, oOff, {{n, 1}});
  kd::unary_f32(static_cast<kd::UnaryOp>(op), Ptr<float>(A, aOff), Ptr<float>(O, oOff), n);
  return env.Undefined();
}

// sum(A, aOff, O, oOff, outer, red, inner): contiguous [outer, red, inner] → [outer, inner]
Napi::Value Sum(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  if (info.Length() != 7) throw Napi::TypeError::New(env, "sum: expected 7 arguments");
  const Array A = ArrayArg(info, 0), O = ArrayArg(info, 2);
  const int64_t aOff = IntArg(info, 1), oOff = IntArg(info, 3);
  const int64_t outer = IntArg(info, 4), red = IntArg(info, 5), inner = IntArg(info, 6);
  if (A.type != O.type || (A.type != napi_float32_array && A.type != napi_float64_array))
    throw Napi::TypeError::New(env, "sum: arrays must both be Float32Array or Float64Array");
  CheckBounds(env, "sum a", A, aOff, {{outer, red * inner}, {red, inner}, {inner, 1}});
  CheckBounds(env, "sum out", O, oOff, {{outer, inner}, {inner, 1}});
  if (A.type == napi_float32_array) kd::sum<float>(Ptr<float>(A, aOff), Ptr<float>(O, oOff), outer, red, inner);
  else kd::sum<double>(Ptr<double>(A, aOff), Ptr<double>(O, oOff), outer, red, inner);
  return env.Undefined();
}

// sumAround(A, aOff, O, oOff, outer, mid, inner): contiguous [outer, mid, inner] → [mid], summing outer and inner
Napi::Value SumAround(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  if (info.Length() != 7) throw Napi::TypeError::New(env, "sumAround: expected 7 arguments");
  const Array A = ArrayArg(info, 0), O = ArrayArg(info, 2);
  const int64_t aOff = IntArg(info, 1), oOff = IntArg(info, 3);
  const int64_t outer = IntArg(info, 4), mid = IntArg(info, 5), inner = IntArg(info, 6);
  if (A.type != O.type || (A.type != napi_float32_array && A.type != napi_float64_array))
    throw Napi::TypeError::New(env, "sumAround: arrays must both be Float32Array or Float64Array");
  CheckBounds(env, "sumAround a", A, aOff, {{outer, mid * inner}, {mid, inner}, {inner, 1}});
  CheckBounds(env, "sumAround out", O, oOff, {{mid, 1}});
  if (A.type == napi_float32_array) kd::sum_around<float>(Ptr<float>(A, aOff), Ptr<float>(O, oOff), outer, mid, inner);
  else kd::sum_around<double>(Ptr<double>(A, aOff), Ptr<double>(O, oOff), outer, mid, inner);
  return env.Undefined();
}

// A window's geometry from its 25 numbers: n, c, kernel[3], out[3], in[3], stride[3], padding[3],
// dilation[3], the input's strides (n, c, spatial[3]); checked for sizes the kernels can walk.
kd::WindowGeometry WindowArg(const Napi::Env& env, const Napi::Value& v, const char* what) {
  const std::vector<int64_t> a = IntList(env, v, what);
  if (a.size() != 25) throw Napi::RangeError::New(env, std::string(what) + ": expected 25 numbers");
  kd::WindowGeometry g;
  g.n = a[0];
  g.c = a[1];
  for (int d = 0; d < 3; d++) {
    g.k[d] = a[2 + d];
    g.o[d] = a[5 + d];
    g.i[d] = a[8 + d];
    g.s[d] = a[11 + d];
    g.p[d] = a[14 + d];
    g.d[d] = a[17 + d];
    g.xs[d] = a[22 + d];
    if (g.k[d] < 1 || g.o[d] < 0 || g.i[d] < 1 || g.s[d] < 1 || g.p[d] < 0 || g.d[d] < 1)
      throw Napi::RangeError::New(env, std::string(what) + ": invalid window geometry");
  }
  g.xs_n = a[20];
  g.xs_c = a[21];
  if (g.n < 0 || g.c < 0) throw Napi::RangeError::New(env, std::string(what) + ": negative size");
  return g;
}

/** Elements of a window's taps (K), positions (L) and input plane. */
int64_t Taps(const kd::WindowGeometry& g) { return g.k[0] * g.k[1] * g.k[2]; }
int64_t Positions(const kd::WindowGeometry& g) { return g.o[0] * g.o[1] * g.o[2]; }
int64_t Plane(const kd::WindowGeometry& g) { return g.i[0] * g.i[1] * g.i[2]; }

/** Checks that the strided input walk of `g` from `offset` stays inside `a`. */
void CheckWindowInput(const Napi::Env& env, const char* what, const Array& a, int64_t offset, const kd::WindowGeometry& g) {
  CheckBounds(env, what, a, offset, {{g.n, g.xs_n}, {g.c, g.xs_c}, {g.i[0], g.xs[0]}, {g.i[1], g.xs[1]}, {g.i[2], g.xs[2]}});
}

// im2col(X, xOff, O, oOff, geometry, padValue): float32, O contiguous [N, C·K, L]
Napi::Value Im2col(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  if (info.Length() != 6) throw Napi::TypeError::New(env, "im2col: expected 6 arguments");
  const Array X = ArrayArg(info, 0), O = ArrayArg(info, 2);
  const int64_t xOff = IntArg(info, 1), oOff = IntArg(info, 3);
  const kd::WindowGeometry g = WindowArg(env, info[4], "im2col geometry");
  if (!info[5].IsNumber()) throw Napi::TypeError::New(env, "im2col: padValue must be a number");
  const float pad = info[5].As<Napi::Number>().FloatValue();
  ExpectType(env, "im2col x", X, napi_float32_array, "Float32Array");
  ExpectType(env, "im2col out", O, napi_float32_array, "Float32Array");
  CheckWindowInput(env, "im2col x", X, xOff, g);
  CheckBounds(env, "im2col out", O, oOff, {{g.n * g.c * Taps(g) * Positions(g), 1}});
  kd::im2col_f32(g, Ptr<float>(X, xOff), Ptr<float>(O, oOff), pad);
  return env.Undefined();
}

// col2im(S, sOff, O, oOff, geometry): float32, S contiguous [N, C·K, L], O contiguous [N, C, *in]
Napi::Value Col2im(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  if (info.Length() != 5) throw Napi::TypeError::New(env, "col2im: expected 5 arguments");
  const Array S = ArrayArg(info, 0), O = ArrayArg(info, 2);
  const int64_t sOff = IntArg(info, 1), oOff = IntArg(info, 3);
  const kd::WindowGeometry g = WindowArg(env, info[4], "col2im geometry");
  ExpectType(env, "col2im cols", S, napi_float32_array, "Float32Array");
  ExpectType(env, "col2im out", O, napi_float32_array, "Float32Array");
  CheckBounds(env, "col2im cols", S, sOff, {{g.n * g.c * Taps(g) * Positions(g), 1}});
  CheckBounds(env, "col2im out", O, oOff, {{g.n * g.c * Plane(g), 1}});
  kd::col2im_f32(g, Ptr<float>(S, sOff), Ptr<float>(O, oOff));
  return env.Undefined();
}

// maxPool(X, xOff, V, vOff, I, iOff, geometry): float32 values, int64 indices, V and I contiguous [N, C, L]
Napi::Value MaxPool(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  if (info.Length() != 7) throw Napi::TypeError::New(env, "maxPool: expected 7 arguments");
  const Array X = ArrayArg(info, 0), V = ArrayArg(info, 2), I = ArrayArg(info, 4);
  const int64_t xOff = IntArg(info, 1), vOff = IntArg(info, 3), iOff = IntArg(info, 5);
  const kd::WindowGeometry g = WindowArg(env, info[6], "maxPool geometry");
  ExpectType(env, "maxPool x", X, napi_float32_array, "Float32Array");
  ExpectType(env, "maxPool values", V, napi_float32_array, "Float32Array");
  ExpectType(env, "maxPool indices", I, napi_bigint64_array, "BigInt64Array");
  CheckWindowInput(env, "maxPool x", X, xOff, g);
  CheckBounds(env, "maxPool values", V, vOff, {{g.n * g.c * Positions(g), 1}});
  CheckBounds(env, "maxPool indices", I, iOff, {{g.n * g.c * Positions(g), 1}});
  kd::max_pool_f32(g, Ptr<float>(X, xOff), Ptr<float>(V, vOff), Ptr<int64_t>(I, iOff));
  return env.Undefined();
}

/** A Float32Array argument (with its offset) of `count` elements, or null when the argument is null. */
float* OptionalFloats(const Napi::CallbackInfo& info, size_t i, int64_t count, const char* what) {
  if (info[i].IsNull()) return nullptr;
  const Array a = ArrayArg(info, i);
  ExpectType(info.Env(), what, a, napi_float32_array, "Float32Array");
  const int64_t off = IntArg(info, i + 1);
  CheckBounds(info.Env(), what, a, off, {{count, 1}});
  return Ptr<float>(a, off);
}

float* Floats(const Napi::CallbackInfo& info, size_t i, int64_t count, const char* what) {
  float* p = OptionalFloats(info, i, count, what);
  if (!p) throw Napi::TypeError::New(info.Env(), std::string(what) + " must be a Float32Array");
  return p;
}

kd::BatchNormShape BatchNormShapeArg(const Napi::CallbackInfo& info, size_t i) {
  kd::BatchNormShape s{IntArg(info, i), IntArg(info, i + 1), IntArg(info, i + 2)};
  if (s.n < 0 || s.c < 0 || s.inner < 0) throw Napi::RangeError::New(info.Env(), "batch norm: negative size");
  return s;
}

// thresholdBackward(G, gOff, R, rOff, threshold, O, oOff, n): contiguous float32
Napi::Value ThresholdBackward(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  if (info.Length() != 8) throw Napi::TypeError::New(env, "thresholdBackward: expected 8 arguments");
  if (!info[4].IsNumber()) throw Napi::TypeError::New(env, "thresholdBackward: threshold must be a number");
  const int64_t n = IntArg(info, 7);
  const float* g = Floats(info, 0, n, "thresholdBackward grad");
  const float* r = Floats(info, 2, n, "thresholdBackward result");
  float* o = Floats(info, 5, n, "thresholdBackward out");
  kd::threshold_backward_f32(g, r, info[4].As<Napi::Number>().FloatValue(), o, n);
  return env.Undefined();
}

// maxPoolBackward(G, gOff, I, iOff, O, oOff, planes, positions, planeSize): contiguous; -1 or the first bad index's position
Napi::Value MaxPoolBackward(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  if (info.Length() != 9) throw Napi::TypeError::New(env, "maxPoolBackward: expected 9 arguments");
  const int64_t planes = IntArg(info, 6), positions = IntArg(info, 7), plane_size = IntArg(info, 8);
  if (planes < 0 || positions < 0 || plane_size < 0) throw Napi::RangeError::New(env, "maxPoolBackward: negative size");
  const float* g = Floats(info, 0, planes * positions, "maxPoolBackward grad");
  const Array I = ArrayArg(info, 2);
  ExpectType(env, "maxPoolBackward indices", I, napi_bigint64_array, "BigInt64Array");
  const int64_t iOff = IntArg(info, 3);
  CheckBounds(env, "maxPoolBackward indices", I, iOff, {{planes * positions, 1}});
  float* o = Floats(info, 4, planes * plane_size, "maxPoolBackward out");
  const int64_t bad = kd::max_pool_backward_f32(planes, positions, plane_size, g, Ptr<int64_t>(I, iOff), o);
  return Napi::Number::New(env, static_cast<double>(bad));
}

// batchNormStats(X, xOff, Mean, mOff, Var, vOff, n, c, inner): X contiguous [n, c, inner] float32
Napi::Value BatchNormStats(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  if (info.Length() != 9) throw Napi::TypeError::New(env, "batchNormStats: expected 9 arguments");
  const kd::BatchNormShape s = BatchNormShapeArg(info, 6);
  const float* x = Floats(info, 0, s.n * s.c * s.inner, "batchNormStats x");
  float* mean = Floats(info, 2, s.c, "batchNormStats mean");
  float* var = Floats(info, 4, s.c, "batchNormStats var");
  kd::batch_norm_stats_f32(s, x, mean, var);
  return env.Undefined();
}

// batchNormElemt(X, xOff, Mean, mOff, Invstd, iOff, Weight|null, wOff, Bias|null, bOff, Y, yOff, n, c, inner)
Napi::Value BatchNormElemt(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  if (info.Length() != 15) throw Napi::TypeError::New(env, "batchNormElemt: expected 15 arguments");
  const kd::BatchNormShape s = BatchNormShapeArg(info, 12);
  const int64_t total = s.n * s.c * s.inner;
  const float* x = Floats(info, 0, total, "batchNormElemt x");
  const float* mean = Floats(info, 2, s.c, "batchNormElemt mean");
  const float* invstd = Floats(info, 4, s.c, "batchNormElemt invstd");
  const float* weight = OptionalFloats(info, 6, s.c, "batchNormElemt weight");
  const float* bias = OptionalFloats(info, 8, s.c, "batchNormElemt bias");
  float* y = Floats(info, 10, total, "batchNormElemt y");
  kd::batch_norm_elemt_f32(s, x, mean, invstd, weight, bias, y);
  return env.Undefined();
}

// batchNormBackward(G, gOff, X, xOff, Mean, mOff, Invstd, iOff, Weight|null, wOff, DX|null, dxOff, DW, dwOff, DB, dbOff, n, c, inner)
Napi::Value BatchNormBackward(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  if (info.Length() != 19) throw Napi::TypeError::New(env, "batchNormBackward: expected 19 arguments");
  const kd::BatchNormShape s = BatchNormShapeArg(info, 16);
  const int64_t total = s.n * s.c * s.inner;
  const float* g = Floats(info, 0, total, "batchNormBackward grad");
  const float* x = Floats(info, 2, total, "batchNormBackward x");
  const float* mean = Floats(info, 4, s.c, "batchNormBackward mean");
  const float* invstd = Floats(info, 6, s.c, "batchNormBackward invstd");
  const float* weight = OptionalFloats(info, 8, s.c, "batchNormBackward weight");
  float* dx = OptionalFloats(info, 10, total, "batchNormBackward dx");
  float* dw = Floats(info, 12, s.c, "batchNormBackward dweight");
  float* db = Floats(info, 14, s.c, "batchNormBackward dbias");
  kd::batch_norm_backward_f32(s, g, x, mean, invstd, weight, dx, dw, db);
  return env.Undefined();
}

// softmax(log, A, aOff, O, oOff, outer, dim, inner): contiguous, over the middle dim
Napi::Value Softmax(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  if (info.Length() != 8) throw Napi::TypeError::New(env, "softmax: expected 8 arguments");
  const bool log = info[0].ToBoolean().Value();
  const Array A = ArrayArg(info, 1), O = ArrayArg(info, 3);
  const int64_t aOff = IntArg(info, 2), oOff = IntArg(info, 4);
  const int64_t outer = IntArg(info, 5), dim = IntArg(info, 6), inner = IntArg(info, 7);
  if (A.type != O.type || (A.type != napi_float32_array && A.type != napi_float64_array))
    throw Napi::TypeError::New(env, "softmax: arrays must both be Float32Array or Float64Array");
  CheckBounds(env, "softmax a", A, aOff, {{outer, dim * inner}, {dim, inner}, {inner, 1}});
  CheckBounds(env, "softmax out", O, oOff, {{outer, dim * inner}, {dim, inner}, {inner, 1}});
  if (A.type == napi_float32_array)
    kd::softmax<float>(log, Ptr<float>(A, aOff), Ptr<float>(O, oOff), outer, dim, inner);
  else
    kd::softmax<double>(log, Ptr<double>(A, aOff), Ptr<double>(O, oOff), outer, dim, inner);
  return env.Undefined();
}

Napi::Value GetNumThreads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), kd::num_threads());
}

Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  const int64_t n = IntArg(info, 0);
  if (n < 1 || n > 1024) throw Napi::RangeError::New(info.Env(), "setNumThreads: expected 1 to 1024 threads");
  kd::set_num_threads(static_cast<int>(n));
  return Napi::Number::New(info.Env(), kd::num_threads());
}

Napi::Value GetIsa(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), kd::isa_name(kd::current_isa()));
}

Napi::Value BestIsa(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), kd::isa_name(kd::detect_isa()));
}

// setIsa(name): use a lower path than the best (tests compare the paths); returns the path in use.
Napi::Value SetIsa(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString()) throw Napi::TypeError::New(env, "setIsa: expected a path name");
  const std::string name = info[0].As<Napi::String>().Utf8Value();
  kd::Isa isa;
  if (name == "portable") isa = kd::Isa::Portable;
  else if (name == "avx2") isa = kd::Isa::Avx2;
  else if (name == "avx512") isa = kd::Isa::Avx512;
  else throw Napi::RangeError::New(env, "setIsa: unknown path '" + name + "'");
  return Napi::String::New(env, kd::isa_name(kd::set_isa(isa)));
}

// hostBuffer(bytes): an uninitialised ArrayBuffer from the native pool (host_memory.cc).
Napi::Value HostBuffer(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  const int64_t bytes = IntArg(info, 0);
  if (bytes <= 0) throw Napi::RangeError::New(env, "hostBuffer: expected a positive size");
  v8::Local<v8::ArrayBuffer> buffer = kd::NewHostBuffer(v8::Isolate::GetCurrent(), static_cast<size_t>(bytes));
  if (buffer.IsEmpty()) throw Napi::RangeError::New(env, "hostBuffer: out of memory allocating " + std::to_string(bytes) + " bytes");
  // A napi_value is a V8 handle: the same conversion Node's own N-API uses.
  return Napi::Value(env, reinterpret_cast<napi_value>(*buffer));
}

Napi::Value TrimHostPool(const Napi::CallbackInfo& info) {
  kd::TrimHostPool();
  return info.Env().Undefined();
}

Napi::Value HostPoolStats(const Napi::CallbackInfo& info) {
  const kd::HostPoolStats s = kd::HostPoolUsage();
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("live", Napi::Number::New(info.Env(), static_cast<double>(s.live)));
  o.Set("cached", Napi::Number::New(info.Env(), static_cast<double>(s.cached)));
  o.Set("fresh", Napi::Number::New(info.Env(), static_cast<double>(s.fresh)));
  return o;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("hostBuffer", Napi::Function::New(env, HostBuffer, "hostBuffer"));
  exports.Set("trimHostPool", Napi::Function::New(env, TrimHostPool, "trimHostPool"));
  exports.Set("hostPoolStats", Napi::Function::New(env, HostPoolStats, "hostPoolStats"));
  exports.Set("gemm", Napi::Function::New(env, Gemm, "gemm"));
  exports.Set("binary", Napi::Function::New(env, Binary, "binary"));
  exports.Set("exp", Napi::Function::New(env, Exp, "exp"));
  exports.Set("unary", Napi::Function::New(env, Unary, "unary"));
  exports.Set("relu", Napi::Function::New(env, Relu, "relu"));
  exports.Set("thresholdBackward", Napi::Function::New(env, ThresholdBackward, "thresholdBackward"));
  exports.Set("copy", Napi::Function::New(env, Copy, "copy"));
  exports.Set("scatter", Napi::Function::New(env, Scatter, "scatter"));
  exports.Set("compare", Napi::Function::New(env, Compare, "compare"));
  exports.Set("where", Napi::Function::New(env, Where, "where"));
  exports.Set("sum", Napi::Function::New(env, Sum, "sum"));
  exports.Set("sumAround", Napi::Function::New(env, SumAround, "sumAround"));
  exports.Set("softmax", Napi::Function::New(env, Softmax, "softmax"));
  exports.Set("im2col", Napi::Function::New(env, Im2col, "im2col"));
  exports.Set("batchNormStats", Napi::Function::New(env, BatchNormStats, "batchNormStats"));
  exports.Set("batchNormElemt", Napi::Function::New(env, BatchNormElemt, "batchNormElemt"));
  exports.Set("batchNormBackward", Napi::Function::New(env, BatchNormBackward, "batchNormBackward"));
  exports.Set("col2im", Napi::Function::New(env, Col2im, "col2im"));
  exports.Set("maxPool", Napi::Function::New(env, MaxPool, "maxPool"));
  exports.Set("maxPoolBackward", Napi::Function::New(env, MaxPoolBackward, "maxPoolBackward"));
  exports.Set("getNumThreads", Napi::Function::New(env, GetNumThreads, "getNumThreads"));
  exports.Set("setNumThreads", Napi::Function::New(env, SetNumThreads, "setNumThreads"));
  exports.Set("isa", Napi::Function::New(env, GetIsa, "isa"));
  exports.Set("bestIsa", Napi::Function::New(env, BestIsa, "bestIsa"));
  exports.Set("setIsa", Napi::Function::New(env, SetIsa, "setIsa"));
  exports.Set("abiVersion", Napi::Number::New(env, 3));
  return exports;
}

}  // namespace

NODE_API_MODULE(kindling_native, Init)
