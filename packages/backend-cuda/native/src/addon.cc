// @kindling/backend-cuda's native addon: device queries, the caching allocator, copies, streams and
// events, kernel launches (kernels.cu) and cuBLAS GEMM (cublas.cc, loaded at run time). cudart is
// linked statically, so the addon loads on machines without a driver and reports why CUDA is unusable.
#include <cuda_runtime.h>
#include <napi.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "allocator.h"
#include "cublas.h"
#include "kernels.h"

using namespace kindling;

namespace {

constexpr int kAbiVersion = 1;

std::string cuda_error(cudaError_t e) { return std::string(cudaGetErrorName(e)) + ": " + cudaGetErrorString(e); }

void check(Napi::Env env, cudaError_t e, const char* what) {
  if (e != cudaSuccess) {
    cudaGetLastError();  // clear a sticky-free error so the next call is not blamed
    throw Napi::Error::New(env, std::string("CUDA error in ") + what + ": " + cuda_error(e));
  }
}
void check(Napi::Env env, int e, const char* what) { check(env, static_cast<cudaError_t>(e), what); }

// ---- devices ---------------------------------------------------------------------------------

struct Init {
  int device_count = 0;
  std::string reason;  // empty: usable
  int runtime_version = 0, driver_version = 0;
};

Init& init() {
  static Init s = [] {
    Init r;
    cudaRuntimeGetVersion(&r.runtime_version);
    cudaDriverGetVersion(&r.driver_version);
    cudaError_t e = cudaGetDeviceCount(&r.device_count);
    if (e != cudaSuccess) {
      r.device_count = 0;
      if (e == cudaErrorInsufficientDriver && r.driver_version == 0) r.reason = "no CUDA driver was found (" + cuda_error(e) + ")";
      else if (e == cudaErrorInsufficientDriver)
        r.reason = "the CUDA driver (version " + std::to_string(r.driver_version) + ") is older than the runtime (version " +
                   std::to_string(r.runtime_version) + ") (" + cuda_error(e) + ")";
      else if (e == cudaErrorNoDevice) r.reason = "no CUDA-capable device was found (" + cuda_error(e) + ")";
      else r.reason = "CUDA could not be initialized (" + cuda_error(e) + ")";
      cudaGetLastError();
    } else if (r.device_count == 0) {
      r.reason = "no CUDA-capable device was found";
    }
    return r;
  }();
  return s;
}

void require_device(Napi::Env env, int dev) {
  Init& s = init();
  if (!s.reason.empty()) throw Napi::Error::New(env, "CUDA is not available: " + s.reason);
  if (dev < 0 || dev >= s.device_count)
    throw Napi::RangeError::New(env, "Invalid device id " + std::to_string(dev) + ": " + std::to_string(s.device_count) + " CUDA device(s) are available");
}

// ---- allocators --------------------------------------------------------------------------------

/** cudaMalloc/cudaFree on one device, leaving the caller's current device as it was. */
struct CudaRaw {
  int device;
  struct OnDevice {
    int prev = 0;
    explicit OnDevice(int d) {
      cudaGetDevice(&prev);
      if (prev != d) cudaSetDevice(d);
    }
    ~OnDevice() { cudaSetDevice(prev); }
  };
  bool alloc(size_t n, uintptr_t* p) {
    OnDevice on(device);
    void* q = nullptr;
    cudaError_t e = cudaMalloc(&q, n);
    if (e != cudaSuccess) {
      cudaGetLastError();
      return false;
    }
    *p = reinterpret_cast<uintptr_t>(q);
    return true;
  }
  void free(uintptr_t p) {
    OnDevice on(device);
    cudaFree(reinterpret_cast<void*>(p));
  }
  size_t total() const {
    OnDevice on(device);
    size_t f = 0, t = 0;
    cudaMemGetInfo(&f, &t);
    return t;
  }
};

/** Host memory as the raw allocator, with a capacity: the same caching logic, testable without a GPU. */
struct HostRaw {
  size_t capacity, used = 0;
  std::shared_ptr<std::vector<std::pair<uintptr_t, size_t>>> live = std::make_shared<std::vector<std::pair<uintptr_t, size_t>>>();
  bool alloc(size_t n, uintptr_t* p) {
    if (used + n > capacity) return false;
    void* q = std::malloc(n);
    if (!q) return false;
    used += n;
    *p = reinterpret_cast<uintptr_t>(q);
    live->emplace_back(*p, n);
    return true;
  }
  void free(uintptr_t p) {
    for (auto it = live->begin(); it != live->end(); ++it) {
      if (it->first == p) {
        used -= it->second;
        live->erase(it);
        break;
      }
    }
    std::free(reinterpret_cast<void*>(p));
  }
  size_t total() const { return capacity; }
};

std::vector<std::unique_ptr<CachingAllocator<CudaRaw>>>& device_allocators() {
  static std::vector<std::unique_ptr<CachingAllocator<CudaRaw>>> a;
  return a;
}
CachingAllocator<CudaRaw>& allocator_for(Napi::Env env, int dev) {
  require_device(env, dev);
  auto& a = device_allocators();
  if (a.size() < size_t(init().device_count)) a.resize(init().device_count);
  if (!a[dev]) a[dev] = std::make_unique<CachingAllocator<CudaRaw>>(CudaRaw{dev}, dev);
  return *a[dev];
}

template <class A>
Napi::Object stats_object(Napi::Env env, const A& alloc) {
  const DeviceStats& s = alloc.stats();
  Napi::Object o = Napi::Object::New(env);
  auto put = [&](const std::string& key, const Stat& st) {
    o.Set(key + ".current", Napi::Number::New(env, double(st.current)));
    o.Set(key + ".peak", Napi::Number::New(env, double(st.peak)));
    o.Set(key + ".allocated", Napi::Number::New(env, double(st.allocated)));
    o.Set(key + ".freed", Napi::Number::New(env, double(st.freed)));
  };
  const char* pools[3] = {"all", "large_pool", "small_pool"};
  const std::pair<const char*, const StatArray*> arrays[] = {
      {"allocated_bytes", &s.allocated_bytes}, {"reserved_bytes", &s.reserved_bytes}, {"active_bytes", &s.active_bytes},
      {"inactive_split_bytes", &s.inactive_split_bytes}, {"allocation", &s.allocation}, {"segment", &s.segment},
      {"active", &s.active}, {"inactive_split", &s.inactive_split}};
  for (auto& [name, arr] : arrays)
    for (int p = 0; p < 3; ++p) put(std::string(name) + "." + pools[p], arr->s[p]);
  put("oversize_allocations", s.oversize_allocations);
  put("oversize_segments", s.oversize_segments);
  o.Set("num_alloc_retries", Napi::Number::New(env, double(s.num_alloc_retries)));
  o.Set("num_ooms", Napi::Number::New(env, double(s.num_ooms)));
  o.Set("max_split_size", Napi::Number::New(env, double(s.max_split_size)));
  return o;
}

uintptr_t ptr_arg(const Napi::Value& v) {
  bool lossless = true;
  return static_cast<uintptr_t>(v.As<Napi::BigInt>().Uint64Value(&lossless));
}

// ---- streams ---------------------------------------------------------------------------------

cudaStream_t g_stream = nullptr;  // the current stream (nullptr: the legacy default stream)

// ---- exported functions ------------------------------------------------------------------------

Napi::Value Status(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Init& s = init();
  Napi::Object o = Napi::Object::New(env);
  o.Set("deviceCount", s.device_count);
  o.Set("reason", s.reason.empty() ? env.Null() : Napi::String::New(env, s.reason));
  o.Set("runtimeVersion", s.runtime_version);
  o.Set("driverVersion", s.driver_version);
  return o;
}

Napi::Value DeviceName(const Napi::CallbackInfo& info) {
  int dev = info[0].As<Napi::Number>().Int32Value();
  require_device(info.Env(), dev);
  cudaDeviceProp p;
  check(info.Env(), cudaGetDeviceProperties(&p, dev), "cudaGetDeviceProperties");
  return Napi::String::New(info.Env(), p.name);
}

Napi::Value DeviceCapability(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int dev = info[0].As<Napi::Number>().Int32Value();
  require_device(env, dev);
  int major = 0, minor = 0;
  check(env, cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, dev), "cudaDeviceGetAttribute");
  check(env, cudaDeviceGetAttribute(&minor, cudaDevAttrComputeCapabilityMinor, dev), "cudaDeviceGetAttribute");
  Napi::Array a = Napi::Array::New(env, 2);
  a.Set(0u, major);
  a.Set(1u, minor);
  return a;
}

Napi::Value TotalMemory(const Napi::CallbackInfo& info) {
  int dev = info[0].As<Napi::Number>().Int32Value();
  require_device(info.Env(), dev);
  cudaDeviceProp p;
  check(info.Env(), cudaGetDeviceProperties(&p, dev), "cudaGetDeviceProperties");
  return Napi::Number::New(info.Env(), double(p.totalGlobalMem));
}

Napi::Value SetDevice(const Napi::CallbackInfo& info) {
  int dev = info[0].As<Napi::Number>().Int32Value();
  require_device(info.Env(), dev);
  check(info.Env(), cudaSetDevice(dev), "cudaSetDevice");
  return info.Env().Undefined();
}

Napi::Value CurrentDevice(const Napi::CallbackInfo& info) {
  require_device(info.Env(), 0);
  int dev = 0;
  check(info.Env(), cudaGetDevice(&dev), "cudaGetDevice");
  return Napi::Number::New(info.Env(), dev);
}

Napi::Value Synchronize(const Napi::CallbackInfo& info) {
  int dev = info[0].As<Napi::Number>().Int32Value();
  require_device(info.Env(), dev);
  int prev = 0;
  cudaGetDevice(&prev);
  cudaSetDevice(dev);
  cudaError_t e = cudaDeviceSynchronize();
  cudaSetDevice(prev);
  check(info.Env(), e, "cudaDeviceSynchronize");
  return info.Env().Undefined();
}

Napi::Value Malloc(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int dev = info[0].As<Napi::Number>().Int32Value();
  double n = info[1].As<Napi::Number>().DoubleValue();
  auto& a = allocator_for(env, dev);
  if (n <= 0) return Napi::BigInt::New(env, uint64_t(0));
  try {
    uintptr_t p = a.malloc(size_t(n));
    Napi::MemoryManagement::AdjustExternalMemory(env, int64_t(CachingAllocator<CudaRaw>::round_size(size_t(n))));
    return Napi::BigInt::New(env, uint64_t(p));
  } catch (const OutOfMemory& e) {
    Napi::Error err = Napi::Error::New(env, e.what());
    err.Set("name", Napi::String::New(env, "OutOfMemoryError"));
    throw err;
  }
}

Napi::Value Free(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int dev = info[0].As<Napi::Number>().Int32Value();
  uintptr_t p = ptr_arg(info[1]);
  if (p == 0) return env.Undefined();
  auto& a = allocator_for(env, dev);
  size_t n = CachingAllocator<CudaRaw>::round_size(a.requested_of(p));
  try {
    a.free(p);
  } catch (const std::exception& e) {
    throw Napi::Error::New(env, e.what());
  }
  Napi::MemoryManagement::AdjustExternalMemory(env, -int64_t(n));
  return env.Undefined();
}

Napi::Value MemoryStats(const Napi::CallbackInfo& info) {
  int dev = info[0].As<Napi::Number>().Int32Value();
  return stats_object(info.Env(), allocator_for(info.Env(), dev));
}

Napi::Value ResetPeak(const Napi::CallbackInfo& info) {
  int dev = info[0].As<Napi::Number>().Int32Value();
  allocator_for(info.Env(), dev).reset_peak_stats();
  return info.Env().Undefined();
}

Napi::Value EmptyCache(const Napi::CallbackInfo& info) {
  // Cached blocks may still be used by queued kernels: wait for them first.
  for (auto& a : device_allocators()) {
    if (!a) continue;
    cudaDeviceSynchronize();
    a->empty_cache();
  }
  return info.Env().Undefined();
}

Napi::Value WriteHost(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uintptr_t dst = ptr_arg(info[0]);
  double off = info[1].As<Napi::Number>().DoubleValue();
  Napi::TypedArray src = info[2].As<Napi::TypedArray>();
  auto* bytes = static_cast<uint8_t*>(src.ArrayBuffer().Data()) + src.ByteOffset();
  check(env, cudaMemcpyAsync(reinterpret_cast<void*>(dst + size_t(off)), bytes, src.ByteLength(), cudaMemcpyHostToDevice, g_stream), "cudaMemcpy (host to device)");
  // The host buffer belongs to JS: it may change as soon as we return.
  check(env, cudaStreamSynchronize(g_stream), "cudaStreamSynchronize");
  return env.Undefined();
}

Napi::Value ReadHost(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uintptr_t src = ptr_arg(info[0]);
  double off = info[1].As<Napi::Number>().DoubleValue();
  size_t n = size_t(info[2].As<Napi::Number>().DoubleValue());
  Napi::Uint8Array out = Napi::Uint8Array::New(env, n);
  if (n > 0) {
    check(env, cudaMemcpyAsync(out.Data(), reinterpret_cast<void*>(src + size_t(off)), n, cudaMemcpyDeviceToHost, g_stream), "cudaMemcpy (device to host)");
    check(env, cudaStreamSynchronize(g_stream), "cudaStreamSynchronize");
  }
  return out;
}

Napi::Value CopyDevice(const Napi::CallbackInfo& info) {
  uintptr_t dst = ptr_arg(info[0]);
  uintptr_t src = ptr_arg(info[1]);
  size_t n = size_t(info[2].As<Napi::Number>().DoubleValue());
  if (n > 0) check(info.Env(), cudaMemcpyAsync(reinterpret_cast<void*>(dst), reinterpret_cast<void*>(src), n, cudaMemcpyDeviceToDevice, g_stream), "cudaMemcpy (device to device)");
  return info.Env().Undefined();
}

void read_operand(Napi::Object o, int ndim, Operand& op) {
  op.ptr = ptr_arg(o.Get("ptr"));
  op.dtype = o.Get("dtype").As<Napi::Number>().Int32Value();
  Napi::Array st = o.Get("strides").As<Napi::Array>();
  for (int d = 0; d < ndim; ++d) op.strides[d] = st.Get(uint32_t(d)).As<Napi::Number>().Int64Value();
}

Napi::Value Elementwise(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ElementwiseArgs a;
  std::memset(&a, 0, sizeof a);
  a.op = info[0].As<Napi::Number>().Int32Value();
  Napi::Array shape = info[1].As<Napi::Array>();
  a.ndim = int(shape.Length());
  if (a.ndim > kMaxDims) throw Napi::RangeError::New(env, "cuda elementwise kernels take at most 8 dims");
  for (int d = 0; d < a.ndim; ++d) a.shape[d] = shape.Get(uint32_t(d)).As<Napi::Number>().Int64Value();
  read_operand(info[2].As<Napi::Object>(), a.ndim, a.out);
  Napi::Array ins = info[3].As<Napi::Array>();
  a.ninputs = int(ins.Length());
  for (int k = 0; k < a.ninputs && k < 3; ++k) read_operand(ins.Get(uint32_t(k)).As<Napi::Object>(), a.ndim, a.in[k]);
  if (info.Length() > 4 && info[4].IsNumber()) a.scalar = info[4].As<Napi::Number>().DoubleValue();
  if (info.Length() > 5 && info[5].IsBigInt()) {
    bool lossless = true;
    a.iscalar = info[5].As<Napi::BigInt>().Int64Value(&lossless);
  } else {
    a.iscalar = int64_t(a.scalar);
  }
  check(env, launch_elementwise(a, g_stream), "elementwise kernel launch");
  return env.Undefined();
}

Napi::Value Reduce(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ReduceArgs a;
  std::memset(&a, 0, sizeof a);
  a.op = info[0].As<Napi::Number>().Int32Value();
  Napi::Array os = info[1].As<Napi::Array>(), rs = info[2].As<Napi::Array>();
  a.odim = int(os.Length());
  a.rdim = int(rs.Length());
  if (a.odim > kMaxDims || a.rdim > kMaxDims) throw Napi::RangeError::New(env, "cuda reductions take at most 8 kept and 8 reduced dims");
  for (int d = 0; d < a.odim; ++d) a.oshape[d] = os.Get(uint32_t(d)).As<Napi::Number>().Int64Value();
  for (int d = 0; d < a.rdim; ++d) a.rshape[d] = rs.Get(uint32_t(d)).As<Napi::Number>().Int64Value();
  read_operand(info[3].As<Napi::Object>(), a.odim, a.out);
  Napi::Object in = info[4].As<Napi::Object>();
  a.in_ptr = ptr_arg(in.Get("ptr"));
  a.in_dtype = in.Get("dtype").As<Napi::Number>().Int32Value();
  Napi::Array ios = in.Get("ostrides").As<Napi::Array>(), irs = in.Get("rstrides").As<Napi::Array>();
  for (int d = 0; d < a.odim; ++d) a.in_ostrides[d] = ios.Get(uint32_t(d)).As<Napi::Number>().Int64Value();
  for (int d = 0; d < a.rdim; ++d) a.in_rstrides[d] = irs.Get(uint32_t(d)).As<Napi::Number>().Int64Value();
  check(env, launch_reduce(a, g_stream), "reduction kernel launch");
  return env.Undefined();
}

Napi::Value Softmax(const Napi::CallbackInfo& info) {
  bool log = info[0].As<Napi::Boolean>().Value();
  int dt = info[1].As<Napi::Number>().Int32Value();
  uintptr_t in = ptr_arg(info[2]), out = ptr_arg(info[3]);
  int64_t outer = info[4].As<Napi::Number>().Int64Value(), dim = info[5].As<Napi::Number>().Int64Value(), inner = info[6].As<Napi::Number>().Int64Value();
  check(info.Env(), launch_softmax(log, dt, in, out, outer, dim, inner, g_stream), "softmax kernel launch");
  return info.Env().Undefined();
}

// ---- GEMM ------------------------------------------------------------------------------------

bool g_allow_tf32 = false;
std::vector<void*> g_cublas_handles;  // one per device, made on first use there

void read3(Napi::Array a, int64_t* s) {
  for (uint32_t i = 0; i < 3; ++i) s[i] = a.Get(i).As<Napi::Number>().Int64Value();
}

/** How one strided batched product maps onto cublasGemmStridedBatchedEx (see Gemm), or ok=false. */
struct GemmPlan {
  bool ok = false;
  int transa = 0, transb = 0;
  int64_t lda = 0, ldb = 0, ldc = 0;
};

GemmPlan gemm_plan(int64_t batch, int64_t n, int64_t m, int64_t k, const int64_t* as, const int64_t* bs, const int64_t* cs) {
  // A row-major (rows × cols) matrix with strides (rs, cs_) seen by column-major cuBLAS: unit column
  // stride makes it its transpose with ld = rs (op N of the transpose); unit row stride makes it itself
  // with ld = cs_ (op T gives the transpose).
  auto lead = [](int64_t rs, int64_t cs_, int64_t rows, int64_t cols, int* trans, int64_t* ld) {
    if (cs_ == 1 && (rs >= cols || rows == 1)) {
      *trans = K_CUBLAS_OP_N;
      *ld = rows == 1 ? (cols > 0 ? cols : 1) : rs;
      return true;
    }
    if (rs == 1 && (cs_ >= rows || cols == 1)) {
      *trans = K_CUBLAS_OP_T;
      *ld = cols == 1 ? (rows > 0 ? rows : 1) : cs_;
      return true;
    }
    return false;
  };
  GemmPlan p;
  int tc = 0;
  p.ok = lead(as[1], as[2], n, k, &p.transa, &p.lda) && lead(bs[1], bs[2], k, m, &p.transb, &p.ldb) && lead(cs[1], cs[2], n, m, &tc, &p.ldc) &&
         tc == K_CUBLAS_OP_N && k > 0 && n < (1LL << 31) && m < (1LL << 31) && k < (1LL << 31) && batch < (1LL << 31);
  return p;
}

/** gemmPlan(batch, n, m, k, aStrides, bStrides, cStrides): the plan, for tests (no GPU needed). */
Napi::Value GemmPlanJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int64_t batch = info[0].As<Napi::Number>().Int64Value(), n = info[1].As<Napi::Number>().Int64Value();
  int64_t m = info[2].As<Napi::Number>().Int64Value(), k = info[3].As<Napi::Number>().Int64Value();
  int64_t as[3], bs[3], cs[3];
  read3(info[4].As<Napi::Array>(), as);
  read3(info[5].As<Napi::Array>(), bs);
  read3(info[6].As<Napi::Array>(), cs);
  GemmPlan p = gemm_plan(batch, n, m, k, as, bs, cs);
  Napi::Object o = Napi::Object::New(env);
  o.Set("ok", p.ok);
  o.Set("transa", p.transa == K_CUBLAS_OP_T ? "T" : "N");
  o.Set("transb", p.transb == K_CUBLAS_OP_T ? "T" : "N");
  o.Set("lda", double(p.lda));
  o.Set("ldb", double(p.ldb));
  o.Set("ldc", double(p.ldc));
  return o;
}

/**
 * C[b] (n×m, row-major strides cs) = A[b] (n×k) @ B[b] (k×m). cuBLAS is column-major: a row-major
 * matrix with unit column stride is its transpose in column-major, so C^T = B^T A^T is computed,
 * each operand transposed or not according to which of its strides is 1.
 */
Napi::Value Gemm(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int dt = info[0].As<Napi::Number>().Int32Value();
  int64_t batch = info[1].As<Napi::Number>().Int64Value(), n = info[2].As<Napi::Number>().Int64Value();
  int64_t m = info[3].As<Napi::Number>().Int64Value(), k = info[4].As<Napi::Number>().Int64Value();
  uintptr_t A = ptr_arg(info[5]), B = ptr_arg(info[7]), C = ptr_arg(info[9]);
  int64_t as[3], bs[3], cs[3];
  read3(info[6].As<Napi::Array>(), as);
  read3(info[8].As<Napi::Array>(), bs);
  read3(info[10].As<Napi::Array>(), cs);
  if (batch == 0 || n == 0 || m == 0) return env.Undefined();
  bool floating = dt == F32 || dt == F64 || dt == F16 || dt == BF16;
  // cuBLAS wants C with unit column stride and each of A, B with a unit stride in one of its dims.
  GemmPlan plan = gemm_plan(batch, n, m, k, as, bs, cs);
  bool layout_ok = plan.ok;
  int ta = plan.transa, tb = plan.transb;
  int64_t lda = plan.lda, ldb = plan.ldb, ldc = plan.ldc;
  Cublas& cb = cublas();
  if (floating && layout_ok && cb.ok) {
    int dev = 0;
    cudaGetDevice(&dev);
    if (g_cublas_handles.size() <= size_t(dev)) g_cublas_handles.resize(dev + 1, nullptr);
    void*& handle = g_cublas_handles[dev];
    if (!handle && cb.create(&handle) != 0) throw Napi::Error::New(env, "cublasCreate failed (is a CUDA device available?)");
    cb.set_stream(handle, g_stream);
    int type = dt == F32 ? K_CUDA_R_32F : dt == F64 ? K_CUDA_R_64F : dt == F16 ? K_CUDA_R_16F : K_CUDA_R_16BF;
    int compute = dt == F64 ? K_CUBLAS_COMPUTE_64F : (dt == F32 && g_allow_tf32 ? K_CUBLAS_COMPUTE_32F_FAST_TF32 : K_CUBLAS_COMPUTE_32F);
    double alpha64 = 1.0, beta64 = 0.0;
    float alpha32 = 1.0f, beta32 = 0.0f;
    const void* alpha = dt == F64 ? static_cast<const void*>(&alpha64) : static_cast<const void*>(&alpha32);
    const void* beta = dt == F64 ? static_cast<const void*>(&beta64) : static_cast<const void*>(&beta32);
    // Column-major view: C^T (m×n, ld ldc) = op(B)^T-ish: we pass B first with its row-major transpose flag.
    int st = cb.gemm_strided_batched_ex(handle, tb, ta, int(m), int(n), int(k), alpha, reinterpret_cast<const void*>(B), type, int(ldb),
                                        (long long)bs[0], reinterpret_cast<const void*>(A), type, int(lda), (long long)as[0], beta,
                                        reinterpret_cast<void*>(C), type, int(ldc), (long long)cs[0], int(batch), compute, K_CUBLAS_GEMM_DEFAULT);
    if (st != 0) throw Napi::Error::New(env, "cublasGemmStridedBatchedEx failed with status " + std::to_string(st));
    return env.Undefined();
  }
  check(env, launch_gemm_fallback(dt, batch, n, m, k, A, as, B, bs, C, cs, g_stream), "gemm kernel launch");
  return env.Undefined();
}

Napi::Value CublasStatus(const Napi::CallbackInfo& info) {
  Cublas& cb = cublas();
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("loaded", cb.ok);
  o.Set("path", cb.ok ? Napi::String::New(info.Env(), cb.path) : info.Env().Null());
  o.Set("error", cb.ok ? info.Env().Null() : Napi::String::New(info.Env(), cb.error));
  return o;
}

Napi::Value SetAllowTF32(const Napi::CallbackInfo& info) {
  g_allow_tf32 = info[0].As<Napi::Boolean>().Value();
  return info.Env().Undefined();
}

// ---- streams and events ------------------------------------------------------------------------

Napi::Value CreateStream(const Napi::CallbackInfo& info) {
  require_device(info.Env(), 0);
  cudaStream_t s;
  check(info.Env(), cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking), "cudaStreamCreate");
  return Napi::BigInt::New(info.Env(), uint64_t(reinterpret_cast<uintptr_t>(s)));
}
Napi::Value DestroyStream(const Napi::CallbackInfo& info) {
  auto s = reinterpret_cast<cudaStream_t>(ptr_arg(info[0]));
  if (s == g_stream) g_stream = nullptr;
  check(info.Env(), cudaStreamDestroy(s), "cudaStreamDestroy");
  return info.Env().Undefined();
}
Napi::Value SetStream(const Napi::CallbackInfo& info) {
  g_stream = reinterpret_cast<cudaStream_t>(ptr_arg(info[0]));
  return info.Env().Undefined();
}
Napi::Value GetStream(const Napi::CallbackInfo& info) {
  return Napi::BigInt::New(info.Env(), uint64_t(reinterpret_cast<uintptr_t>(g_stream)));
}
Napi::Value StreamSynchronize(const Napi::CallbackInfo& info) {
  check(info.Env(), cudaStreamSynchronize(reinterpret_cast<cudaStream_t>(ptr_arg(info[0]))), "cudaStreamSynchronize");
  return info.Env().Undefined();
}
Napi::Value CreateEvent(const Napi::CallbackInfo& info) {
  require_device(info.Env(), 0);
  bool timing = info.Length() > 0 && info[0].As<Napi::Boolean>().Value();
  cudaEvent_t e;
  check(info.Env(), cudaEventCreateWithFlags(&e, timing ? cudaEventDefault : cudaEventDisableTiming), "cudaEventCreate");
  return Napi::BigInt::New(info.Env(), uint64_t(reinterpret_cast<uintptr_t>(e)));
}
Napi::Value RecordEvent(const Napi::CallbackInfo& info) {
  auto e = reinterpret_cast<cudaEvent_t>(ptr_arg(info[0]));
  auto s = info.Length() > 1 ? reinterpret_cast<cudaStream_t>(ptr_arg(info[1])) : g_stream;
  check(info.Env(), cudaEventRecord(e, s), "cudaEventRecord");
  return info.Env().Undefined();
}
Napi::Value EventSynchronize(const Napi::CallbackInfo& info) {
  check(info.Env(), cudaEventSynchronize(reinterpret_cast<cudaEvent_t>(ptr_arg(info[0]))), "cudaEventSynchronize");
  return info.Env().Undefined();
}
Napi::Value EventElapsed(const Napi::CallbackInfo& info) {
  float ms = 0;
  check(info.Env(), cudaEventElapsedTime(&ms, reinterpret_cast<cudaEvent_t>(ptr_arg(info[0])), reinterpret_cast<cudaEvent_t>(ptr_arg(info[1]))),
        "cudaEventElapsedTime");
  return Napi::Number::New(info.Env(), ms);
}
Napi::Value DestroyEvent(const Napi::CallbackInfo& info) {
  check(info.Env(), cudaEventDestroy(reinterpret_cast<cudaEvent_t>(ptr_arg(info[0]))), "cudaEventDestroy");
  return info.Env().Undefined();
}

// ---- the caching allocator on host memory (tests) ------------------------------------------------

class HostCachingAllocator : public Napi::ObjectWrap<HostCachingAllocator> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "HostCachingAllocator",
                       {InstanceMethod("malloc", &HostCachingAllocator::Malloc), InstanceMethod("free", &HostCachingAllocator::Free),
                        InstanceMethod("memoryStats", &HostCachingAllocator::Stats), InstanceMethod("emptyCache", &HostCachingAllocator::Empty),
                        InstanceMethod("resetPeakMemoryStats", &HostCachingAllocator::Reset),
                        InstanceMethod("rawBytesInUse", &HostCachingAllocator::RawUsed)});
  }
  explicit HostCachingAllocator(const Napi::CallbackInfo& info) : Napi::ObjectWrap<HostCachingAllocator>(info) {
    double cap = info.Length() > 0 ? info[0].As<Napi::Number>().DoubleValue() : double(1ull << 32);
    raw_ = HostRaw{size_t(cap)};
    alloc_ = std::make_unique<CachingAllocator<HostRaw>>(raw_, 0);
  }

 private:
  Napi::Value Malloc(const Napi::CallbackInfo& info) {
    try {
      return Napi::BigInt::New(info.Env(), uint64_t(alloc_->malloc(size_t(info[0].As<Napi::Number>().DoubleValue()))));
    } catch (const OutOfMemory& e) {
      Napi::Error err = Napi::Error::New(info.Env(), e.what());
      err.Set("name", Napi::String::New(info.Env(), "OutOfMemoryError"));
      throw err;
    }
  }
  Napi::Value Free(const Napi::CallbackInfo& info) {
    try {
      alloc_->free(ptr_arg(info[0]));
    } catch (const std::exception& e) {
      throw Napi::Error::New(info.Env(), e.what());
    }
    return info.Env().Undefined();
  }
  Napi::Value Stats(const Napi::CallbackInfo& info) { return stats_object(info.Env(), *alloc_); }
  Napi::Value Empty(const Napi::CallbackInfo& info) {
    alloc_->empty_cache();
    return info.Env().Undefined();
  }
  Napi::Value Reset(const Napi::CallbackInfo& info) {
    alloc_->reset_peak_stats();
    return info.Env().Undefined();
  }
  Napi::Value RawUsed(const Napi::CallbackInfo& info) {
    size_t used = 0;
    for (auto& [p, n] : *raw_.live) used += n;
    return Napi::Number::New(info.Env(), double(used));
  }
  HostRaw raw_{0};
  std::unique_ptr<CachingAllocator<HostRaw>> alloc_;
};

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("abiVersion", kAbiVersion);
  exports.Set("status", Napi::Function::New(env, Status));
  exports.Set("getDeviceName", Napi::Function::New(env, DeviceName));
  exports.Set("getDeviceCapability", Napi::Function::New(env, DeviceCapability));
  exports.Set("totalMemory", Napi::Function::New(env, TotalMemory));
  exports.Set("setDevice", Napi::Function::New(env, SetDevice));
  exports.Set("currentDevice", Napi::Function::New(env, CurrentDevice));
  exports.Set("synchronize", Napi::Function::New(env, Synchronize));
  exports.Set("malloc", Napi::Function::New(env, Malloc));
  exports.Set("free", Napi::Function::New(env, Free));
  exports.Set("memoryStats", Napi::Function::New(env, MemoryStats));
  exports.Set("resetPeakMemoryStats", Napi::Function::New(env, ResetPeak));
  exports.Set("emptyCache", Napi::Function::New(env, EmptyCache));
  exports.Set("writeHost", Napi::Function::New(env, WriteHost));
  exports.Set("readHost", Napi::Function::New(env, ReadHost));
  exports.Set("copyDevice", Napi::Function::New(env, CopyDevice));
  exports.Set("elementwise", Napi::Function::New(env, Elementwise));
  exports.Set("reduce", Napi::Function::New(env, Reduce));
  exports.Set("softmax", Napi::Function::New(env, Softmax));
  exports.Set("gemm", Napi::Function::New(env, Gemm));
  exports.Set("gemmPlan", Napi::Function::New(env, GemmPlanJs));
  exports.Set("cublasStatus", Napi::Function::New(env, CublasStatus));
  exports.Set("setAllowTF32", Napi::Function::New(env, SetAllowTF32));
  exports.Set("createStream", Napi::Function::New(env, CreateStream));
  exports.Set("destroyStream", Napi::Function::New(env, DestroyStream));
  exports.Set("setStream", Napi::Function::New(env, SetStream));
  exports.Set("getStream", Napi::Function::New(env, GetStream));
  exports.Set("streamSynchronize", Napi::Function::New(env, StreamSynchronize));
  exports.Set("createEvent", Napi::Function::New(env, CreateEvent));
  exports.Set("recordEvent", Napi::Function::New(env, RecordEvent));
  exports.Set("eventSynchronize", Napi::Function::New(env, EventSynchronize));
  exports.Set("eventElapsedTime", Napi::Function::New(env, EventElapsed));
  exports.Set("destroyEvent", Napi::Function::New(env, DestroyEvent));
  exports.Set("HostCachingAllocator", HostCachingAllocator::Define(env));
  return exports;
}

}  // namespace

NODE_API_MODULE(kindling_cuda, Init)
