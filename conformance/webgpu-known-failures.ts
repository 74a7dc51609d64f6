// Cases that fail on webgpu for a reason the backend cannot change, each with its reason. The suite
// expects these to fail there; once one passes it fails, so that its entry is removed here.
//
// The reasons are one: the device cannot raise. Integer division by zero, an index out of range and a
// singular matrix are found by a kernel while it runs, and a kernel cannot throw back into the JavaScript call
// that queued it (PyTorch's CUDA kernels cannot either: they return garbage or assert on the device).
// webgpu gives 0 for x // 0, clamps an index into its dim (never touching memory outside the tensor)
// and leaves inf/NaN in the inverse of a singular matrix.

const ZERO_DIVISION = 'integer division by zero: the device cannot raise ZeroDivisionError (the result is 0)';
const INDEX_RANGE = 'index out of range: the device cannot raise IndexError (indices are clamped into the dim)';
const SINGULAR = 'singular matrix: the device cannot raise linalg.inv\'s error (the inverse holds inf/NaN)';

const ZERO_DIVISION_CASES = [
  "torch.floor_divide(u8[7], 0)",
  "torch.remainder(u8[7], 0)",
  "torch.fmod(u8[7], 0)",
  "torch.div(u8[7], u8[7], rounding_mode='trunc') #2",
  "torch.div(u8[7], 0, rounding_mode='floor')",
  "torch.floor_divide(i8[7], 0)",
  "torch.remainder(i8[7], 0)",
  "torch.fmod(i8[7], 0)",
  "torch.div(i8[7], i8[7], rounding_mode='trunc') #2",
  "torch.div(i8[7], 0, rounding_mode='floor')",
  "torch.floor_divide(i16[7], 0)",
  "torch.remainder(i16[7], 0)",
  "torch.fmod(i16[7], 0)",
  "torch.div(i16[7], i16[7], rounding_mode='trunc') #2",
  "torch.div(i16[7], 0, rounding_mode='floor')",
  "torch.floor_divide(i32[7], 0)",
  "torch.remainder(i32[7], 0)",
  "torch.fmod(i32[7], 0)",
  "torch.div(i32[7], i32[7], rounding_mode='trunc') #2",
  "torch.div(i32[7], 0, rounding_mode='floor')",
  "torch.floor_divide(i64[7], 0)",
  "torch.remainder(i64[7], 0)",
  "torch.fmod(i64[7], 0)",
  "torch.div(i64[7], i64[7], rounding_mode='trunc') #2",
  "torch.div(i64[7], 0, rounding_mode='floor')",
];

const INDEX_RANGE_CASES = [
  "torch.gather(f32[3,4], 1, i64[1,1])",
  "torch.gather(f32[3,4], 1, i64[1,1]) #2",
  "torch.gather(f32[3,4], 0, i64[1,2])",
  "Tensor.scatter(f32[3,5], 1, i64[1,1], f32[1,1])",
  "Tensor.scatter(f32[3,5], 1, i64[1,1], f32[1,1]) #2",
  "Tensor.scatter(f32[3,5], 1, i64[1,1], 1.0)",
  "Tensor.scatter_add(f32[3,4], 1, i64[1,1], f32[1,1])",
  "Tensor.index_select(f32[3,4,5], 0, i64[1])",
  "Tensor.index_select(f32[3,4,5], 0, i64[1]) #2",
  "Tensor.index_add(f32[4,3], 0, i64[1], f32[1,3])",
  "Tensor.index_add(f32[4,3], 0, i64[1], f32[1,3]) #2",
  "Tensor.index_copy(f32[4,3], 0, i64[1], f32[1,3])",
  "Tensor.index_copy(f32[4,3], 0, i64[1], f32[1,3]) #2",
  "Tensor.index_fill(f32[4,3], 0, i64[1], 1)",
  "Tensor.index_fill(f32[4,3], 0, i64[1], 1) #2",
  "Tensor.index_fill_(i32[4,3]s(1,4), 1, i64[2], 9)",
  "Tensor.take(f32[2,3], i64[1])",
  "Tensor.take(f32[2,3], i64[1]) #2",
  "Tensor.__getitem__(f32[4,5,6], ..., [[0],[5]], [1,2,0])",
  "Tensor.__getitem__(f32[4,5,6], i64[2]) #3",
  "Tensor.__getitem__(f32[4,5,6], i64[1])",
  "Tensor.__getitem__(f32[4,5,6], :, i64[1])",
  "Tensor.__getitem__(f32[4,5,6], i64[1,2], i64[2])",
  "Tensor.__getitem__(f32[3,4], i64[2])",
  "Tensor.__getitem__(f32[3], i64[1])",
  "Tensor.__getitem__(f32[0,3], i64[1])",
  "Tensor.__setitem__(f32[4,5,6], [i64[1]], 0)",
  "Tensor.index_put_(f64[4,5,6], [i64[1]], f64[6], accumulate=False)",
];

const SINGULAR_CASES = [
  "torch.inverse(f32[2,2]) #2",
  "torch.inverse(f32[2,2,2])",
];

export const WEBGPU_KNOWN_FAILURES: Record<string, string> = Object.fromEntries([
  ...ZERO_DIVISION_CASES.map((id) => [id, ZERO_DIVISION]),
  ...INDEX_RANGE_CASES.map((id) => [id, INDEX_RANGE]),
  ...SINGULAR_CASES.map((id) => [id, SINGULAR]),
]);
