/**
 * PyTorch 1.13's CPU sampling algorithms, reproduced number for number.
 *
 * Every function draws from a `Generator` in the order PyTorch's CPU kernels do and returns the
 * values PyTorch would store, already rounded to `dtype` (float32 values are exact float32 numbers,
 * float16/bfloat16 values exact half/bfloat16 numbers), so storing them loses nothing. Values come
 * in PyTorch's generation order: for a contiguous tensor that is element order; for a
 * non-contiguous one, `TensorIterator` order (dimensions sorted by stride, i.e. memory order for a
 * permuted tensor), which the caller is responsible for.
 *
 * The algorithms (aten/src/ATen/core/DistributionsHelper.h, TransformationHelper.h,
 * native/cpu/DistributionTemplates.h, native/TensorFactories.cpp), as checked against
 * PyTorch 1.13.1 (Debian, x86-64, AVX2 kernels, no MKL):
 *
 * - uniform: `uniform_real_distribution<T>`: float32 masks 24 bits of one 32-bit draw, float16
 *   11 bits, bfloat16 8 bits, float64 53 bits of `random64()`; times 2^-digits, then
 *   `x * (to - from) + from`, fused (one rounding) as the AVX2 build compiles it.
 * - normal (`normal_`, `randn`): for a contiguous tensor of ≥ 16 elements, all uniforms first,
 *   then Box–Muller in blocks of 16 (u1 = 1 - data[j], u2 = data[j + 8]); if the size is not a
 *   multiple of 16 the last 16 are redrawn and recomputed. float32 uses the AVX2 kernel with
 *   `avx_mathfun.h`'s float32 log/sincos, emulated here operation for operation (including the
 *   FMAs the compiler formed). Otherwise (fewer than 16 elements, or not contiguous) a scalar
 *   double Box–Muller sampler that caches its second sample in the generator.
 * - randint / random_(from, to): `random() % range + from`, `random64()` when range ≥ 2^32.
 * - randperm: `r[i] <-> r[i + random() % (n - i)]` for i in 0..n-2.
 * - bernoulli: `uniform < p`; a float64 probability tensor or a scalar p uses the double uniform,
 *   any other probability dtype the float32 uniform.
 *
 * The double sampler's log/sin/cos are glibc's in PyTorch and JavaScript's `Math` functions here;
 * those agree to within an ulp but not always to the last bit, so float64 normal values (and
 * exponential/cauchy/log-normal values) can differ from PyTorch's in the last bit or two. float32
 * values (the AVX2 path is emulated exactly; the double path is rounded to float32) and all
 * uniform, integer and Bernoulli values match exactly.
 */

import type { DType } from '../dtype.js';
import type { Generator } from './generator.js';

// ---------------------------------------------------------------------------------------------
// Floating-point helpers

const fround = Math.fround;
const TWO_POW_M24 = 2 ** -24;
const TWO_POW_M53 = 2 ** -53;

const f32buf = new Float32Array(1);
const u32of32 = new Uint32Array(f32buf.buffer);
const f64buf = new Float64Array(1);
const u32of64 = new Uint32Array(f64buf.buffer);
// Typed arrays use the platform's byte order; find which word of a double holds the low bits.
const LO = (() => {
  f64buf[0] = 1; // 0x3ff00000_00000000
  return u32of64[0] === 0 ? 0 : 1;
})();
const HI = 1 - LO;

function f32Bits(x: number): number {
  f32buf[0] = x;
  return u32of32[0]!;
}
function f32FromBits(b: number): number {
  u32of32[0] = b >>> 0;
  return f32buf[0]!;
}

/** The float32 next to the float32 `r`, in the direction of `dir` (+1 or -1). */
function nextFloat32(r: number, dir: number): number {
  if (r === 0) return dir > 0 ? 2 ** -149 : -(2 ** -149);
  const b = f32Bits(r);
  // For positive r moving up (or negative r moving down) the magnitude grows.
  return f32FromBits((r > 0) === (dir > 0) ? b + 1 : b - 1);
}

/** The double next to `x`, in the direction of `dir`. */
function nextDouble(x: number, dir: number): number {
  if (x === 0) return dir > 0 ? Number.MIN_VALUE : -Number.MIN_VALUE;
  f64buf[0] = x;
  let lo = u32of64[LO]!;
  let hi = u32of64[HI]!;
  if ((x > 0) === (dir > 0)) {
    lo = (lo + 1) >>> 0;
    if (lo === 0) hi = (hi + 1) >>> 0;
  } else {
    if (lo === 0) hi = (hi - 1) >>> 0;
    lo = (lo - 1) >>> 0;
  }
  u32of64[LO] = lo;
  u32of64[HI] = hi;
  return f64buf[0]!;
}

/**
 * Single-precision fused multiply-add: `a * b + c` rounded once to float32, for float32 inputs
 * (as `vfmadd…ps`). `a * b` is exact in double; the only hazard of rounding `a * b + c` to double
 * and then to float32 is a double result that lands exactly on a float32 midpoint, fixed here.
 */
export function fmaf(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const r = fround(s);
  if (r === s || !Number.isFinite(s)) return r;
  const bb = s - p;
  const err = p - (s - bb) + (c - bb);
  if (err === 0) return r;
  const other = nextFloat32(r, s > r ? 1 : -1);
  if (s - r !== other - s) return r; // not a midpoint: r is right
  return err > 0 ? Math.max(r, other) : Math.min(r, other);
}

const SPLITTER = 134217729; // 2^27 + 1

/**
 * Double-precision fused multiply-add `a * b + c` with one rounding (Boldo–Melquiond: exact product,
 * 2Sum, and an addition rounded to odd). Falls back to `a * b + c` where the error-free transforms
 * could overflow or underflow, which never happens for the values sampled here.
 */
export function fma64(a: number, b: number, c: number): number {
  const p = a * b;
  if (p === 0 || !Number.isFinite(p) || !Number.isFinite(c)) return p + c;
  const ap = Math.abs(a);
  const bp = Math.abs(b);
  if (ap > 2 ** 995 || bp > 2 ** 995 || Math.abs(p) < 2 ** -960 || (c !== 0 && Math.abs(c) < 2 ** -960)) {
    return p + c;
  }
  // Dekker's exact product: p + pl === a * b.
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const pl = ah * bh - p + ah * bl + al * bh + al * bl;
  // 2Sum: th + tl === c + p.
  const th = c + p;
  const bb = th - c;
  const tl = c - (th - bb) + (p - bb);
  // v = tl + pl rounded to odd.
  let v = tl + pl;
  const vb = v - tl;
  const ve = tl - (v - vb) + (pl - vb);
  if (ve !== 0) {
    f64buf[0] = v;
    if ((u32of64[LO]! & 1) === 0) v = nextDouble(v, ve);
  }
  return th + v;
}

/** Round a float32 value to the nearest float16 (ties to even) and return it as a number. */
function halfFromFloat(x: number): number {
  const bits = f32Bits(x);
  const sign = bits >>> 31 ? -1 : 1;
  const exp = (bits >>> 23) & 0xff;
  let mant = bits & 0x7fffff;
  if (exp === 0xff) return mant ? NaN : x;
  const e = exp - 127; // unbiased exponent of x
  if (e >= 16) return sign * Infinity;
  // Number of low mantissa bits (of the 24-bit significand) that float16 cannot hold.
  let shift: number;
  if (e >= -14) {
    shift = 13;
    mant |= 0x800000;
  } else {
    if (e < -25) return sign * 0; // below half the smallest subnormal (2^-25): rounds to zero
    mant |= exp === 0 ? 0 : 0x800000;
    shift = 13 + (-14 - e);
  }
  const halfUlp = 2 ** (shift - 1);
  const rest = mant % 2 ** shift;
  let m = Math.floor(mant / 2 ** shift);
  if (rest > halfUlp || (rest === halfUlp && (m & 1) === 1)) m += 1;
  // value = m * 2^(e - 23 + shift)
  const out = m * 2 ** (e - 23 + shift);
  return out >= 65520 ? sign * Infinity : sign * out;
}

/** Round a float32 value to the nearest bfloat16 (ties to even), as `c10::BFloat16(float)`. */
function bfloat16FromFloat(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const b = f32Bits(x);
  const lsb = (b >>> 16) & 1;
  return f32FromBits(((b + 0x7fff + lsb) >>> 16) << 16);
}

type FloatDType = 'float32' | 'float64' | 'float16' | 'bfloat16';

function isFloatDType(d: DType): d is FloatDType {
  return d === 'float32' || d === 'float64' || d === 'float16' || d === 'bfloat16';
}

/** PyTorch's name for the C++ scalar type, for error messages ("not implemented for 'Long'"). */
const SCALAR_NAME: Record<DType, string> = {
  bool: 'Bool', uint8: 'Byte', int8: 'Char', int16: 'Short', int32: 'Int', int64: 'Long',
  float16: 'Half', bfloat16: 'BFloat16', float32: 'Float', float64: 'Double',
};

function requireFloat(dtype: DType, kernel: string): FloatDType {
  if (!isFloatDType(dtype)) throw new TypeError(`"${kernel}" not implemented for '${SCALAR_NAME[dtype] ?? dtype}'`);
  return dtype;
}

/** Round a float32 value to a 16-bit float type (identity for float32). */
function narrow(dtype: FloatDType, xf: number): number {
  return dtype === 'float16' ? halfFromFloat(xf) : dtype === 'bfloat16' ? bfloat16FromFloat(xf) : xf;
}

/** `static_cast<scalar_t>(double)`: half and bfloat16 go through float, as c10's constructors do. */
function castDouble(dtype: FloatDType, v: number): number {
  return dtype === 'float64' ? v : narrow(dtype, fround(v));
}

const LOWEST: Record<FloatDType, number> = {
  float64: -Number.MAX_VALUE, float32: -3.4028234663852886e38, float16: -65504, bfloat16: -3.3895313892515355e38,
};
const MAX: Record<FloatDType, number> = {
  float64: Number.MAX_VALUE, float32: 3.4028234663852886e38, float16: 65504, bfloat16: 3.3895313892515355e38,
};

function checkCount(n: number, who: string): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${who}: expected a non-negative integer count, got ${n}`);
}

// ---------------------------------------------------------------------------------------------
// Uniform

/**
 * `torch.rand` / `Tensor.uniform_(from, to)`: `n` values in [from, to), serial.
 * float32/float16/bfloat16 draw one 32-bit number each, float64 two.
 */
export function uniformValues(gen: Generator, n: number, dtype: DType, from = 0, to = 1): Float64Array {
  checkCount(n, 'uniform_');
  const dt = requireFloat(dtype, 'check_uniform_bounds');
  const name = SCALAR_NAME[dt];
  const lo = LOWEST[dt];
  const hi = MAX[dt];
  for (const [v, what] of [[from, 'from'], [to, 'to']] as const) {
    if (!(v >= lo && v <= hi)) {
      throw new RangeError(`${what} is out of bounds [${lo}, ${hi}] for dtype ${dt}: ${v}`);
    }
  }
  if (!(from <= to)) {
    throw new RangeError(`uniform_ expects to return a [from, to) range, but found from=${from} > to=${to}`);
  }
  if (!(to - from <= hi)) {
    throw new RangeError(
      `uniform_ expects to-from <= std::numeric_limits<${name}>::max(), but found to=${to} and from=${from} ` +
        'which result in to-from to exceed the limit',
    );
  }
  const out = new Float64Array(n);
  if (dt === 'float64') {
    const range = to - from;
    if (from === 0 && range === 1) {
      for (let i = 0; i < n; i++) out[i] = gen.random53() * TWO_POW_M53;
    } else {
      for (let i = 0; i < n; i++) out[i] = fma64(gen.random53() * TWO_POW_M53, range, from);
    }
    return out;
  }
  if (dt === 'float32') {
    const f = fround(from);
    const range = fround(fround(to) - f);
    for (let i = 0; i < n; i++) out[i] = fmaf((gen.random() & 0xffffff) * TWO_POW_M24, range, f);
    return out;
  }
  // float16 / bfloat16: x = (r & mask) * 2^-digits in float; (to - from) is computed in the
  // 16-bit type; x * range is exact in float, so the fused multiply-add rounds once to float.
  const digits = dt === 'float16' ? 11 : 8;
  const mask = (1 << digits) - 1;
  const scale = 2 ** -digits;
  const f = narrow(dt, fround(from));
  const t = narrow(dt, fround(to));
  const range = narrow(dt, fround(t - f));
  for (let i = 0; i < n; i++) out[i] = narrow(dt, fmaf((gen.random() & mask) * scale, range, f));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Normal

/** `normal_distribution<double>` with mean 0 and std 1, using and refilling the generator's cache. */
export function standardNormalDouble(gen: Generator): number {
  const cached = gen.nextDoubleNormalSample;
  if (cached !== null) {
    gen.nextDoubleNormalSample = null;
    return cached;
  }
  const u1 = gen.random53() * TWO_POW_M53;
  const u2 = gen.random53() * TWO_POW_M53;
  const r = Math.sqrt(-2.0 * Math.log(1.0 - u2));
  const theta = 2.0 * Math.PI * u1;
  gen.nextDoubleNormalSample = r * Math.sin(theta);
  return r * Math.cos(theta);
}

/** `transformation::normal`: `x * std + mean`, fused as compiled. */
function affine(x: number, mean: number, std: number): number {
  if (std === 1) return x + mean; // x * 1 is exact
  if (mean === 0) return x * std + mean; // one rounding; + mean gives the zero the FMA's sign
  return fma64(x, std, mean);
}

// avx_mathfun.h constants, as float32 (read back from libtorch_cpu's AVX2 kernel).
const MIN_NORM_POS = 2 ** -126;
const SQRTHF = fround(0.707106781186547524);
const LOG_P = [
  7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1,
  -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1,
].map(fround) as [number, number, number, number, number, number, number, number, number];
const LOG_Q1 = fround(-2.12194440e-4);
const LOG_Q2 = fround(0.693359375);
const FOPI = fround(1.27323954473516);
const DP1 = fround(-0.78515625);
const DP2 = fround(-2.4187564849853515625e-4);
const DP3 = fround(-3.77489497744594108e-8);
const SINCOF_P0 = fround(-1.9515295891e-4);
const SINCOF_P1 = fround(8.3321608736e-3);
const SINCOF_P2 = fround(-1.6666654611e-1);
const COSCOF_P0 = fround(2.443315711809948e-5);
const COSCOF_P1 = fround(-1.388731625493765e-3);
const COSCOF_P2 = fround(4.166664568298827e-2);
const TWO_PI_F = fround(2 * Math.PI);

/**
 * `log256_ps` from avx_mathfun.h, one lane, as libtorch's AVX2 build executes it: every
 * `_mm256_mul_ps`/`_mm256_add_ps` pair that GCC fused into an FMA is an `fmaf` here.
 */
function log256(x0: number): number {
  const invalid = !(x0 > 0);
  const x1 = Math.max(x0, MIN_NORM_POS);
  const bits = f32Bits(x1);
  let e = fround(((bits >>> 23) - 0x7f) | 0) + 1;
  let x = f32FromBits((bits & 0x807fffff) | 0x3f000000); // mantissa with exponent of 0.5
  const mask = x < SQRTHF;
  const tmp = mask ? x : 0;
  x = fround(x - 1);
  if (mask) e -= 1;
  x = fround(tmp + x);
  let y = LOG_P[0];
  for (let k = 1; k <= 8; k++) y = fmaf(x, y, LOG_P[k as 1]);
  const z = fround(x * x);
  const eq1 = fround(e * LOG_Q1);
  y = fround(x * y);
  y = fmaf(y, z, eq1);
  y = fround(y - z * 0.5);
  x = fround(x + y);
  x = fmaf(e, LOG_Q2, x);
  return invalid ? NaN : x;
}

let sinOut = 0;
let cosOut = 0;

/** `sincos256_ps` from avx_mathfun.h, one lane, with libtorch's FMAs; sets sinOut/cosOut. */
function sincos256(x0: number): void {
  let signSin = x0 < 0 || Object.is(x0, -0);
  const ax = Math.abs(x0);
  const yv = fround(ax * FOPI);
  let j = Math.trunc(yv) | 0;
  j = (j + 1) & ~1;
  const y0 = j; // exact in float32 for the arguments used here (< 2^24)
  const swap = (j & 4) !== 0;
  const polyMask = (j & 2) === 0;
  let x = fmaf(y0, DP1, ax);
  x = fmaf(y0, DP2, x);
  x = fmaf(y0, DP3, x);
  const signCos = (~(j - 2) & 4) !== 0;
  signSin = signSin !== swap;
  const z = fround(x * x);
  let yc = fmaf(z, COSCOF_P0, COSCOF_P1);
  yc = fmaf(z, yc, COSCOF_P2);
  yc = fround(z * yc);
  yc = fmaf(yc, z, -fround(z * 0.5));
  yc = fround(yc + 1);
  let ys = fmaf(SINCOF_P0, z, SINCOF_P1);
  ys = fmaf(z, ys, SINCOF_P2);
  ys = fround(z * ys);
  ys = fmaf(ys, x, x);
  // Masked selection, as the kernel does it (adds of +0 included).
  const ysin2 = polyMask ? ys : 0;
  const ysin1 = polyMask ? 0 : yc;
  const s = ysin1 + ysin2;
  const c = ys - ysin2 + (yc - ysin1);
  sinOut = signSin ? -s : s;
  cosOut = signCos ? -c : c;
}

/** `normal_fill_16_AVX2` on out[off..off+16): float32 Box–Muller with avx_mathfun. */
function normalFill16Avx2(out: Float64Array, off: number, mean: number, std: number): void {
  for (let j = 0; j < 8; j++) {
    const u1 = fround(1 - out[off + j]!);
    const theta = fround(TWO_PI_F * out[off + j + 8]!);
    const radius = fround(Math.sqrt(fround(log256(u1) * -2)));
    sincos256(theta);
    out[off + j] = fmaf(fround(radius * cosOut), std, mean);
    out[off + j + 8] = fmaf(fround(radius * sinOut), std, mean);
  }
}

/** `normal_fill_16<double>`. */
function normalFill16Double(out: Float64Array, off: number, mean: number, std: number): void {
  for (let j = 0; j < 8; j++) {
    const u1 = 1 - out[off + j]!;
    const u2 = out[off + j + 8]!;
    const radius = Math.sqrt(-2 * Math.log(u1));
    const theta = 2.0 * Math.PI * u2;
    out[off + j] = affine(radius * Math.cos(theta), mean, std);
    out[off + j + 8] = affine(radius * Math.sin(theta), mean, std);
  }
}

/**
 * `normal_fill_16<Half>` / `<BFloat16>`: c10's 16-bit arithmetic (each `scalar_t` variable is
 * rounded to the 16-bit type; log/cos/sin are float functions).
 */
function normalFill16Narrow(dt: 'float16' | 'bfloat16', out: Float64Array, off: number, mean: number, std: number): void {
  for (let j = 0; j < 8; j++) {
    const u1 = narrow(dt, fround(1 - out[off + j]!));
    const u2 = out[off + j + 8]!;
    const radius = narrow(dt, fround(Math.sqrt(fround(-2 * fround(Math.log(u1))))));
    const theta = narrow(dt, fround(2.0 * Math.PI * u2));
    const c = fround(Math.cos(theta));
    const s = fround(Math.sin(theta));
    out[off + j] = narrow(dt, fmaf(fround(radius * c), std, mean));
    out[off + j + 8] = narrow(dt, fmaf(fround(radius * s), std, mean));
  }
}

function uniformUnit(gen: Generator, dt: FloatDType): number {
  switch (dt) {
    case 'float64':
      return gen.random53() * TWO_POW_M53;
    case 'float32':
      return (gen.random() & 0xffffff) * TWO_POW_M24;
    case 'float16':
      return (gen.random() & 0x7ff) * 2 ** -11;
    case 'bfloat16':
      return (gen.random() & 0xff) * 2 ** -8;
  }
}

/**
 * `torch.randn` / `Tensor.normal_(mean, std)`: `n` normal values. `contiguous` says whether the
 * destination is contiguous; PyTorch's vectorised 16-at-a-time path needs a contiguous tensor of at
 * least 16 elements and draws differently from the scalar path used otherwise.
 */
export function normalValues(
  gen: Generator,
  n: number,
  dtype: DType,
  mean = 0,
  std = 1,
  contiguous = true,
): Float64Array {
  checkCount(n, 'normal_');
  const dt = requireFloat(dtype, 'normal_kernel_cpu');
  if (!(std >= 0)) throw new RangeError(`normal expects std >= 0.0, but found std ${std}`);
  const out = new Float64Array(n);
  if (n >= 16 && contiguous) {
    let fill: (o: Float64Array, off: number) => void;
    if (dt === 'float32') {
      const m = fround(mean);
      const s = fround(std);
      fill = (o, off) => normalFill16Avx2(o, off, m, s);
    } else if (dt === 'float64') {
      fill = (o, off) => normalFill16Double(o, off, mean, std);
    } else {
      const m = narrow(dt, fround(mean));
      const s = narrow(dt, fround(std));
      fill = (o, off) => normalFill16Narrow(dt, o, off, m, s);
    }
    for (let i = 0; i < n; i++) out[i] = uniformUnit(gen, dt);
    for (let i = 0; i + 16 <= n; i += 16) fill(out, i);
    if (n % 16 !== 0) {
      // Recompute the last 16 values from fresh uniforms.
      const off = n - 16;
      for (let i = 0; i < 16; i++) out[off + i] = uniformUnit(gen, dt);
      fill(out, off);
    }
    return out;
  }
  for (let i = 0; i < n; i++) out[i] = castDouble(dt, affine(standardNormalDouble(gen), mean, std));
  return out;
}

/**
 * `torch.normal(mean, std)` with a tensor mean and/or std (values already broadcast to `n`, in
 * iteration order). PyTorch 1.13 samples `normal_(0, 1)` (or `normal_(0, std)` for a scalar std)
 * into the output and then applies `mul_(std)` and `add_(mean)` in `dtype`; so does this.
 */
export function normalTensorValues(
  gen: Generator,
  mean: ArrayLike<number> | number,
  std: ArrayLike<number> | number,
  n: number,
  dtype: DType,
  contiguous = true,
): Float64Array {
  checkCount(n, 'normal');
  const dt = requireFloat(dtype, 'normal_kernel_cpu');
  const at = (v: ArrayLike<number> | number, i: number): number =>
    typeof v === 'number' ? v : v.length === 1 ? v[0]! : v[i]!;
  for (const v of [mean, std]) {
    if (typeof v !== 'number' && v.length !== 1 && v.length !== n) {
      throw new RangeError(`normal: expected ${n} values (or 1), got ${v.length}`);
    }
  }
  if (typeof std === 'number') {
    if (!(std >= 0)) throw new RangeError(`normal expects std >= 0.0, but found std ${std}`);
  } else {
    for (let i = 0; i < std.length; i++) {
      if (!(std[i]! >= 0)) throw new RangeError('normal expects all elements of std >= 0.0');
    }
  }
  const round = (v: number): number => (dt === 'float64' ? v : narrow(dt, fround(v)));
  if (typeof std === 'number') {
    const out = normalValues(gen, n, dt, 0, std, contiguous);
    for (let i = 0; i < n; i++) out[i] = round(out[i]! + round(at(mean, i)));
    return out;
  }
  const out = normalValues(gen, n, dt, 0, 1, contiguous);
  for (let i = 0; i < n; i++) {
    const prod = round(out[i]! * round(at(std, i)));
    out[i] = round(prod + round(at(mean, i)));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Integers

function toBigInt(v: bigint | number, what: string): bigint {
  if (typeof v === 'bigint') return v;
  if (!Number.isInteger(v)) throw new TypeError(`${what} must be an integer, got ${v}`);
  return BigInt(v);
}

const TWO_POW_32 = 1n << 32n;

/**
 * `torch.randint(low, high)` / `Tensor.random_(low, high)`: `n` integers in [low, high), as
 * int64 (the caller converts to the tensor's dtype). `random() % range + low`, or `random64()`
 * when the range is at least 2^32.
 */
export function randintValues(gen: Generator, n: number, low: bigint | number, high: bigint | number): BigInt64Array {
  checkCount(n, 'randint');
  const lo = toBigInt(low, 'low');
  const hi = toBigInt(high, 'high');
  if (!(lo < hi)) throw new RangeError(`random_ expects 'from' to be less than 'to', but got from=${lo} >= to=${hi}`);
  const range = hi - lo;
  if (range >= 1n << 64n) throw new RangeError(`randint: range [${lo}, ${hi}) is wider than 2^64`);
  const out = new BigInt64Array(n);
  if (range >= TWO_POW_32) {
    for (let i = 0; i < n; i++) out[i] = BigInt.asIntN(64, (gen.random64() % range) + lo);
    return out;
  }
  const r = Number(range);
  if (lo >= BigInt(Number.MIN_SAFE_INTEGER) && lo <= BigInt(Number.MAX_SAFE_INTEGER - 2 ** 32)) {
    const l = Number(lo);
    for (let i = 0; i < n; i++) out[i] = BigInt((gen.random() % r) + l);
  } else {
    for (let i = 0; i < n; i++) out[i] = BigInt.asIntN(64, BigInt(gen.random() % r) + lo);
  }
  return out;
}

/**
 * `torch.randperm(n)`: a permutation of 0..n-1, returned as a Float64Array of exact integers (the
 * caller converts to the tensor's dtype; the draws do not depend on it).
 */
export function randpermValues(gen: Generator, n: number): Float64Array {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`randperm: n must be non-negative, got ${n}`);
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) r[i] = i;
  for (let i = 0; i < n - 1; i++) {
    const z = gen.random() % (n - i);
    const sav = r[i]!;
    r[i] = r[z + i]!;
    r[z + i] = sav;
  }
  return r;
}

/**
 * `Tensor.random_()` with no bounds: for int64 and float64 `random64() % 2^63` / `% (2^53 + 1)`,
 * otherwise one 32-bit draw modulo (max + 1), or `2^digits + 1` for floating types; bool takes the
 * low bit. Returned as int64 values.
 */
export function randomValues(gen: Generator, n: number, dtype: DType): BigInt64Array {
  checkCount(n, 'random_');
  const out = new BigInt64Array(n);
  const mod32: Partial<Record<DType, number>> = {
    uint8: 256, int8: 128, int16: 32768, int32: 2 ** 31, float32: 2 ** 24 + 1, float16: 2 ** 11 + 1, bfloat16: 2 ** 8 + 1,
  };
  if (dtype === 'int64' || dtype === 'float64') {
    const m = dtype === 'int64' ? 1n << 63n : (1n << 53n) + 1n;
    for (let i = 0; i < n; i++) out[i] = gen.random64() % m;
  } else if (dtype === 'bool') {
    for (let i = 0; i < n; i++) out[i] = BigInt(gen.random() & 1);
  } else {
    const m = mod32[dtype]!;
    for (let i = 0; i < n; i++) out[i] = BigInt(gen.random() % m);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Bernoulli and friends

/**
 * `torch.bernoulli` / `Tensor.bernoulli_`: 0/1 values.
 *
 * - `probs` a number: `bernoulli_(p)`, one double uniform (two 32-bit draws) per element.
 * - `probs` an array (already broadcast to `n`, or of length 1): `bernoulli_(p_tensor)`; `dtype` is
 *   the dtype of the probability tensor: float64 uses the double uniform, any other the float32
 *   uniform (one draw). Probabilities must lie in [0, 1]; they are all checked before drawing.
 */
export function bernoulliValues(gen: Generator, probs: ArrayLike<number> | number, n: number, dtype: DType): Float64Array {
  checkCount(n, 'bernoulli_');
  const out = new Float64Array(n);
  if (typeof probs === 'number') {
    if (!(probs >= 0 && probs <= 1)) throw new RangeError(`bernoulli_ expects p to be in [0, 1], but got p=${probs}`);
    for (let i = 0; i < n; i++) out[i] = gen.random53() * TWO_POW_M53 < probs ? 1 : 0;
    return out;
  }
  if (probs.length !== n && probs.length !== 1) {
    throw new RangeError(`bernoulli: expected ${n} probabilities (or 1), got ${probs.length}`);
  }
  const dt = requireFloat(dtype, 'bernoulli_tensor_cpu_p_');
  const m = probs.length;
  for (let i = 0; i < m; i++) {
    const p = probs[i]!;
    if (!(p >= 0 && p <= 1)) throw new RangeError(`Expected p_in >= 0 && p_in <= 1 to be true, but got false (p=${p})`);
  }
  const pAt = (i: number): number => (m === 1 ? probs[0]! : probs[i]!);
  if (dt === 'float64') {
    for (let i = 0; i < n; i++) out[i] = gen.random53() * TWO_POW_M53 < pAt(i) ? 1 : 0;
  } else {
    for (let i = 0; i < n; i++) out[i] = (gen.random() & 0xffffff) * TWO_POW_M24 < fround(pAt(i)) ? 1 : 0;
  }
  return out;
}

/** `Tensor.exponential_(lambd)`: `-1 / lambd * log(1 - u)` in double, u a double uniform. */
export function exponentialValues(gen: Generator, n: number, dtype: DType, lambd = 1): Float64Array {
  checkCount(n, 'exponential_');
  const dt = requireFloat(dtype, 'exponential_cpu');
  if (!(lambd >= 0)) throw new RangeError(`exponential_ expects lambda >= 0.0, but found lambda=${lambd}`);
  const out = new Float64Array(n);
  const k = -1.0 / lambd;
  for (let i = 0; i < n; i++) out[i] = castDouble(dt, k * Math.log(1.0 - gen.random53() * TWO_POW_M53));
  return out;
}

/** `Tensor.geometric_(p)`: `ceil(log(u) / log(1 - p))` in double, u a double uniform. */
export function geometricValues(gen: Generator, n: number, dtype: DType, p: number): Float64Array {
  checkCount(n, 'geometric_');
  if (!(p > 0 && p < 1)) throw new RangeError(`geometric_ expects p to be in (0, 1), but got p=${p}`);
  const out = new Float64Array(n);
  const d = Math.log(1.0 - p);
  const cast = isFloatDType(dtype) ? (v: number) => castDouble(dtype, v) : (v: number) => v;
  for (let i = 0; i < n; i++) out[i] = cast(Math.ceil(Math.log(gen.random53() * TWO_POW_M53) / d));
  return out;
}

/** `Tensor.log_normal_(mean, std)`: `exp(normal(mean, std))` with the scalar double sampler. */
export function logNormalValues(gen: Generator, n: number, dtype: DType, mean = 1, std = 2): Float64Array {
  checkCount(n, 'log_normal_');
  const dt = requireFloat(dtype, 'log_normal_cpu');
  if (!(std > 0)) throw new RangeError(`log_normal_ expects std > 0.0, but found std=${std}`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = castDouble(dt, Math.exp(affine(standardNormalDouble(gen), mean, std)));
  return out;
}

/** `Tensor.cauchy_(median, sigma)`: `median + sigma * tan(pi * (u - 0.5))` in double. */
export function cauchyValues(gen: Generator, n: number, dtype: DType, median = 0, sigma = 1): Float64Array {
  checkCount(n, 'cauchy_');
  const dt = requireFloat(dtype, 'cauchy_cpu');
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = Math.tan(Math.PI * (gen.random53() * TWO_POW_M53 - 0.5));
    out[i] = castDouble(dt, affine(t, median, sigma));
  }
  return out;
}
