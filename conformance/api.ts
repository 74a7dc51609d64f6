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
};
