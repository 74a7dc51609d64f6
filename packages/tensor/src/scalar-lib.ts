import { bfloat16BitsToNumber, float16BitsToNumber, numberToBfloat16Bits, numberToFloat16Bits, roundToBfloat16, roundToFloat16 } from './half.js';
import { toBigInt } from './elements.js';

/**
 * Scalar helpers that elementwise expressions may call as `L.name(...)`. JS-executing backends
 * pass this object to their generated kernels; the semantics are PyTorch's.
 */
export const scalarLib = {
  h2f: float16BitsToNumber,
  f2h: numberToFloat16Bits,
  bf2f: bfloat16BitsToNumber,
  f2bf: numberToBfloat16Bits,
  rh: roundToFloat16,
  rbf: roundToBfloat16,
  toBig: toBigInt,
  /** Python-style floor division for floats: floor(a / b) with PyTorch's rounding correction. */
  floorDiv(a: number, b: number): number {
    if (b === 0) return a / b;
    const mod = a % b;
    let div = (a - mod) / b;
    if (mod !== 0 && b < 0 !== mod < 0) div -= 1;
    if (div === 0) return Object.is(a / b, -0) || a / b < 0 ? -0 : 0;
    const floorDiv = Math.floor(div);
    return div - floorDiv > 0.5 ? floorDiv + 1 : floorDiv;
  },
  /** Integer floor division; division by zero is an error, as in PyTorch. */
  intFloorDiv(a: number, b: number): number {
    if (b === 0) throw new RangeError('ZeroDivisionError');
    const q = Math.trunc(a / b);
    return q * b !== a && a < 0 !== b < 0 ? q - 1 : q;
  },
  bigFloorDiv(a: bigint, b: bigint): bigint {
    if (b === 0n) throw new RangeError('ZeroDivisionError');
    const q = a / b;
    return q * b !== a && a < 0n !== b < 0n ? q - 1n : q;
  },
  intTruncDiv(a: number, b: number): number {
    if (b === 0) throw new RangeError('ZeroDivisionError');
    return Math.trunc(a / b);
  },
  bigTruncDiv(a: bigint, b: bigint): bigint {
    if (b === 0n) throw new RangeError('ZeroDivisionError');
    return a / b;
  },
  /** Python's modulo: the result has the sign of the divisor. */
  rem(a: number, b: number): number {
    const m = a % b;
    return m !== 0 && m < 0 !== b < 0 ? m + b : m;
  },
  intRem(a: number, b: number): number {
    if (b === 0) throw new RangeError('ZeroDivisionError');
    const m = a % b;
    return m !== 0 && m < 0 !== b < 0 ? m + b : m;
  },
  bigRem(a: bigint, b: bigint): bigint {
    if (b === 0n) throw new RangeError('ZeroDivisionError');
    const m = a % b;
    return m !== 0n && m < 0n !== b < 0n ? m + b : m;
  },
  intFmod(a: number, b: number): number {
    if (b === 0) throw new RangeError('ZeroDivisionError');
    return a % b;
  },
  bigFmod(a: bigint, b: bigint): bigint {
    if (b === 0n) throw new RangeError('ZeroDivisionError');
    return a % b;
  },
  /** Integer power as C++ computes it (wrapping), negative exponents per PyTorch (0, or ±1 for base ±1). */
  intPow(a: number, b: number): number {
    if (b < 0) return a === 1 ? 1 : a === -1 ? (b % 2 === 0 ? 1 : -1) : 0;
    let r = 1;
    let base = a;
    let e = b;
    while (e > 0) {
      if (e & 1) r = Math.imul(r, base);
      base = Math.imul(base, base);
      e = Math.floor(e / 2);
    }
    return r;
  },
  bigPow(a: bigint, b: bigint): bigint {
    if (b < 0n) return a === 1n ? 1n : a === -1n ? (b % 2n === 0n ? 1n : -1n) : 0n;
    let r = 1n;
    let base = a;
    let e = b;
    while (e > 0n) {
      if (e & 1n) r = BigInt.asIntN(64, r * base);
      base = BigInt.asIntN(64, base * base);
      e >>= 1n;
    }
    return r;
  },
  /** Round half to even, as torch.round. */
  round(x: number): number {
    if (!Number.isFinite(x)) return x;
    const r = Math.round(x);
    return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
  },
  /** (0 < x) − (x < 0), as PyTorch computes it: NaN and ±0 give 0. */
  sign(x: number): number {
    return x > 0 ? 1 : x < 0 ? -1 : 0;
  },
  /** C's pow: 1 to any power (NaN too) and −1 to ±∞ are 1, where JS's Math.pow gives NaN. */
  pow(a: number, b: number): number {
    return a === 1 || (a === -1 && (b === Infinity || b === -Infinity)) ? 1 : Math.pow(a, b);
  },
  frac(x: number): number {
    return x - Math.trunc(x);
  },
  sigmoid(x: number): number {
    return 1 / (1 + Math.exp(-x));
  },
  rsqrt(x: number): number {
    return 1 / Math.sqrt(x);
  },
  /** NaN-propagating maximum/minimum (torch.maximum). */
  max(a: number, b: number): number {
    return a !== a || b !== b ? NaN : a > b ? a : b === 0 && a === 0 ? (Object.is(a, -0) ? b : a) : b;
  },
  min(a: number, b: number): number {
    return a !== a || b !== b ? NaN : a < b ? a : b === 0 && a === 0 ? (Object.is(a, -0) ? a : b) : b;
  },
  fmax(a: number, b: number): number {
    return a !== a ? b : b !== b ? a : a > b ? a : b;
  },
  fmin(a: number, b: number): number {
    return a !== a ? b : b !== b ? a : a < b ? a : b;
  },
  bigMax(a: bigint, b: bigint): bigint {
    return a > b ? a : b;
  },
  bigMin(a: bigint, b: bigint): bigint {
    return a < b ? a : b;
  },
  bigAbs(a: bigint): bigint {
    return a < 0n ? BigInt.asIntN(64, -a) : a;
  },
  bigSign(a: bigint): bigint {
    return a > 0n ? 1n : a < 0n ? -1n : 0n;
  },
  /** Clamp with PyTorch's rule, min(max(x, lo), hi): NaN input stays NaN; max wins when min > max. */
  clamp(x: number, lo: number, hi: number): number {
    if (x !== x) return x;
    const y = lo !== lo ? NaN : x < lo ? lo : x;
    return hi !== hi ? NaN : y > hi ? hi : y;
  },
  bigClamp(x: bigint, lo: bigint, hi: bigint): bigint {
    const y = x < lo ? lo : x;
    return y > hi ? hi : y;
  },
  erf(x: number): number {
    // Abramowitz–Stegun 7.1.26 is too coarse for float64; use a series / continued fraction split.
    if (x !== x) return NaN;
    const ax = Math.abs(x);
    if (ax < 2.5) {
      // Maclaurin series converges quickly here.
      let sum = ax;
      let term = ax;
      const x2 = ax * ax;
      for (let n = 1; n < 60; n++) {
        term *= -x2 / n;
        const add = term / (2 * n + 1);
        sum += add;
        if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
      }
      const r = (2 / Math.sqrt(Math.PI)) * sum;
      return x < 0 ? -r : r;
    }
    const r = 1 - scalarLib.erfcPositive(ax);
    return x < 0 ? -r : r;
  },
  erfc(x: number): number {
    if (x !== x) return NaN;
    if (x < 0.5) return 1 - scalarLib.erf(x);
    return scalarLib.erfcPositive(x);
  },
  /** erfc for x ≥ 0.5 by Lentz's continued fraction. */
  erfcPositive(x: number): number {
    if (x > 27) return 0;
    // erfc(x) = exp(-x²)/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...))))
    const tiny = 1e-300;
    let f = x;
    let c = x;
    let d = 0;
    for (let n = 1; n < 500; n++) {
      const an = n / 2;
      d = x + an * d;
      d = d === 0 ? tiny : d;
      c = x + an / c;
      c = c === 0 ? tiny : c;
      d = 1 / d;
      const delta = c * d;
      f *= delta;
      if (Math.abs(delta - 1) < 1e-16) break;
    }
    return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
  },
  /** Logical cast of any value to bool: NaN is true, as in C++. */
  truthy(x: number): number {
    return x !== 0 ? 1 : 0;
  },
};

export type ScalarLib = typeof scalarLib;
