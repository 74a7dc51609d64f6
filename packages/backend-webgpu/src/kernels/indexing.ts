import { type Attrs, type Scalar, type Tensor, broadcastShapes, full, numel } from '@kindling/tensor';
import { gpu, registerWebGPUKernel } from '../backend.js';
import { boundsCode, wraps } from '../device-errors.js';
import { atomicAccumulate, convert, float64Refusal, loadNative, storeNative } from '../wgsl/dtypes.js';
import { copyKernel } from './elementwise.js';
import { runGrid } from './grid.js';
import { broadcastStrides } from './layout.js';

/**
 * Index kernels. Indices are int64 tensors read on the device, so an index out of range is found while
 * a kernel runs: the kernel records PyTorch's IndexError in the device error flag (device-errors.ts),
 * raised at the next read, and reads or writes the index clamped into its dim meanwhile, never
 * touching memory outside the tensor. Kernels that write in place (scatter, index_put and the index_*
 * ops built on it) check every index in a pass of their own first and write nothing when one is out of
 * range, so the tensor is left as it was. Ops whose indices count from the end (subscripts,
 * index_fill, take) wrap negatives.
 */

function atLeast1d(t: Tensor): Tensor {
  return t.ndim === 0 ? t.reshape([1]) : t;
}

function indexValue(t: Tensor, v: { name: string; atomic: boolean }, e: string): string {
  return convert(loadNative(t.dtype, v, e), t.dtype, 'int64', 'index');
}

interface CheckedIndex {
  readonly index: Tensor;
  /** The index's strides over the check's grid. */
  readonly strides: readonly number[];
  /** The size of the dim it indexes, and that dim. */
  readonly size: number;
  readonly dim: number;
}

/**
 * The check a kernel writing in place runs first: every index over `grid` in range, else PyTorch's
 * IndexError recorded for op `seq`, whose writing kernel then does nothing (`k_failed()`).
 */
function checkIndices(seq: number, grid: readonly number[], checked: readonly CheckedIndex[], bounds: string): void {
  runGrid({
    key: `check_index|${checked.map((c) => c.index.dtype).join(',')}`,
    shape: grid,
    outputs: [],
    inputs: checked.map((c) => c.index),
    strides: checked.map((c) => c.strides),
    extra: [boundsCode(bounds), wraps(bounds) ? 1 : 0],
    tail: checked.flatMap((c) => [c.size, c.dim]),
    raises: seq,
    body: (b) => checked
      .map((c, k) => `k_check_index(${indexValue(c.index, b.vars[k]!, `e${k}`)}, P[tailAt + ${2 * k}u], P[3] != 0u, P[2], P[tailAt + ${2 * k + 1}u], ${k}u);`)
      .join('\n  '),
  });
}

registerWebGPUKernel('gather', (inputs, outputs, attrs: Attrs) => {
  const src = atLeast1d(inputs[0]!);
  const index = atLeast1d(inputs[1]!);
  const out = atLeast1d(outputs[0]!);
  const dim = attrs['dim'] as number;
  const shape = index.shape;
  runGrid({
    key: `gather|${src.dtype}|${index.dtype}`,
    shape,
    outputs: [out],
    inputs: [src, index],
    strides: [out._strides, shape.map((_, d) => (d === dim ? 0 : src._strides[d] ?? 0)), index._strides],
    extra: [src.shape[dim]!, src._strides[dim]!, boundsCode('gather'), dim],
    raises: gpu().nextSeq(),
    body: (b) => `let v = ${indexValue(index, b.vars[2]!, 'e2')};
  k_check_index(v, P[2], false, P[4], P[5], 0u);
  let at = e1 + k_index(v, P[2], false) * P[3];
  ${storeNative(out.dtype, b.vars[0]!, 'e0', loadNative(src.dtype, b.vars[1]!, 'at'))}`,
  });
});

/**
 * scatter (and scatter_add / reduce): one invocation per position outside `dim`, walking the index
 * along `dim` in order, so duplicate indices combine in PyTorch's order without atomics.
 */
registerWebGPUKernel('scatter', (inputs, outputs, attrs: Attrs) => {
  const [self, index0, src0] = inputs as [Tensor, Tensor, Tensor | undefined];
  const out0 = outputs[0]!;
  if (out0.dtype === 'float64' && attrs['reduce']) throw float64Refusal('scatter');
  if (out0 !== self) copyKernel([self], [out0]);
  const out = atLeast1d(out0);
  const index = atLeast1d(index0);
  const dim = attrs['dim'] as number;
  const reduce = attrs['reduce'] as 'add' | 'multiply' | null | undefined;
  const src = src0 ? atLeast1d(src0) : full(index.shape, attrs['value'] as Scalar, { dtype: out.dtype, device: out.device });
  const drop = (s: readonly number[]) => s.filter((_, d) => d !== dim);
  const grid = drop(index.shape);
  const srcStrides = index.shape.map((_, d) => src._strides[d] ?? 0);
  const seq = gpu().nextSeq();
  checkIndices(seq, index.shape, [{ index, strides: index._strides, size: out.shape[dim]!, dim }], 'gather');
  runGrid({
    key: `scatter|${out.dtype}|${index.dtype}|${reduce ?? ''}`,
    shape: grid,
    outputs: [out],
    inputs: [index, src],
    strides: [drop(index.shape.map((_, d) => out._strides[d] ?? 0)), drop(index._strides), drop(srcStrides)],
    extra: [index.shape[dim]!, index._strides[dim]!, srcStrides[dim]!, out.shape[dim]!],
    tail: [out._strides[dim]!],
    raises: seq,
    body: (b) => {
      const value = loadNative(src.dtype, b.vars[2]!, 'e2');
      let combined = value;
      if (reduce) {
        const cur = loadNative(out.dtype, b.vars[0]!, 'at');
        const op = out.dtype === 'bool' ? (reduce === 'add' ? '|' : '&') : reduce === 'add' ? '+' : '*';
        combined = out.dtype === 'int64' || out.dtype === 'float64'
          ? `k_i64_${reduce === 'add' ? 'add' : 'mul'}(${cur}, ${value})`
          : `(${cur} ${op} ${value})`;
      }
      return `if (k_failed()) { return; }
  for (var j = 0u; j < P[2]; j++) {
    let at = e0 + k_index(${indexValue(index, b.vars[1]!, 'e1')}, P[5], false) * P[tailAt];
    ${storeNative(out.dtype, b.vars[0]!, 'at', combined)}
    e1 += P[3]; e2 += P[4];
  }`;
    },
  });
});

/**
 * Advanced indexing as the cpu kernel plans it: the result's dims are the index tensors' broadcast
 * dims B and the remaining dims of the source, B first (or in place of the indexed dims when those
 * are adjacent). The grid walks [B…, rest…]; each operand is given strides over it.
 */
function advancedGrid(src: Tensor, indices: readonly Tensor[], dims: readonly number[]) {
  const bshape = broadcastShapes(...indices.map((i) => i.shape));
  const nbd = bshape.length;
  const restDims = src.shape.map((_, i) => i).filter((i) => !dims.includes(i));
  const restShape = restDims.map((d) => src.shape[d]!);
  const adjacent = dims.every((d, i) => i === 0 || d === dims[i - 1]! + 1);
  const pre = adjacent ? dims[0]! : 0;
  const ndOut = nbd + restDims.length;
  const perm = adjacent
    ? [...Array.from({ length: nbd }, (_, i) => pre + i), ...Array.from({ length: pre }, (_, i) => i), ...Array.from({ length: ndOut - pre - nbd }, (_, i) => pre + nbd + i)]
    : Array.from({ length: ndOut }, (_, i) => i);
  const resultShape = adjacent
    ? [...src.shape.slice(0, dims[0]!), ...bshape, ...src.shape.slice(dims[dims.length - 1]! + 1)]
    : [...bshape, ...restShape];
  return {
    shape: [...bshape, ...restShape],
    resultShape,
    /** Strides over the grid of a tensor shaped like the indexing result. */
    resultStrides: (t: Tensor) => perm.map((p) => t._strides[p]!),
    srcStrides: [...bshape.map(() => 0), ...restDims.map((d) => src._strides[d]!)],
    indexStrides: indices.map((idx) => [...broadcastStrides(idx, bshape), ...restShape.map(() => 0)]),
    /** Per index tensor: the size, stride and number of the dim it indexes. */
    tail: dims.flatMap((d) => [src.shape[d]!, src._strides[d]!, d]),
    bshape,
  };
}

/** `e += ` each index's offset; `check`: record an index out of range (bounds kind in P[3]). */
function indexedOffset(indices: readonly Tensor[], vars: readonly { name: string; atomic: boolean }[], first: number, check: boolean): string {
  return indices
    .map((idx, k) => {
      const [size, stride, dim] = [0, 1, 2].map((j) => `P[tailAt + ${3 * k + j}u]`);
      return `{ let v = ${indexValue(idx, vars[first + k]!, `e${first + k}`)};${check ? ` k_check_index(v, ${size}, P[2] != 0u, P[3], ${dim}, ${k}u);` : ''}
    e += k_index(v, ${size}, P[2] != 0u) * ${stride}; }`;
    })
    .join('\n  ');
}

/** The index tensors of advanced indexing, as `checkIndices` takes them. */
function checkedIndices(t: Tensor, indices: readonly Tensor[], dims: readonly number[], bshape: readonly number[]): CheckedIndex[] {
  return indices.map((index, k) => ({ index, strides: broadcastStrides(index, bshape), size: t.shape[dims[k]!]!, dim: dims[k]! }));
}

registerWebGPUKernel('index', (inputs, outputs, attrs: Attrs) => {
  const [src, ...indices] = inputs as [Tensor, ...Tensor[]];
  const out = outputs[0]!;
  const dims = attrs['dims'] as number[];
  const bounds = attrs['bounds'] as string | undefined;
  const g = advancedGrid(src, indices, dims);
  const seq = gpu().nextSeq();
  // The kernel checks the indices it reads; with nothing to read (the other dims are empty), a pass of its own does.
  if (numel(g.shape) === 0) checkIndices(seq, g.bshape, checkedIndices(src, indices, dims, g.bshape), bounds ?? 'subscript');
  runGrid({
    key: `index|${src.dtype}|${indices.map((i) => i.dtype).join(',')}`,
    shape: g.shape,
    outputs: [out],
    inputs: [src, ...indices],
    strides: [g.resultStrides(out), g.srcStrides, ...g.indexStrides],
    extra: [wraps(bounds) ? 1 : 0, boundsCode(bounds)],
    tail: g.tail,
    raises: seq,
    body: (b) => `var e = e1;
  ${indexedOffset(indices, b.vars, 2, true)}
  ${storeNative(out.dtype, b.vars[0]!, 'e0', loadNative(src.dtype, b.vars[1]!, 'e'))}`,
  });
});

/** `x[indices] = value` (accumulate: `+=`, duplicates adding up atomically). */
registerWebGPUKernel('index_put', (inputs, outputs, attrs: Attrs) => {
  const [, value, ...indices] = inputs as [Tensor, Tensor, ...Tensor[]];
  const dst = outputs[0]!;
  const dims = attrs['dims'] as number[];
  const accumulate = Boolean(attrs['accumulate']);
  if (accumulate && dst.dtype === 'float64') throw float64Refusal('index_put');
  const bounds = attrs['bounds'] as string | undefined;
  const g = advancedGrid(dst, indices, dims);
  const v = value.expand(g.resultShape);
  const seq = gpu().nextSeq();
  checkIndices(seq, g.bshape, checkedIndices(dst, indices, dims, g.bshape), bounds ?? 'subscript');
  runGrid({
    key: `index_put|${dst.dtype}|${indices.map((i) => i.dtype).join(',')}|${accumulate}`,
    shape: g.shape,
    outputs: [dst],
    inputs: [v, ...indices],
    strides: [g.srcStrides, g.resultStrides(v), ...g.indexStrides],
    atomicOutputs: accumulate,
    extra: [wraps(bounds) ? 1 : 0],
    tail: g.tail,
    raises: seq,
    body: (b) => {
      const x = loadNative(v.dtype, b.vars[1]!, 'e1');
      return `if (k_failed()) { return; }
  var e = e0;
  ${indexedOffset(indices, b.vars, 2, false)}
  ${accumulate ? atomicAccumulate(dst.dtype, b.vars[0]!, 'e', x) : storeNative(dst.dtype, b.vars[0]!, 'e', x)}`;
    },
  });
});
