// float16 and bfloat16 are stored as raw 16-bit patterns (Uint16Array); arithmetic happens in
// float32 and is rounded back, as PyTorch's CPU kernels do.
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export function float16BitsToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Round a number to the nearest float16 (ties to even) and return its bits. */
export function numberToFloat16Bits(x: number): number {
  f32[0] = x; // first to float32, as a C++ cast from double would be done by PyTorch's kernels
  const bits = u32[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  let mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rest = mant & ((1 << shift) - 1);
    let m = mant >>> shift;
    if (rest > half || (rest === half && (m & 1))) m++;
    return sign | m;
  }
  const rest = mant & 0x1fff;
  let m = mant >>> 13;
  if (rest > 0x1000 || (rest === 0x1000 && (m & 1))) {
    m++;
    if (m === 0x400) {
      m = 0;
      e++;
      if (e >= 0x1f) return sign | 0x7c00;
    }
  }
  return sign | (e << 10) | m;
}

export function bfloat16BitsToNumber(h: number): number {
  u32[0] = h << 16;
  return f32[0]!;
}

/** Round a number to the nearest bfloat16 (ties to even) and return its bits. */
export function numberToBfloat16Bits(x: number): number {
  f32[0] = x;
  const bits = u32[0]!;
  if (Number.isNaN(x)) return 0x7fc0;
  const lsb = (bits >>> 16) & 1;
  return ((bits + 0x7fff + lsb) >>> 16) & 0xffff;
}

export function roundToFloat16(x: number): number {
  return float16BitsToNumber(numberToFloat16Bits(x));
}
export function roundToBfloat16(x: number): number {
  return bfloat16BitsToNumber(numberToBfloat16Bits(x));
}
