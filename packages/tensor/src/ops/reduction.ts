import type { Attrs } from '../backend.js';
import { type DType, dtypeName, getDefaultDtype, isFloatingPoint } from '../dtype.js';
import { DtypeError, dispatch, dispatch1, dtypeLabel, registerOp } from '../op.js';
import { IndexError, normalizeDim, numel } from '../shape.js';
import { Tensor } from '../tensor.js';
import { cast } from './copy.js';
import { elementwise } from './elementwise.js';

/** Dims to reduce: all when none given; normalized, sorted, duplicates refused. */
export function reduceDims(t: Tensor, dim?: number | readonly number[] | null): number[] {
  if (dim === undefined || dim === null) return t.shape.map((_, i) => i);
  const list = typeof dim === 'number' ? [dim] : [...dim];
  if (list.length === 0) return t.shape.map((_, i) => i);
  const dims = list.map((d) => normalizeDim(d, t.ndim));
  if (new Set(dims).size !== dims.length) throw new IndexError(`dim ${list[dims.findIndex((d, i) => dims.indexOf(d) !== i)]} appears multiple times in the list of dims`);
  return dims.filter((d) => d < t.ndim).sort((a, b) => a - b);
}

export function reducedShape(shape: readonly number[], dims: readonly number[], keepdim: boolean): number[] {
  const out: number[] = [];
  shape.forEach((s, i) => {
    if (!dims.includes(i)) out.push(s);
    else if (keepdim) out.push(1);
  });
  return out;
}

type ReduceKind = 'sum' | 'prod' | 'amax' | 'amin' | 'all' | 'any';
function reductionOp(name: ReduceKind) {
  registerOp({
    name,
    nondifferentiable: name === 'all' || name === 'any',
    infer(inputs, attrs) {
      const t = inputs[0]!;
      const dims = attrs['dims'] as number[];
      let dtype: DType = t.dtype;
      // An explicit dtype= is the result's; integers otherwise accumulate in int64.
      if (name === 'sum' || name === 'prod') dtype = (attrs['dtype'] as DType | undefined) ?? (isFloatingPoint(t.dtype) ? t.dtype : 'int64');
      // all/any give uint8 for uint8 input (PyTorch keeps this for backward compatibility), else bool.
      if (name === 'all' || name === 'any') dtype = t.dtype === 'uint8' ? 'uint8' : 'bool';
      if ((name === 'amax' || name === 'amin') && t.numel() === 0) {
        const zeroDim = dims.find((d) => t.shape[d] === 0);
        if (zeroDim !== undefined || dims.length === 0) {
          throw new IndexError(`${name}(): Expected reduction dim ${zeroDim ?? 0} to have non-zero size.`);
        }
      }
      return [{ shape: reducedShape(t.shape, dims, attrs['keepdim'] as boolean), dtype }];
    },
  });
}
for (const k of ['sum', 'prod', 'amax', 'amin', 'all', 'any'] as const) reductionOp(k);

/** Reductions along one dim that also return the index: max/min (first occurrence; NaN wins). */
for (const name of ['max_dim', 'min_dim'] as const) {
  registerOp({
    name,
    infer(inputs, attrs) {
      const t = inputs[0]!;
      const dim = attrs['dim'] as number;
      if (t.ndim > 0 && t.shape[dim] === 0) {
        throw new IndexError(`${name === 'max_dim' ? 'max' : 'min'}(): Expected reduction dim ${dim} to have non-zero size.`);
      }
      const shape = reducedShape(t.shape, t.ndim === 0 ? [] : [dim], attrs['keepdim'] as boolean);
      return [{ shape, dtype: t.dtype }, { shape, dtype: 'int64' }];
    },
  });
}

for (const name of ['cumsum', 'cumprod'] as const) {
  registerOp({
    name,
    infer(inputs, attrs) {
      const t = inputs[0]!;
      return [{ shape: t.shape, dtype: (attrs['dtype'] as DType | undefined) ?? (isFloatingPoint(t.dtype) ? t.dtype : 'int64') }];
    },
  });
}

export interface ReduceOptions {
  dim?: number | readonly number[] | null;
  keepdim?: boolean;
  dtype?: DType;
}
type Dim = number | readonly number[] | null | undefined;

function splitDimOpts(dim: Dim | ReduceOptions, opts?: ReduceOptions): { dim: Dim; opts: ReduceOptions } {
  // `x.sum({ dim: 0, keepdim: true })` is how a JS caller writes `x.sum(dim=0, keepdim=True)`.
  if (dim !== null && typeof dim === 'object' && !Array.isArray(dim)) return { dim: (dim as ReduceOptions).dim, opts: dim as ReduceOptions };
  return { dim: dim as Dim, opts: opts ?? {} };
}

function reduce(name: ReduceKind, t: Tensor, dim: Dim | ReduceOptions, o?: ReduceOptions): Tensor {
  const { dim: d, opts } = splitDimOpts(dim, o);
  if ((name === 'amax' || name === 'amin') && t.numel() === 0) checkNonEmptyDims(name, t, d);
  const input = opts.dtype && opts.dtype !== t.dtype ? cast(t, opts.dtype) : t;
  const attrs = { dims: reduceDims(t, d), keepdim: opts.keepdim ?? false };
  return dispatch1(name, [input], opts.dtype ? { ...attrs, dtype: opts.dtype } : attrs);
}

/** An empty tensor has no maximum: name the dim as the user gave it, or ask for one. */
function checkNonEmptyDims(name: string, t: Tensor, dim: Dim): void {
  const given = dim === undefined || dim === null ? [] : typeof dim === 'number' ? [dim] : [...dim];
  if (given.length === 0) {
    throw new IndexError(`${name}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`);
  }
  for (const d of given) {
    if (t.shape[normalizeDim(d, t.ndim)] === 0) throw new IndexError(`${name}(): Expected reduction dim ${d} to have non-zero size.`);
  }
}

export const sum = (t: Tensor, dim?: Dim | ReduceOptions, opts?: ReduceOptions) => reduce('sum', t, dim, opts);
export const prod = (t: Tensor, dim?: Dim | ReduceOptions, opts?: ReduceOptions) => reduce('prod', t, dim, opts);
export const amax = (t: Tensor, dim?: Dim | ReduceOptions, opts?: ReduceOptions) => reduce('amax', t, dim, opts);
export const amin = (t: Tensor, dim?: Dim | ReduceOptions, opts?: ReduceOptions) => reduce('amin', t, dim, opts);
export const all = (t: Tensor, dim?: Dim | ReduceOptions, opts?: ReduceOptions) => reduce('all', t, dim, opts);
export const any = (t: Tensor, dim?: Dim | ReduceOptions, opts?: ReduceOptions) => reduce('any', t, dim, opts);

/** mean, var and std need a floating input; PyTorch checks that before the dims, so the functions call this first too. */
function requireFloating(name: 'mean' | 'var', t: Tensor): void {
  if (isFloatingPoint(t.dtype)) return;
  throw new DtypeError(
    name === 'mean'
      ? `mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${dtypeLabel(t.dtype)}`
      : `std and var only support floating point and complex dtypes, got ${dtypeName(t.dtype)}`,
  );
}

registerOp({
  name: 'mean',
  infer(inputs, attrs) {
    const t = inputs[0]!;
    requireFloating('mean', t);
    return [{ shape: reducedShape(t.shape, attrs['dims'] as number[], attrs['keepdim'] as boolean), dtype: t.dtype }];
  },
  decompose(inputs, attrs) {
    const t = inputs[0]!;
    const dims = attrs['dims'] as number[];
    const n = numel(dims.map((d) => t.shape[d]!));
    return [elementwise('div', [dispatch1('sum', [t], attrs), n])];
  },
});

export function mean(t: Tensor, dim?: Dim | ReduceOptions, o?: ReduceOptions): Tensor {
  const { dim: d, opts } = splitDimOpts(dim, o);
  const input = opts.dtype && opts.dtype !== t.dtype ? cast(t, opts.dtype) : t;
  requireFloating('mean', input);
  return dispatch1('mean', [input], { dims: reduceDims(t, d), keepdim: opts.keepdim ?? false });
}

export interface VarOptions {
  dim?: number | readonly number[] | null;
  keepdim?: boolean;
  /** Bessel's correction; `unbiased: false` is `correction: 0`. Default 1. */
  correction?: number;
  unbiased?: boolean;
}

registerOp({
  name: 'var',
  infer(inputs, attrs) {
    const t = inputs[0]!;
    requireFloating('var', t);
    return [{ shape: reducedShape(t.shape, attrs['dims'] as number[], attrs['keepdim'] as boolean), dtype: t.dtype }];
  },
  decompose(inputs, attrs) {
    const t = inputs[0]!;
    const dims = attrs['dims'] as number[];
    const n = numel(dims.map((d) => t.shape[d]!));
    const mu = dispatch1('mean', [t], { dims, keepdim: true });
    const dev = elementwise('sub', [t, mu]);
    const ss = dispatch1('sum', [elementwise('mul', [dev, dev])], attrs);
    const denom = Math.max(0, n - (attrs['correction'] as number));
    return [elementwise('div', [ss, denom])];
  },
});

function varAttrs(t: Tensor, dim: Dim | VarOptions, o?: VarOptions): Attrs {
  let d: Dim;
  let opts: VarOptions;
  if (dim !== null && typeof dim === 'object' && !Array.isArray(dim)) {
    d = (dim as VarOptions).dim;
    opts = dim as VarOptions;
  } else {
    d = dim as Dim;
    opts = o ?? {};
  }
  const correction = opts.correction ?? (opts.unbiased === false ? 0 : 1);
  return { dims: reduceDims(t, d), keepdim: opts.keepdim ?? false, correction };
}

export function variance(t: Tensor, dim?: Dim | VarOptions, o?: VarOptions): Tensor {
  requireFloating('var', t);
  return dispatch1('var', [t], varAttrs(t, dim, o));
}
export function std(t: Tensor, dim?: Dim | VarOptions, o?: VarOptions): Tensor {
  requireFloating('var', t);
  return elementwise('sqrt', [dispatch1('var', [t], varAttrs(t, dim, o))]);
}

/** `x.max()` (the value), `x.max(dim)` ({ values, indices }), `x.max(other)` (torch.maximum). */
export interface ValuesIndices {
  values: Tensor;
  indices: Tensor;
  [Symbol.iterator](): Iterator<Tensor>;
}
export function valuesIndices(values: Tensor, indices: Tensor): ValuesIndices {
  return {
    values,
    indices,
    *[Symbol.iterator]() {
      yield values;
      yield indices;
    },
  };
}

export function maxMinDim(name: 'max_dim' | 'min_dim', t: Tensor, dim: number, keepdim = false): ValuesIndices {
  const d = t.ndim === 0 ? 0 : normalizeDim(dim, t.ndim);
  if (t.ndim === 0) normalizeDim(dim, 0);
  const [values, indices] = dispatch(name, [t], { dim: d, keepdim });
  return valuesIndices(values!, indices!);
}

function checkNonEmpty(name: string, t: Tensor): void {
  if (t.numel() === 0) {
    throw new IndexError(`${name}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`);
  }
}

type ArgDim = number | null | undefined | { keepdim?: boolean };

/** `x.argmax()`, `x.argmax(dim, { keepdim })`, `x.argmax({ keepdim })`: the index of the first extreme. */
function argExtreme(name: 'argmax' | 'argmin', t: Tensor, d: ArgDim, o?: { keepdim?: boolean }): Tensor {
  const [dim, opts] = d !== null && typeof d === 'object' ? [undefined, d] : [d, o];
  const prim = name === 'argmax' ? 'max_dim' : 'min_dim';
  if (t.dtype === 'bool') throw new DtypeError(`"${name}_cpu" not implemented for 'Bool'`);
  if (dim === undefined || dim === null) {
    checkNonEmpty(name, t);
    const r = maxMinDim(prim, t.reshape(-1), 0).indices;
    return opts?.keepdim ? r.reshape(t.shape.map(() => 1)) : r;
  }
  if (t.ndim > 0 && t.shape[normalizeDim(dim, t.ndim)] === 0) {
    throw new IndexError(`${name}(): Expected reduction dim ${dim} to have non-zero size.`);
  }
  return maxMinDim(prim, t, dim, opts?.keepdim).indices;
}
export function argmax(t: Tensor, dim?: ArgDim, opts?: { keepdim?: boolean }): Tensor {
  return argExtreme('argmax', t, dim, opts);
}
export function argmin(t: Tensor, dim?: ArgDim, opts?: { keepdim?: boolean }): Tensor {
  return argExtreme('argmin', t, dim, opts);
}

export function cumulative(name: 'cumsum' | 'cumprod', t: Tensor, dim: number, opts?: { dtype?: DType }): Tensor {
  const input = opts?.dtype && opts.dtype !== t.dtype ? cast(t, opts.dtype) : t;
  const attrs = { dim: normalizeDim(dim, t.ndim) };
  return dispatch1(name, [input], opts?.dtype ? { ...attrs, dtype: opts.dtype } : attrs);
}

registerOp({
  name: 'logsumexp',
  infer(inputs, attrs) {
    const t = inputs[0]!;
    const dtype = isFloatingPoint(t.dtype) ? t.dtype : getDefaultDtype();
    return [{ shape: reducedShape(t.shape, attrs['dims'] as number[], attrs['keepdim'] as boolean), dtype }];
  },
  decompose(inputs, attrs) {
    const x = inputs[0]!;
    const dims = attrs['dims'] as number[];
    if (x.numel() === 0) return [elementwise('log', [dispatch1('sum', [elementwise('exp', [x])], attrs)])];
    const m = dispatch1('amax', [x], { dims, keepdim: true });
    // An infinite max would make x - m NaN; shift by 0 there, as PyTorch does.
    const shift = elementwise('where', [elementwise('isinf', [m]), 0, m]);
    const s = dispatch1('sum', [elementwise('exp', [elementwise('sub', [x, shift])])], { dims, keepdim: true });
    let r = elementwise('add', [elementwise('log', [s]), shift]);
    if (!attrs['keepdim']) r = r.reshape(reducedShape(x.shape, dims, false));
    return [r];
  },
});
export function logsumexp(t: Tensor, dim: number | readonly number[], opts?: { keepdim?: boolean }): Tensor {
  return dispatch1('logsumexp', [t], { dims: reduceDims(t, dim), keepdim: opts?.keepdim ?? false });
}

for (const name of ['softmax', 'log_softmax'] as const) {
  registerOp({
    name,
    infer(inputs) {
      const t = inputs[0]!;
      if (!isFloatingPoint(t.dtype)) throw new DtypeError(`"${name}_lastdim_kernel_impl" not implemented for '${dtypeLabel(t.dtype)}'`);
      return [{ shape: t.shape, dtype: t.dtype }];
    },
    decompose(inputs, attrs) {
      const x = inputs[0]!;
      const dims = [attrs['dim'] as number];
      if (x.numel() === 0) return [x.clone()];
      const m = dispatch1('amax', [x], { dims, keepdim: true });
      const shifted = elementwise('sub', [x, m]);
      const e = elementwise('exp', [shifted]);
      const s = dispatch1('sum', [e], { dims, keepdim: true });
      return [name === 'softmax' ? elementwise('div', [e, s]) : elementwise('sub', [shifted, elementwise('log', [s])])];
    },
  });
}
export function softmax(t: Tensor, dim: number, opts?: { dtype?: DType }): Tensor {
  const input = opts?.dtype && opts.dtype !== t.dtype ? cast(t, opts.dtype) : t;
  return dispatch1('softmax', [input], { dim: normalizeDim(dim, t.ndim) });
}
export function logSoftmax(t: Tensor, dim: number, opts?: { dtype?: DType }): Tensor {
  const input = opts?.dtype && opts.dtype !== t.dtype ? cast(t, opts.dtype) : t;
  return dispatch1('log_softmax', [input], { dim: normalizeDim(dim, t.ndim) });
}

// Sorting-based statistics: kernels return (values, indices).
registerOp({
  name: 'sort',
  infer(inputs, attrs) {
    const t = inputs[0]!;
    void attrs;
    return [{ shape: t.shape, dtype: t.dtype }, { shape: t.shape, dtype: 'int64' }];
  },
});
for (const name of ['median_dim', 'mode', 'kthvalue'] as const) {
  registerOp({
    name,
    infer(inputs, attrs) {
      const t = inputs[0]!;
      const dim = attrs['dim'] as number;
      if (t.ndim > 0 && t.shape[dim] === 0) {
        throw new IndexError(`${name.replace('_dim', '')}(): Expected reduction dim ${dim} to have non-zero size.`);
      }
      if (name === 'median_dim' && t.dtype === 'bool') throw new DtypeError(`"median_cpu" not implemented for 'Bool'`);
      if (name === 'kthvalue') {
        const k = attrs['k'] as number;
        const n = t.ndim === 0 ? 1 : t.shape[dim]!;
        if (k < 1 || k > n) throw new IndexError(`kthvalue(): selected number k out of range for dimension ${dim}`);
        if (t.dtype === 'bool') throw new DtypeError(`"kthvalue_cpu" not implemented for 'Bool'`);
      }
      const shape = reducedShape(t.shape, t.ndim === 0 ? [] : [dim], attrs['keepdim'] as boolean);
      return [{ shape, dtype: t.dtype }, { shape, dtype: 'int64' }];
    },
  });
}

export function median(t: Tensor): Tensor;
export function median(t: Tensor, dim: number, opts?: { keepdim?: boolean }): ValuesIndices;
export function median(t: Tensor, dim?: number, opts?: { keepdim?: boolean }): Tensor | ValuesIndices {
  if (dim === undefined) {
    if (t.numel() === 0) return elementwise('mul', [cast(dispatch1('sum', [t.reshape(-1)], { dims: [0], keepdim: false }), t.dtype), NaN]);
    // `full`: autograd spreads the gradient over ties of the median, as PyTorch's median() (not median(dim)).
    return dispatch('median_dim', [t.reshape(-1)], { dim: 0, keepdim: false, full: true })[0]!;
  }
  const d = t.ndim === 0 ? (normalizeDim(dim, 0), 0) : normalizeDim(dim, t.ndim);
  const [values, indices] = dispatch('median_dim', [t], { dim: d, keepdim: opts?.keepdim ?? false });
  return valuesIndices(values!, indices!);
}
export function mode(t: Tensor, dim = -1, opts?: { keepdim?: boolean }): ValuesIndices {
  const d = t.ndim === 0 ? (normalizeDim(dim, 0), 0) : normalizeDim(dim, t.ndim);
  const [values, indices] = dispatch('mode', [t], { dim: d, keepdim: opts?.keepdim ?? false });
  return valuesIndices(values!, indices!);
}
export function kthvalue(t: Tensor, k: number, dim = -1, opts?: { keepdim?: boolean }): ValuesIndices {
  const d = t.ndim === 0 ? (normalizeDim(dim, 0), 0) : normalizeDim(dim, t.ndim);
  const [values, indices] = dispatch('kthvalue', [t], { dim: d, k, keepdim: opts?.keepdim ?? false });
  return valuesIndices(values!, indices!);
}
export function sort(t: Tensor, dim: number | { dim?: number; descending?: boolean; stable?: boolean } = -1, opts?: { descending?: boolean; stable?: boolean }): ValuesIndices {
  const o = typeof dim === 'object' ? dim : opts ?? {};
  const d0 = typeof dim === 'number' ? dim : dim.dim ?? -1;
  const d = t.ndim === 0 ? (normalizeDim(d0, 0), 0) : normalizeDim(d0, t.ndim);
  const [values, indices] = dispatch('sort', [t], { dim: d, descending: o.descending ?? false, stable: o.stable ?? false });
  return valuesIndices(values!, indices!);
}
