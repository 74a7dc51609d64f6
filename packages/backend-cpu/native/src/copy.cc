// Strided copies of any element type: the copy op when source and destination have one dtype
// (contiguous(), permutes and other views made dense, writes into views). Elements are moved as
// bytes of their size, so every dtype is copied bit for bit.
#include <algorithm>
#include <cstring>
#include <vector>

#include "kernels.h"
#include "threadpool.h"

namespace kd {

namespace {

constexpr int64_t kGrain = 1 << 16;

template <typename T>
void copy_rows(const CopyGeometry& g, int64_t first, int64_t last, const char* src, char* dst) {
  const int nd = static_cast<int>(g.shape.size());
  const int64_t n = g.shape[nd - 1];
  const int64_t ss = g.src_strides[nd - 1], ds = g.dst_strides[nd - 1];
  // The row `first` as an index over the outer dims.
  std::vector<int64_t> idx(static_cast<size_t>(nd), 0);
  int64_t rem = first, so = 0, dof = 0;
  for (int d = nd - 2; d >= 0; d--) {
    idx[d] = rem % g.shape[d];
    rem /= g.shape[d];
    so += idx[d] * g.src_strides[d];
    dof += idx[d] * g.dst_strides[d];
  }
  const T* s = reinterpret_cast<const T*>(src);
  T* o = reinterpret_cast<T*>(dst);
  for (int64_t r = first; r < last; r++) {
    if (ss == 1 && ds == 1) std::memcpy(o + dof, s + so, static_cast<size_t>(n) * sizeof(T));
    else if (ds == 1)
      for (int64_t j = 0; j < n; j++) o[dof + j] = s[so + j * ss];
    else
      for (int64_t j = 0; j < n; j++) o[dof + j * ds] = s[so + j * ss];
    for (int d = nd - 2; d >= 0; d--) {
      so += g.src_strides[d];
      dof += g.dst_strides[d];
      if (++idx[d] < g.shape[d]) break;
      so -= g.src_strides[d] * g.shape[d];
      dof -= g.dst_strides[d] * g.shape[d];
      idx[d] = 0;
    }
  }
}

template <typename T>
void copy_typed(const CopyGeometry& g, const void* src, void* dst) {
  const int nd = static_cast<int>(g.shape.size());
  int64_t rows = 1;
  for (int d = 0; d < nd - 1; d++) rows *= g.shape[d];
  const int64_t n = g.shape[nd - 1];
  const auto* s = static_cast<const char*>(src);
  auto* o = static_cast<char*>(dst);
  if (rows * n <= kGrain || rows == 1 || num_threads() == 1) {
    copy_rows<T>(g, 0, rows, s, o);
    return;
  }
  const int64_t per = std::max<int64_t>(1, kGrain / std::max<int64_t>(1, n));
  parallel_for((rows + per - 1) / per, [&](int64_t t) { copy_rows<T>(g, t * per, std::min(rows, (t + 1) * per), s, o); });
}

}  // namespace

void copy_strided(int elem_size, const CopyGeometry& g, const void* src, void* dst) {
  if (g.shape.empty()) return;
  for (int64_t s : g.shape)
    if (s == 0) return;
  switch (elem_size) {
    case 1: copy_typed<uint8_t>(g, src, dst); break;
    case 2: copy_typed<uint16_t>(g, src, dst); break;
    case 4: copy_typed<uint32_t>(g, src, dst); break;
    case 8: copy_typed<uint64_t>(g, src, dst); break;
    default: break;
  }
}

}  // namespace kd
