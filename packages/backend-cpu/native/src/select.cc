// Elementwise float32 kernels of training's masks and selections: relu, comparisons (to bool) and
// where. Each runs over rows × cols, with any row strides and column strides of 0 or 1, like
// binary_f32; the loops are simple enough for the compiler to vectorise the contiguous case.
#include <algorithm>
#include <cmath>

#include "kernels.h"
#include "threadpool.h"

namespace kd {

namespace {

constexpr int64_t kGrain = 1 << 16;

/** fn(r, c0, c1) over every row piece, in parallel when the work is large enough to pay for threads. */
template <typename F>
void for_row_pieces(int64_t rows, int64_t cols, const F& fn) {
  if (rows == 0 || cols == 0) return;
  const int64_t per_row = (cols + kGrain - 1) / kGrain;  // pieces per row
  const int64_t pieces = rows * per_row;
  const int64_t rows_per_task = per_row > 1 ? 1 : std::max<int64_t>(1, kGrain / cols);
  const int64_t tasks = per_row > 1 ? pieces : (rows + rows_per_task - 1) / rows_per_task;
  auto task = [&](int64_t t) {
    if (per_row > 1) {
      const int64_t r = t / per_row, c0 = (t % per_row) * kGrain;
      fn(r, c0, std::min(cols, c0 + kGrain));
    } else {
      const int64_t r1 = std::min(rows, (t + 1) * rows_per_task);
      for (int64_t r = t * rows_per_task; r < r1; r++) fn(r, int64_t{0}, cols);
    }
  };
  if (tasks == 1 || num_threads() == 1) {
    for (int64_t t = 0; t < tasks; t++) task(t);
  } else {
    parallel_for(tasks, task);
  }
}

template <CompareOp OP>
inline uint8_t compare(float x, float y) {
  switch (OP) {
    case CompareOp::Eq: return x == y;
    case CompareOp::Ne: return x != y;
    case CompareOp::Lt: return x < y;
    case CompareOp::Le: return x <= y;
    case CompareOp::Gt: return x > y;
    case CompareOp::Ge: return x >= y;
  }
  return 0;
}

template <CompareOp OP>
void compare_rows(int64_t rows, int64_t cols, const float* a, int64_t ars, int64_t acs, const float* b, int64_t brs,
                  int64_t bcs, uint8_t* out, int64_t ors) {
  for_row_pieces(rows, cols, [&](int64_t r, int64_t c0, int64_t c1) {
    const float* ar = a + r * ars;
    const float* br = b + r * brs;
    uint8_t* o = out + r * ors;
    if (acs == 1 && bcs == 1)
      for (int64_t j = c0; j < c1; j++) o[j] = compare<OP>(ar[j], br[j]);
    else if (acs == 1)
      for (int64_t j = c0; j < c1; j++) o[j] = compare<OP>(ar[j], *br);
    else
      for (int64_t j = c0; j < c1; j++) o[j] = compare<OP>(ar[j * acs], br[j * bcs]);
  });
}

}  // namespace

void unary_f32(UnaryOp op, const float* a, float* out, int64_t n) {
  // The TypeScript kernels compute in doubles and round once; for these ops float arithmetic gives the
  // same bits (negation and |x| are exact, a float's square root is correctly rounded), except 1/√x,
  // which is done in doubles here too.
  for_row_pieces(1, n, [&](int64_t, int64_t c0, int64_t c1) {
    switch (op) {
      case UnaryOp::Neg: for (int64_t j = c0; j < c1; j++) out[j] = -a[j]; break;
      case UnaryOp::Abs: for (int64_t j = c0; j < c1; j++) out[j] = std::fabs(a[j]); break;
      case UnaryOp::Sqrt: for (int64_t j = c0; j < c1; j++) out[j] = std::sqrt(a[j]); break;
      case UnaryOp::Rsqrt:
        for (int64_t j = c0; j < c1; j++) out[j] = static_cast<float>(1.0 / std::sqrt(static_cast<double>(a[j])));
        break;
    }
  });
}

void threshold_backward_f32(const float* grad, const float* result, float threshold, float* out, int64_t n) {
  for_row_pieces(1, n, [&](int64_t, int64_t c0, int64_t c1) {
    for (int64_t j = c0; j < c1; j++) {
      const float g = grad[j];
      out[j] = result[j] <= threshold ? 0.0f : g;
    }
  });
}

void relu_f32(int64_t rows, int64_t cols, const float* a, int64_t ars, float* out, int64_t ors) {
  for_row_pieces(rows, cols, [&](int64_t r, int64_t c0, int64_t c1) {
    const float* ar = a + r * ars;
    float* o = out + r * ors;
    // NaN stays NaN and −0 becomes +0, as PyTorch's relu.
    for (int64_t j = c0; j < c1; j++) {
      const float x = ar[j];
      o[j] = x > 0.0f ? x : (x != x ? x : 0.0f);
    }
  });
}

void compare_f32(CompareOp op, int64_t rows, int64_t cols, const float* a, int64_t ars, int64_t acs, const float* b,
                 int64_t brs, int64_t bcs, uint8_t* out, int64_t ors) {
  switch (op) {
    case CompareOp::Eq: compare_rows<CompareOp::Eq>(rows, cols, a, ars, acs, b, brs, bcs, out, ors); break;
    case CompareOp::Ne: compare_rows<CompareOp::Ne>(rows, cols, a, ars, acs, b, brs, bcs, out, ors); break;
    case CompareOp::Lt: compare_rows<CompareOp::Lt>(rows, cols, a, ars, acs, b, brs, bcs, out, ors); break;
    case CompareOp::Le: compare_rows<CompareOp::Le>(rows, cols, a, ars, acs, b, brs, bcs, out, ors); break;
    case CompareOp::Gt: compare_rows<CompareOp::Gt>(rows, cols, a, ars, acs, b, brs, bcs, out, ors); break;
    case CompareOp::Ge: compare_rows<CompareOp::Ge>(rows, cols, a, ars, acs, b, brs, bcs, out, ors); break;
  }
}

void where_f32(int64_t rows, int64_t cols, const uint8_t* c, int64_t crs, int64_t ccs, const float* a, int64_t ars,
               int64_t acs, const float* b, int64_t brs, int64_t bcs, float* out, int64_t ors) {
  // Both values are loaded whatever the mask says, so that the loops are selects, not branches (a
  // random mask, as relu's backward has, mispredicts half of them).
  for_row_pieces(rows, cols, [&](int64_t r, int64_t c0, int64_t c1) {
    const uint8_t* cr = c + r * crs;
    const float* ar = a + r * ars;
    const float* br = b + r * brs;
    float* o = out + r * ors;
    if (ccs == 1 && acs == 1 && bcs == 0) {
      const float y = *br;
      for (int64_t j = c0; j < c1; j++) {
        const float x = ar[j];
        o[j] = cr[j] ? x : y;
      }
    } else if (ccs == 1 && acs == 0 && bcs == 1) {
      const float x = *ar;
      for (int64_t j = c0; j < c1; j++) {
        const float y = br[j];
        o[j] = cr[j] ? x : y;
      }
    } else if (ccs == 1 && acs == 1 && bcs == 1) {
      for (int64_t j = c0; j < c1; j++) {
        const float x = ar[j], y = br[j];
        o[j] = cr[j] ? x : y;
      }
    } else {
      for (int64_t j = c0; j < c1; j++) {
        const float x = ar[j * acs], y = br[j * bcs];
        o[j] = cr[j * ccs] ? x : y;
      }
    }
  });
}

}  // namespace kd
