#include "cublas.h"

#include <dlfcn.h>

#include <cstdlib>
#include <vector>

namespace kindling {

Cublas& cublas() {
  static Cublas lib = [] {
    Cublas c;
    std::vector<std::string> names;
    if (const char* env = std::getenv("KINDLING_CUBLAS")) names.emplace_back(env);
    names.insert(names.end(), {"libcublas.so.13", "libcublas.so.12", "libcublas.so"});
    std::string errors;
    for (const auto& n : names) {
      c.handle_lib = dlopen(n.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (c.handle_lib) {
        c.path = n;
        break;
      }
      const char* e = dlerror();
      errors += (errors.empty() ? "" : "; ") + std::string(e ? e : n.c_str());
    }
    if (!c.handle_lib) {
      c.error = "cuBLAS could not be loaded (" + errors + "); put libcublas.so.13 (or .12) on LD_LIBRARY_PATH or set KINDLING_CUBLAS";
      return c;
    }
    auto sym = [&](const char* name) {
      void* p = dlsym(c.handle_lib, name);
      if (!p && c.error.empty()) c.error = std::string("cuBLAS lacks ") + name;
      return p;
    };
    c.create = reinterpret_cast<decltype(c.create)>(sym("cublasCreate_v2"));
    c.destroy = reinterpret_cast<decltype(c.destroy)>(sym("cublasDestroy_v2"));
    c.set_stream = reinterpret_cast<decltype(c.set_stream)>(sym("cublasSetStream_v2"));
    c.set_math_mode = reinterpret_cast<decltype(c.set_math_mode)>(sym("cublasSetMathMode"));
    c.gemm_strided_batched_ex = reinterpret_cast<decltype(c.gemm_strided_batched_ex)>(sym("cublasGemmStridedBatchedEx"));
    c.ok = c.error.empty();
    return c;
  }();
  return lib;
}

}  // namespace kindling
