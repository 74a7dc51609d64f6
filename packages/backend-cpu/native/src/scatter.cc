// scatter / scatter_add on float32 with int64 indices: out[..., index[k], ...] (=|+=) src[k] in the
// index tensor's row-major order (the TypeScript kernel's order, so additions round the same way).
// Every index is checked before anything is written, so a refused call changes nothing.
#include <cstddef>
#include <vector>

#include "kernels.h"

namespace kd {

namespace {

/** Calls fn(k, out_offset_without_dim, index_offset, src_offset) for every position, row-major. */
template <typename F>
void each_position(const ScatterGeometry& g, const F& fn) {
  const size_t nd = g.shape.size();
  std::vector<int64_t> idx(nd, 0);
  int64_t oo = 0, io = 0, so = 0;
  int64_t total = 1;
  for (int64_t s : g.shape) total *= s;
  for (int64_t k = 0; k < total; k++) {
    fn(k, oo, io, so);
    for (size_t j = nd; j-- > 0;) {
      oo += g.out_strides[j];
      io += g.index_strides[j];
      so += g.src_strides[j];
      if (++idx[j] < g.shape[j]) break;
      oo -= g.out_strides[j] * g.shape[j];
      io -= g.index_strides[j] * g.shape[j];
      so -= g.src_strides[j] * g.shape[j];
      idx[j] = 0;
    }
  }
}

}  // namespace

int64_t scatter_f32(bool add, const ScatterGeometry& g, float* out, const int64_t* index, const float* src) {
  for (int64_t s : g.shape)
    if (s == 0) return -1;
  int64_t bad = -1;
  each_position(g, [&](int64_t k, int64_t, int64_t io, int64_t) {
    const int64_t i = index[io];
    if (bad < 0 && (i < 0 || i >= g.dim_size)) bad = k;
  });
  if (bad >= 0) return bad;
  each_position(g, [&](int64_t, int64_t oo, int64_t io, int64_t so) {
    float& dst = out[oo + index[io] * g.dim_stride];
    dst = add ? dst + src[so] : src[so];
  });
  return -1;
}

}  // namespace kd
