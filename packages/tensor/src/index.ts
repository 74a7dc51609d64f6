// @kindling/tensor: the core of Kindling. `import * as torch from '@kindling/tensor'`.
import './methods.js';
import './ops/shape-ops.js';
import './ops/indexing.js';
import './ops/random.js';
import './ops/norm.js';
import './ops/conv.js';
import './ops/batch-norm.js';
import './ops/threshold-backward.js';

export * from './dtype.js';
export { Device, device, type DeviceLike } from './device.js';
export { Tensor, type GradFn, type NestedArray } from './tensor.js';
export {
  type Backend, type Storage, type Kernel, type Attrs, DeviceError, registerBackend, getBackend, hasBackend, registeredBackends,
} from './backend.js';
export {
  type OpDef, type OutputSpec, type ElementwiseSpec, OpError, DtypeError, registerOp, getOp, dispatch, dispatch1, dtypeLabel, withoutRecording,
} from './op.js';
export {
  autocast, autocastOp, autocastPolicy, autocastDtype, AUTOCAST_OP_LISTS, AutocastError, type AutocastOptions, type AutocastGuard,
  type AutocastPolicy, type AutocastDeviceType, isAutocastEnabled, setAutocastEnabled, isAutocastCpuEnabled, setAutocastCpuEnabled,
  getAutocastGpuDtype, setAutocastGpuDtype, getAutocastCpuDtype, setAutocastCpuDtype, isAutocastCacheEnabled, setAutocastCacheEnabled,
  clearAutocastCache,
} from './autocast.js';
export { registry, type Registry, type AutogradHooks } from './registry.js';
export { tidy, StorageRef } from './memory.js';
export { type Scalar, type TypedArray, typedArrayFor, encodeElements, decodeElements, dtypeOfTypedArray, toBigInt } from './elements.js';
export { ShapeError, IndexError, broadcastShapes, numel, contiguousStrides, normalizeDim, coalesce } from './shape.js';
export * from './half.js';
export { scalarLib, type ScalarLib } from './scalar-lib.js';
export { ELEMENTWISE, ELEMENTWISE_BY_NAME, type ElementwiseEntry } from './ops/elementwise-table.js';
export { elementwiseDtypes, elementwise, type TensorOrScalar } from './ops/elementwise.js';
export { setPrintOptions, getPrintOptions, type PrintOptions } from './print.js';

export * from './ops/creation.js';
/** `torch.from_numpy`: a JS typed array plays NumPy's part (shares its memory). */
export { fromArray as fromNumpy } from './ops/creation.js';
export { rand, randn, randint, randperm, normal, bernoulli, randLike, randnLike, randintLike, type RandomOptions } from './ops/random.js';
export { Generator, defaultGenerator, manualSeed, seed, initialSeed, getRngState, setRngState } from './random/generator.js';
export * from './ops/math.js';
export { scalarTensor } from './ops/scalar.js';
export { cast, copyInto, to, type ToOptions } from './ops/copy.js';
export {
  sum, prod, mean, amax, amin, all, any, std, variance as var, variance, argmax, argmin, median, mode, kthvalue, sort, logsumexp, softmax, logSoftmax,
  reduceDims, reducedShape, valuesIndices, type ValuesIndices, type ReduceOptions, type VarOptions,
} from './ops/reduction.js';
export {
  narrow, select, split, chunk, unbind, movedim, movedim as moveaxis, unflatten, unfold, cat, concat, concatenate, stack, vstack, rowStack, hstack, dstack,
  columnStack, swapaxes, swapaxes as swapdims, ravel, fliplr, flipud, atleast1d, atleast2d, atleast3d, repeat, tile, flip, roll, argsort, topk, unique, type UniqueOptions,
} from './ops/shape-ops.js';
export {
  Slice, slice, type IndexItem, index, indexPut_, gather, scatter, scatterAdd, type ScatterReduce, indexSelect, indexAdd_, indexCopy_, indexFill_,
  take, nonzero, argwhere, maskedFill, maskedSelect, type IndexBounds, indexOutOfRangeMessage,
} from './ops/indexing.js';
export { norm, type NormOrd } from './ops/norm.js';
export { matmul, mm, bmm, mv, dot, outer, inverse, det, trace } from './ops/linalg.js';
export { asStrided, view, reshape, permute, transpose, expand, broadcastTo, broadcastTensors, unsqueeze, squeeze, flatten, diagonal, inferSize, viewStrides } from './ops/views.js';

import type { DType } from './dtype.js';
import { maxMinDim, cumulative, type ValuesIndices as VI } from './ops/reduction.js';
import { elementwise } from './ops/elementwise.js';
import { dispatch1 } from './op.js';
import { Tensor as T } from './tensor.js';

/** `torch.max(x)`, `torch.max(x, dim)`, `torch.max(a, b)`. */
export function max(t: T): T;
export function max(t: T, dim: number, opts?: { keepdim?: boolean }): VI;
export function max(t: T, other: T): T;
export function max(t: T, d?: number | T, o?: { keepdim?: boolean }): T | VI {
  if (d instanceof T) return elementwise('maximum', [t, d]);
  if (d === undefined) return dispatch1('amax', [t], { dims: t.shape.map((_, i) => i), keepdim: false, full: true });
  return maxMinDim('max_dim', t, d, o?.keepdim);
}
export function min(t: T): T;
export function min(t: T, dim: number, opts?: { keepdim?: boolean }): VI;
export function min(t: T, other: T): T;
export function min(t: T, d?: number | T, o?: { keepdim?: boolean }): T | VI {
  if (d instanceof T) return elementwise('minimum', [t, d]);
  if (d === undefined) return dispatch1('amin', [t], { dims: t.shape.map((_, i) => i), keepdim: false, full: true });
  return maxMinDim('min_dim', t, d, o?.keepdim);
}
export function cumsum(t: T, dim: number, opts?: { dtype?: DType }): T {
  return cumulative('cumsum', t, dim, opts);
}
export function cumprod(t: T, dim: number, opts?: { dtype?: DType }): T {
  return cumulative('cumprod', t, dim, opts);
}
/** `torch.clone(x)`: a copy with its own storage. */
export function clone(t: T): T {
  return t.clone();
}
export function isTensor(x: unknown): x is T {
  return x instanceof T;
}
export function numelOf(t: T): number {
  return t.numel();
}
