import type { DType } from '../dtype.js';
import { dtypeLabel, type ElementwiseSpec } from '../op.js';

/**
 * Every elementwise op, declared once: its name and scalar formulas. The op definitions, the
 * Tensor methods and the code-generating kernels are all made from this table.
 * Expressions use `a`, `b`, `c` and helpers `L.*` (scalar-lib.ts).
 */
export interface ElementwiseEntry extends ElementwiseSpec {
  readonly name: string;
  readonly arity: 1 | 2 | 3;
  /** Name of the Tensor method when it differs from the camelCased op name. */
  readonly method?: string;
  /** Has an in-place `name_` variant. */
  readonly inplace?: boolean;
}

const notFor = (kernel: string, ...dtypes: DType[]) => (d: DType) =>
  dtypes.includes(d) ? `"${kernel}" not implemented for '${dtypeLabel(d)}'` : undefined;
const floatOnly = (kernel: string) => (d: DType) =>
  d.startsWith('float') || d === 'bfloat16' ? undefined : `"${kernel}" not implemented for '${dtypeLabel(d)}'`;
const noBool = (msg: string) => (d: DType) => (d === 'bool' ? msg : undefined);
const intOnly = (kernel: string) => (d: DType) =>
  d.startsWith('float') || d === 'bfloat16' ? `"${kernel}" not implemented for '${dtypeLabel(d)}'` : undefined;

/** PyTorch refuses `-` when either operand is bool, whatever the result type would be. */
const subRefusal = (_compute: DType, operands: readonly DType[]) =>
  operands.every((d) => d === 'bool')
    ? 'Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.'
    : operands.some((d) => d === 'bool')
      ? 'Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.'
      : undefined;

const floatUnary = (name: string, expr: string, extra: Partial<ElementwiseEntry> = {}): ElementwiseEntry => ({
  name, arity: 1, output: 'float', expr, inplace: true, ...extra,
});

export const ELEMENTWISE: readonly ElementwiseEntry[] = [
  // Unary, floating result (integers promote to the default float dtype).
  floatUnary('exp', 'Math.exp(a)'),
  floatUnary('exp2', 'Math.pow(2, a)'),
  floatUnary('expm1', 'Math.expm1(a)'),
  floatUnary('log', 'Math.log(a)'),
  floatUnary('log2', 'Math.log2(a)'),
  floatUnary('log10', 'Math.log10(a)'),
  floatUnary('log1p', 'Math.log1p(a)'),
  floatUnary('sqrt', 'Math.sqrt(a)'),
  floatUnary('rsqrt', '1 / Math.sqrt(a)'),
  floatUnary('sin', 'Math.sin(a)'),
  floatUnary('cos', 'Math.cos(a)'),
  floatUnary('tan', 'Math.tan(a)'),
  floatUnary('asin', 'Math.asin(a)'),
  floatUnary('acos', 'Math.acos(a)'),
  floatUnary('atan', 'Math.atan(a)'),
  floatUnary('sinh', 'Math.sinh(a)'),
  floatUnary('cosh', 'Math.cosh(a)'),
  floatUnary('tanh', 'Math.tanh(a)'),
  floatUnary('asinh', 'Math.asinh(a)'),
  floatUnary('acosh', 'Math.acosh(a)'),
  floatUnary('atanh', 'Math.atanh(a)'),
  floatUnary('sigmoid', '1 / (1 + Math.exp(-a))'),
  floatUnary('erf', 'L.erf(a)'),
  floatUnary('erfc', 'L.erfc(a)'),
  floatUnary('reciprocal', '1 / a'),
  // Unary, same dtype.
  { name: 'relu', arity: 1, output: 'same', expr: 'a > 0 ? a : a !== a ? a : 0', bigExpr: 'a > 0n ? a : 0n', inplace: true, refuse: notFor('clamp_min_cpu', 'bool') },
  { name: 'neg', arity: 1, output: 'same', expr: '-a', bigExpr: '-a', inplace: true, method: 'neg',
    refuse: noBool('Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.') },
  { name: 'abs', arity: 1, output: 'same', expr: 'Math.abs(a)', bigExpr: 'L.bigAbs(a)', inplace: true, refuse: notFor('abs_cpu', 'bool') },
  { name: 'sign', arity: 1, output: 'same', expr: 'L.sign(a)', bigExpr: 'L.bigSign(a)', inplace: true },
  { name: 'floor', arity: 1, output: 'same', expr: 'Math.floor(a)', intExpr: 'a', bigExpr: 'a', inplace: true, refuse: notFor('floor', 'bool') },
  { name: 'ceil', arity: 1, output: 'same', expr: 'Math.ceil(a)', intExpr: 'a', bigExpr: 'a', inplace: true, refuse: notFor('ceil', 'bool') },
  { name: 'trunc', arity: 1, output: 'same', expr: 'Math.trunc(a)', intExpr: 'a', bigExpr: 'a', inplace: true, refuse: notFor('trunc', 'bool') },
  { name: 'round', arity: 1, output: 'same', expr: 'L.round(a)', intExpr: 'a', bigExpr: 'a', inplace: true, refuse: notFor('round', 'bool') },
  { name: 'frac', arity: 1, output: 'same', expr: 'a - Math.trunc(a)', inplace: true, refuse: floatOnly('frac_cpu') },
  { name: 'bitwise_not', arity: 1, output: 'same', expr: '~a', boolExpr: '1 - a', bigExpr: '~a', inplace: true, refuse: intOnly('bitwise_not_cpu') },
  { name: 'logical_not', arity: 1, output: 'bool', expr: 'a === 0', bigExpr: 'a === 0n', inplace: true },
  { name: 'isnan', arity: 1, output: 'bool', expr: 'a !== a', bigExpr: 'false' },
  { name: 'isinf', arity: 1, output: 'bool', expr: 'a === Infinity || a === -Infinity', bigExpr: 'false' },
  { name: 'isposinf', arity: 1, output: 'bool', expr: 'a === Infinity', bigExpr: 'false' },
  { name: 'isneginf', arity: 1, output: 'bool', expr: 'a === -Infinity', bigExpr: 'false' },
  { name: 'isfinite', arity: 1, output: 'bool', expr: 'a - a === 0', bigExpr: 'true' },
  { name: 'signbit', arity: 1, output: 'bool', expr: 'a < 0 || Object.is(a, -0)', bigExpr: 'a < 0n' },
  // Binary arithmetic.
  { name: 'add', arity: 2, output: 'same', expr: 'a + b', boolExpr: 'a | b', bigExpr: 'a + b', inplace: true },
  { name: 'sub', arity: 2, output: 'same', expr: 'a - b', bigExpr: 'a - b', inplace: true, refuse: subRefusal },
  { name: 'mul', arity: 2, output: 'same', expr: 'a * b', intExpr: 'Math.imul(a, b)', boolExpr: 'a & b', bigExpr: 'a * b', inplace: true },
  { name: 'div', arity: 2, output: 'float', expr: 'a / b', inplace: true },
  { name: 'div_trunc', arity: 2, output: 'same', expr: 'Math.trunc(a / b)', intExpr: 'L.intTruncDiv(a, b)', bigExpr: 'L.bigTruncDiv(a, b)', intMayThrow: true },
  { name: 'floor_divide', arity: 2, output: 'same', expr: 'L.floorDiv(a, b)', intExpr: 'L.intFloorDiv(a, b)', bigExpr: 'L.bigFloorDiv(a, b)', inplace: true, intMayThrow: true,
    refuse: notFor('div_floor_cpu', 'bool') },
  { name: 'remainder', arity: 2, output: 'same', expr: 'L.rem(a, b)', intExpr: 'L.intRem(a, b)', bigExpr: 'L.bigRem(a, b)', inplace: true, intMayThrow: true,
    refuse: notFor('remainder_cpu', 'bool') },
  { name: 'fmod', arity: 2, output: 'same', expr: 'a % b', intExpr: 'L.intFmod(a, b)', bigExpr: 'L.bigFmod(a, b)', inplace: true, intMayThrow: true,
    refuse: notFor('fmod_cpu', 'bool') },
  { name: 'pow', arity: 2, output: 'same', expr: 'L.pow(a, b)', intExpr: 'L.intPow(a, b)', bigExpr: 'L.bigPow(a, b)', inplace: true,
    refuse: notFor('pow', 'bool') },
  { name: 'atan2', arity: 2, output: 'float', expr: 'Math.atan2(a, b)', inplace: true },
  { name: 'maximum', arity: 2, output: 'same', expr: 'L.max(a, b)', intExpr: 'a > b ? a : b', bigExpr: 'a > b ? a : b' },
  { name: 'minimum', arity: 2, output: 'same', expr: 'L.min(a, b)', intExpr: 'a < b ? a : b', bigExpr: 'a < b ? a : b' },
  { name: 'fmax', arity: 2, output: 'same', expr: 'L.fmax(a, b)', intExpr: 'a > b ? a : b', bigExpr: 'a > b ? a : b' },
  { name: 'fmin', arity: 2, output: 'same', expr: 'L.fmin(a, b)', intExpr: 'a < b ? a : b', bigExpr: 'a < b ? a : b' },
  { name: 'bitwise_and', arity: 2, output: 'same', expr: 'a & b', bigExpr: 'a & b', inplace: true, refuse: intOnly('bitwise_and_cpu') },
  { name: 'bitwise_or', arity: 2, output: 'same', expr: 'a | b', bigExpr: 'a | b', inplace: true, refuse: intOnly('bitwise_or_cpu') },
  { name: 'bitwise_xor', arity: 2, output: 'same', expr: 'a ^ b', bigExpr: 'a ^ b', inplace: true, refuse: intOnly('bitwise_xor_cpu') },
  // Comparisons and logic: bool results.
  { name: 'eq', arity: 2, output: 'bool', expr: 'a === b', bigExpr: 'a === b', inplace: true },
  { name: 'ne', arity: 2, output: 'bool', expr: 'a !== b', bigExpr: 'a !== b', inplace: true },
  { name: 'lt', arity: 2, output: 'bool', expr: 'a < b', bigExpr: 'a < b', inplace: true },
  { name: 'le', arity: 2, output: 'bool', expr: 'a <= b', bigExpr: 'a <= b', inplace: true },
  { name: 'gt', arity: 2, output: 'bool', expr: 'a > b', bigExpr: 'a > b', inplace: true },
  { name: 'ge', arity: 2, output: 'bool', expr: 'a >= b', bigExpr: 'a >= b', inplace: true },
  { name: 'logical_and', arity: 2, output: 'bool', expr: 'a !== 0 && b !== 0', bigExpr: 'a !== 0n && b !== 0n', inplace: true },
  { name: 'logical_or', arity: 2, output: 'bool', expr: 'a !== 0 || b !== 0', bigExpr: 'a !== 0n || b !== 0n', inplace: true },
  { name: 'logical_xor', arity: 2, output: 'bool', expr: '(a !== 0) !== (b !== 0)', bigExpr: '(a !== 0n) !== (b !== 0n)', inplace: true },
  // Ternary. `where`'s condition is read as a number (bool 0/1) and takes no part in promotion.
  { name: 'where', arity: 3, output: 'same', expr: 'a ? b : c', bigExpr: 'a ? b : c' },
  { name: 'clamp', arity: 3, output: 'same', expr: 'L.clamp(a, b, c)', intExpr: 'Math.min(Math.max(a, b), c)', bigExpr: 'L.bigClamp(a, b, c)', inplace: true,
    refuse: notFor('clamp_cpu', 'bool') },
  { name: 'lerp', arity: 3, output: 'same', expr: 'Math.abs(c) < 0.5 ? a + c * (b - a) : b - (b - a) * (1 - c)', inplace: true, refuse: floatOnly('lerp_kernel_scalar') },
];

export const ELEMENTWISE_BY_NAME: ReadonlyMap<string, ElementwiseEntry> = new Map(ELEMENTWISE.map((e) => [e.name, e]));
