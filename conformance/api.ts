// The conformance matrix's API table: one entry per API name used in fixtures/conformance/*.json,
// saying how that PyTorch call is spelled in Kindling. `args` are the case's positional arguments
// (tensors already built on the device under test), `kw` its keyword arguments, camelCased.
import * as torch from '@kindling/tensor';
import type { Tensor } from '@kindling/tensor';

/* eslint-disable @typescript-eslint/no-explicit-any -- fixture arguments are untyped JSON */
type Args = any[];
export type Kwargs = Record<string, unknown>;
export type ApiCall = (args: Args, kw: Kwargs) => unknown;

/** The keyword arguments as Kindling's trailing options object, or nothing when there are none. */
const opts = (kw: Kwargs): [Kwargs] | [] => (Object.keys(kw).length > 0 ? [kw] : []);

const lib = torch as unknown as Record<string, (...a: unknown[]) => unknown>;
/** `torch.<name>(...args, kw?)`. */
const fn = (name: string): ApiCall => (args, kw) => {
  const f = lib[name];
  if (typeof f !== 'function') throw new Error(`conformance: torch.${name} is missing`);
  return f(...args, ...opts(kw));
};
/** `self.<name>(...rest, kw?)`. */
const method = (name: string): ApiCall => ([self, ...rest], kw) => {
  const m = (self as Record<string, unknown>)[name];
  if (typeof m !== 'function') throw new Error(`conformance: Tensor.${name} is missing`);
  return (m as (...a: unknown[]) => unknown).call(self, ...rest, ...opts(kw));
};

/** A PyTorch method name as Kindling spells it: snake_case camelCased, a trailing underscore kept. */
const jsName = (py: string): string => py.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/** A positional-or-keyword `dim` given as a keyword in PyTorch: positional (at `at`) in Kindling. */
const dimKw = (call: ApiCall, at: number): ApiCall => (args, { dim, ...kw }) => {
  if (dim === undefined) return call(args, kw);
  const a = [...args];
  while (a.length < at) a.push(undefined);
  a.splice(at, 0, dim);
  return call(a, kw);
};

/** One step of a `chain` case: a method or property by its PyTorch name, or a subscript. */
function chainStep(t: unknown, name: string, args: unknown[]): unknown {
  if (name === '__getitem__') return Array.isArray(t) ? t[args[0] as number] : (t as Tensor).index(...(args as torch.IndexItem[]));
  if (name === '__setitem__') {
    (t as Tensor).indexPut_(args[0] as torch.IndexItem[], args[1] as Tensor | number);
    return t;
  }
  const m = (t as Record<string, unknown>)[jsName(name)];
  if (m === undefined) throw new Error(`conformance: Tensor.${jsName(name)} is missing`);
  return typeof m === 'function' ? (m as (...a: unknown[]) => unknown).call(t, ...args) : m;
}

export const API: Record<string, ApiCall> = {
  // 1.1 creation
  'torch.tensor': fn('tensor'),
  'torch.as_tensor': fn('asTensor'),
  'torch.zeros': fn('zeros'),
  'torch.ones': fn('ones'),
  'torch.empty': fn('empty'),
  'torch.full': fn('full'),
  'torch.arange': fn('arange'),
  'torch.linspace': fn('linspace'),
  // base is positional in Kindling (PyTorch takes it as a keyword too).
  'torch.logspace': ([start, end, steps], { base, ...kw }) => torch.logspace(start, end, steps, (base as number | undefined) ?? 10, kw),
  'torch.eye': fn('eye'),
  'torch.diag': fn('diag'),
  'Tensor.diag': method('diag'),
  'torch.zeros_like': fn('zerosLike'),
  'torch.ones_like': fn('onesLike'),
  'torch.empty_like': fn('emptyLike'),
  'torch.full_like': fn('fullLike'),
  // 1.3 values out
  'Tensor.item': method('item'),
  'Tensor.tolist': method('tolist'),
  // NumPy arrays are typed arrays: torch.fromArray(array, shape) shares the array's memory; numpy() gives a flat view.
  'torch.from_numpy': ([a]) => torch.fromArray((a as { data: torch.TypedArray }).data, (a as { shape: number[] }).shape),
  'Tensor.numpy': method('numpy'),
  // 1.4 attributes
  'Tensor.size': method('size'),
  'Tensor.dim': method('dim'),
  'Tensor.numel': method('numel'),
  'Tensor.shape': ([t]) => [...(t as Tensor).shape],
  'Tensor.dtype': ([t]) => (t as Tensor).dtype,
  'Tensor.ndim': ([t]) => (t as Tensor).ndim,
  'Tensor.requires_grad': ([t]) => (t as Tensor).requiresGrad,
  // 1.5 conversions
  'Tensor.float': method('float'),
  'Tensor.double': method('double'),
  'Tensor.half': method('half'),
  'Tensor.bfloat16': method('bfloat16'),
  'Tensor.int': method('int'),
  'Tensor.long': method('long'),
  'Tensor.bool': method('bool'),
  'Tensor.byte': method('byte'),
  'Tensor.short': method('short'),
  'Tensor.char': method('char'),
  'Tensor.to': method('to'),
  'Tensor.type': method('type'),
  'Tensor.type_as': method('typeAs'),
  // 2.1 arithmetic
  'torch.add': fn('add'),
  'torch.sub': fn('sub'),
  'torch.mul': fn('mul'),
  'torch.div': fn('div'),
  'torch.floor_divide': fn('floorDivide'),
  'torch.remainder': fn('remainder'),
  'torch.fmod': fn('fmod'),
  'torch.pow': fn('pow'),
  'torch.neg': fn('neg'),
  'torch.abs': fn('abs'),
  'Tensor.add': method('add'),
  'Tensor.sub': method('sub'),
  'Tensor.mul': method('mul'),
  'Tensor.div': method('div'),
  'Tensor.floor_divide': method('floorDivide'),
  'Tensor.remainder': method('remainder'),
  'Tensor.fmod': method('fmod'),
  'Tensor.pow': method('pow'),
  'Tensor.neg': method('neg'),
  'Tensor.abs': method('abs'),
  'Tensor.add_': method('add_'),
  'Tensor.sub_': method('sub_'),
  'Tensor.mul_': method('mul_'),
  'Tensor.div_': method('div_'),
  'Tensor.pow_': method('pow_'),
  'Tensor.neg_': method('neg_'),
  'Tensor.abs_': method('abs_'),
  // 2.2 matrices
  'torch.mm': fn('mm'),
  'torch.bmm': fn('bmm'),
  'torch.matmul': fn('matmul'),
  'torch.mv': fn('mv'),
  'torch.dot': fn('dot'),
  'torch.outer': fn('outer'),
  'torch.transpose': fn('transpose'),
  'torch.permute': fn('permute'),
  'torch.inverse': fn('inverse'),
  'torch.det': fn('det'),
  'torch.trace': fn('trace'),
  'Tensor.mm': method('mm'),
  'Tensor.matmul': method('matmul'),
  'Tensor.transpose': method('transpose'),
  'Tensor.permute': method('permute'),
  'Tensor.t': method('t'),
  'Tensor.T': ([t]) => (t as Tensor).T,
  'Tensor.mT': ([t]) => (t as Tensor).mT,
  'Tensor.inverse': method('inverse'),
  'Tensor.det': method('det'),
  'Tensor.trace': method('trace'),
  // 2.3 reductions
  'torch.sum': fn('sum'),
  'torch.mean': fn('mean'),
  'torch.prod': fn('prod'),
  'torch.amax': fn('amax'),
  'torch.amin': fn('amin'),
  'torch.all': fn('all'),
  'torch.any': fn('any'),
  'torch.std': fn('std'),
  'torch.var': fn('var'),
  'torch.max': fn('max'),
  'torch.min': fn('min'),
  'torch.max_dim': fn('max'),
  'torch.min_dim': fn('min'),
  'torch.argmax': fn('argmax'),
  'torch.argmin': fn('argmin'),
  'torch.median_dim': fn('median'),
  'torch.mode': fn('mode'),
  'torch.cumsum': fn('cumsum'),
  'torch.cumprod': fn('cumprod'),
  'Tensor.sum': method('sum'),
  'Tensor.mean': method('mean'),
  'Tensor.prod': method('prod'),
  'Tensor.amax': method('amax'),
  'Tensor.amin': method('amin'),
  'Tensor.all': method('all'),
  'Tensor.any': method('any'),
  'Tensor.std': method('std'),
  'Tensor.var': method('var'),
  'Tensor.max': method('max'),
  'Tensor.min': method('min'),
  'Tensor.max_dim': method('max'),
  'Tensor.min_dim': method('min'),
  'Tensor.argmax': method('argmax'),
  'Tensor.argmin': method('argmin'),
  'Tensor.median': method('median'),
  'Tensor.median_dim': method('median'),
  'Tensor.mode': method('mode'),
  'Tensor.cumsum': method('cumsum'),
  'Tensor.cumprod': method('cumprod'),
  // 2.4 comparisons
  'torch.eq': fn('eq'),
  'torch.ne': fn('ne'),
  'torch.gt': fn('gt'),
  'torch.ge': fn('ge'),
  'torch.lt': fn('lt'),
  'torch.le': fn('le'),
  'torch.equal': fn('equal'),
  'torch.allclose': fn('allclose'),
  'torch.isclose': fn('isclose'),
  'torch.isnan': fn('isnan'),
  'torch.isinf': fn('isinf'),
  'torch.isfinite': fn('isfinite'),
  'Tensor.eq': method('eq'),
  'Tensor.ne': method('ne'),
  'Tensor.gt': method('gt'),
  'Tensor.ge': method('ge'),
  'Tensor.lt': method('lt'),
  'Tensor.le': method('le'),
  'Tensor.equal': method('equal'),
  'Tensor.allclose': method('allclose'),
  'Tensor.isnan': method('isnan'),
  'Tensor.isinf': method('isinf'),
  'Tensor.isfinite': method('isfinite'),
  // 2.5 math functions
  ...Object.fromEntries(
    ['exp', 'log', 'log2', 'log10', 'log1p', 'sqrt', 'rsqrt', 'square', 'sin', 'cos', 'tan', 'sinh', 'cosh', 'tanh',
      'sigmoid', 'sign', 'floor', 'ceil', 'round', 'trunc', 'frac']
      .flatMap((n) => [[`torch.${n}`, fn(n)], [`Tensor.${n}`, method(n)], [`Tensor.${n}_`, method(`${n}_`)]]),
  ) as Record<string, ApiCall>,
  'torch.clamp': fn('clamp'),
  'torch.clip': fn('clip'),
  'Tensor.clamp': method('clamp'),
  'Tensor.clip': method('clip'),
  'Tensor.clamp_': method('clamp_'),
  // 3.1–3.2 views (PyTorch's x[items] is x.index(...items); x[items] = v is x.indexPut_(items, v))
  ...Object.fromEntries(
    ['view', 'reshape', 'contiguous', 'is_contiguous', 'ravel', 'squeeze', 'unsqueeze', 'expand', 'expand_as', 'movedim',
      'swapaxes', 'swapdims', 'narrow', 'select', 'unflatten', 'diagonal', 'as_strided', 'unfold', 'chunk', 'unbind',
      'repeat', 'tile', 'flip', 'fliplr', 'flipud', 'roll', 'clone', 'sort', 'argsort', 'kthvalue', 'unique', 'gather',
      'scatter', 'scatter_', 'scatter_add', 'scatter_add_', 'index_select', 'index_add', 'index_add_', 'index_copy',
      'index_copy_', 'index_fill', 'index_fill_', 'take', 'masked_fill', 'masked_fill_', 'nonzero', 'argwhere', 'where']
      .map((n) => [`Tensor.${n}`, method(jsName(n))]),
  ) as Record<string, ApiCall>,
  ...Object.fromEntries(
    ['reshape', 'ravel', 'squeeze', 'unsqueeze', 'movedim', 'moveaxis', 'swapaxes', 'narrow', 'select', 'as_strided', 'concat',
      'vstack', 'hstack', 'dstack', 'tile', 'flip', 'fliplr', 'flipud', 'clone', 'sort', 'argsort', 'unique', 'gather',
      'scatter', 'scatter_add', 'index_select', 'take', 'masked_select', 'nonzero', 'argwhere', 'where']
      .map((n) => [`torch.${n}`, fn(jsName(n))]),
  ) as Record<string, ApiCall>,
  'Tensor.flatten': ([t, start, end], { startDim, endDim }) => (t as Tensor).flatten(start ?? startDim, end ?? endDim),
  'torch.flatten': fn('flatten'),
  'torch.diagonal': ([t, offset, dim1, dim2], kw) => torch.diagonal(t, offset ?? kw['offset'], dim1 ?? kw['dim1'], dim2 ?? kw['dim2']),
  'Tensor.split': dimKw(method('split'), 2),
  'torch.split': dimKw(fn('split'), 2),
  'torch.chunk': dimKw(fn('chunk'), 2),
  'torch.unbind': dimKw(fn('unbind'), 1),
  'torch.cat': dimKw(fn('cat'), 1),
  'torch.stack': dimKw(fn('stack'), 1),
  'torch.roll': ([t, shifts, dims], kw) => torch.roll(t, shifts ?? kw['shifts'], dims ?? kw['dims']),
  'torch.topk': ([t, k, dim], kw) => torch.topk(t, k, dim ?? -1, kw),
  'Tensor.topk': ([t, k, dim], kw) => (t as Tensor).topk(k, dim ?? -1, kw),
  'torch.kthvalue': ([t, k, dim], kw) => torch.kthvalue(t, k, dim ?? -1, kw),
  'torch.masked_select': fn('maskedSelect'),
  // x[items], x[items] = value, x.index_put_(indices, values, accumulate=)
  'Tensor.__getitem__': ([t, ...items]) => (t as Tensor).index(...(items as torch.IndexItem[])),
  'Tensor.__setitem__': ([t, items, value]) => (t as Tensor).indexPut_(items, value),
  'Tensor.index_put_': method('indexPut_'),
  // Steps applied one after another: views of views, and in-place ops through views.
  chain: ([t, steps]) => (steps as [string, ...unknown[]][]).reduce<unknown>((x, [name, ...args]) => chainStep(x, name, args), t),
};
