/**
 * WGSL helper functions, by name. Generated kernels name the ones they use (`k_…`) and get exactly
 * those definitions (and what they use in turn) prepended, so each shader stays small to compile.
 *
 * int64 values are vec2<u32> (x = low word, y = high word: the little-endian layout in memory).
 */
const HELPERS: Record<string, string> = {
  // NaN and infinity cannot be constant expressions in WGSL: they come from private variables' bits.
  k_special_bits: 'var<private> k_special_bits: vec3<u32> = vec3<u32>(0x7fc00000u, 0x7f800000u, 0x80000000u);',
  k_nan: 'fn k_nan() -> f32 { return bitcast<f32>(k_special_bits.x); }',
  k_inf: 'fn k_inf() -> f32 { return bitcast<f32>(k_special_bits.y); }',
  k_negzero: 'fn k_negzero() -> f32 { return bitcast<f32>(k_special_bits.z); }',
  // Bit tests: compilers may assume a float compare never sees NaN; the bits do not lie.
  k_isnan: 'fn k_isnan(a: f32) -> bool { return (bitcast<u32>(a) & 0x7fffffffu) > 0x7f800000u; }',
  k_isinf: 'fn k_isinf(a: f32) -> bool { return (bitcast<u32>(a) & 0x7fffffffu) == 0x7f800000u; }',
  k_signbit: 'fn k_signbit(a: f32) -> bool { return (bitcast<u32>(a) >> 31u) == 1u; }',
  k_f16_to_f32: `fn k_f16_to_f32(h: u32) -> f32 {
  let s = (h & 0x8000u) << 16u; let e = (h >> 10u) & 0x1fu; let m = h & 0x3ffu;
  if (e == 0u) { return bitcast<f32>(s | bitcast<u32>(f32(m) * 5.9604644775390625e-8)); }
  if (e == 31u) { return bitcast<f32>(s | 0x7f800000u | (m << 13u)); }
  return bitcast<f32>(s | ((e + 112u) << 23u) | (m << 13u));
}`,
  // Round to nearest even, as a C++ float → half conversion (pack2x16float may truncate).
  k_f32_to_f16: `fn k_f32_to_f16(v: f32) -> u32 {
  let x = bitcast<u32>(v); let sign = (x >> 16u) & 0x8000u; let ax = x & 0x7fffffffu;
  if (ax > 0x7f800000u) { return sign | 0x7e00u; }
  if (ax >= 0x477ff000u) { return sign | 0x7c00u; }
  if (ax < 0x38800000u) {
    let e = ax >> 23u;
    if (e < 102u) { return sign; }
    let m = (ax & 0x7fffffu) | 0x800000u; let shift = 126u - e;
    let q = m >> shift; let rem = m & ((1u << shift) - 1u); let half = 1u << (shift - 1u);
    return sign | select(q, q + 1u, rem > half || (rem == half && (q & 1u) == 1u));
  }
  let r = ax - 0x38000000u; let h = r >> 13u; let rem = r & 0x1fffu;
  return sign | select(h, h + 1u, rem > 0x1000u || (rem == 0x1000u && (h & 1u) == 1u));
}`,
  k_f32_to_bf16: `fn k_f32_to_bf16(v: f32) -> u32 {
  let x = bitcast<u32>(v);
  if ((x & 0x7fffffffu) > 0x7f800000u) { return (x >> 16u) | 0x40u; }
  return (x + 0x7fffu + ((x >> 16u) & 1u)) >> 16u;
}`,
  k_round_f16: 'fn k_round_f16(v: f32) -> f32 { return k_f16_to_f32(k_f32_to_f16(v)); }',
  k_round_bf16: 'fn k_round_bf16(v: f32) -> f32 { return bitcast<f32>(k_f32_to_bf16(v) << 16u); }',
  // int64
  k_i64: 'fn k_i64(v: i32) -> vec2<u32> { return vec2<u32>(bitcast<u32>(v), select(0u, 0xffffffffu, v < 0)); }',
  k_i64_add: `fn k_i64_add(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> {
  let lo = a.x + b.x; return vec2<u32>(lo, a.y + b.y + select(0u, 1u, lo < a.x));
}`,
  k_i64_neg: 'fn k_i64_neg(a: vec2<u32>) -> vec2<u32> { return k_i64_add(~a, vec2<u32>(1u, 0u)); }',
  k_i64_sub: 'fn k_i64_sub(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> { return k_i64_add(a, k_i64_neg(b)); }',
  k_i64_lt: `fn k_i64_lt(a: vec2<u32>, b: vec2<u32>) -> bool {
  let ah = bitcast<i32>(a.y); let bh = bitcast<i32>(b.y); return ah < bh || (ah == bh && a.x < b.x);
}`,
  k_i64_eq: 'fn k_i64_eq(a: vec2<u32>, b: vec2<u32>) -> bool { return a.x == b.x && a.y == b.y; }',
  k_i64_isneg: 'fn k_i64_isneg(a: vec2<u32>) -> bool { return bitcast<i32>(a.y) < 0; }',
  k_i64_nz: 'fn k_i64_nz(a: vec2<u32>) -> bool { return a.x != 0u || a.y != 0u; }',
  k_i64_max: 'fn k_i64_max(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> { return select(a, b, k_i64_lt(a, b)); }',
  k_i64_min: 'fn k_i64_min(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> { return select(a, b, k_i64_lt(b, a)); }',
  k_i64_abs: 'fn k_i64_abs(a: vec2<u32>) -> vec2<u32> { return select(a, k_i64_neg(a), k_i64_isneg(a)); }',
  k_i64_sign: `fn k_i64_sign(a: vec2<u32>) -> vec2<u32> {
  return select(select(vec2<u32>(0u, 0u), vec2<u32>(1u, 0u), k_i64_nz(a)), vec2<u32>(0xffffffffu, 0xffffffffu), k_i64_isneg(a));
}`,
  k_mul32: `fn k_mul32(a: u32, b: u32) -> vec2<u32> {
  let a0 = a & 0xffffu; let a1 = a >> 16u; let b0 = b & 0xffffu; let b1 = b >> 16u;
  let p00 = a0 * b0; let p01 = a0 * b1; let p10 = a1 * b0; let p11 = a1 * b1;
  let mid = (p00 >> 16u) + (p01 & 0xffffu) + (p10 & 0xffffu);
  return vec2<u32>((p00 & 0xffffu) | (mid << 16u), p11 + (p01 >> 16u) + (p10 >> 16u) + (mid >> 16u));
}`,
  k_i64_mul: `fn k_i64_mul(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> {
  let p = k_mul32(a.x, b.x); return vec2<u32>(p.x, p.y + a.x * b.y + a.y * b.x);
}`,
  k_i64_to_f32: `fn k_i64_to_f32(a: vec2<u32>) -> f32 {
  let neg = k_i64_isneg(a); let m = select(a, k_i64_neg(a), neg);
  let v = f32(m.y) * 4294967296.0 + f32(m.x); return select(v, -v, neg);
}`,
  k_f32_to_i64: `fn k_f32_to_i64(v: f32) -> vec2<u32> {
  let t = trunc(abs(v)); let hi = floor(t / 4294967296.0); let lo = t - hi * 4294967296.0;
  let m = vec2<u32>(u32(lo), u32(hi)); return select(m, k_i64_neg(m), v < 0.0);
}`,
  // int64 division by shift and subtract: (quotient, remainder) of magnitudes as vec4 (q.lo, q.hi, r.lo, r.hi).
  k_u64_divmod: `fn k_u64_divmod(n: vec2<u32>, d: vec2<u32>) -> vec4<u32> {
  var q = vec2<u32>(0u, 0u); var r = vec2<u32>(0u, 0u);
  for (var i = 63u; ; i--) {
    let bit = select((n.x >> i) & 1u, (n.y >> (i - 32u)) & 1u, i >= 32u);
    r = vec2<u32>((r.x << 1u) | bit, (r.y << 1u) | (r.x >> 31u));
    if (r.y > d.y || (r.y == d.y && r.x >= d.x)) {
      r = k_i64_sub(r, d);
      if (i >= 32u) { q.y = q.y | (1u << (i - 32u)); } else { q.x = q.x | (1u << i); }
    }
    if (i == 0u) { break; }
  }
  return vec4<u32>(q, r);
}`,
  // C's truncating division and remainder (x / 0 gives 0: the device cannot raise ZeroDivisionError).
  k_i64_qr: `fn k_i64_qr(a: vec2<u32>, b: vec2<u32>) -> vec4<u32> {
  if (!k_i64_nz(b)) { return vec4<u32>(0u, 0u, 0u, 0u); }
  let qr = k_u64_divmod(k_i64_abs(a), k_i64_abs(b));
  let q = select(qr.xy, k_i64_neg(qr.xy), k_i64_isneg(a) != k_i64_isneg(b));
  let r = select(qr.zw, k_i64_neg(qr.zw), k_i64_isneg(a));
  return vec4<u32>(q, r);
}`,
  k_i64_truncdiv: 'fn k_i64_truncdiv(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> { return k_i64_qr(a, b).xy; }',
  k_i64_fmod: 'fn k_i64_fmod(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> { return k_i64_qr(a, b).zw; }',
  k_i64_floordiv: `fn k_i64_floordiv(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> {
  let qr = k_i64_qr(a, b);
  return select(qr.xy, k_i64_sub(qr.xy, vec2<u32>(1u, 0u)), k_i64_nz(qr.zw) && (k_i64_isneg(a) != k_i64_isneg(b)));
}`,
  k_i64_rem: `fn k_i64_rem(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> {
  let m = k_i64_qr(a, b).zw;
  return select(m, k_i64_add(m, b), k_i64_nz(m) && (k_i64_isneg(m) != k_i64_isneg(b)));
}`,
  k_i64_pow: `fn k_i64_pow(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> {
  let one = vec2<u32>(1u, 0u);
  if (k_i64_isneg(b)) {
    if (k_i64_eq(a, one)) { return one; }
    if (k_i64_eq(a, vec2<u32>(0xffffffffu, 0xffffffffu))) { return select(one, a, (b.x & 1u) == 1u); }
    return vec2<u32>(0u, 0u);
  }
  var r = one; var base = a;
  for (var i = 0u; i < 64u; i++) {
    let bit = select((b.x >> i) & 1u, (b.y >> (i - 32u)) & 1u, i >= 32u);
    if (bit == 1u) { r = k_i64_mul(r, base); }
    base = k_i64_mul(base, base);
  }
  return r;
}`,
  // An int64 index into a dim of \`size\`: negatives count from the end where \`wrap\`. The device cannot
  // raise IndexError, so an index out of range is clamped: nothing outside the tensor is touched.
  k_index: `fn k_index(v: vec2<u32>, size: u32, wrap: bool) -> u32 {
  if (v.y == 0u && v.x < size) { return v.x; }
  if (wrap && v.y == 0xffffffffu && v.x != 0u && (0u - v.x) <= size) { return size - (0u - v.x); }
  return select(max(size, 1u) - 1u, 0u, bitcast<i32>(v.y) < 0);
}`,
  // The driver's compiler may assume no NaNs and ignore the sign of zero (fast math): results whose
  // sign of zero or NaN-ness matters are built from bits, which it cannot reassociate.
  k_copysign: 'fn k_copysign(m: f32, s: f32) -> f32 { return bitcast<f32>((bitcast<u32>(m) & 0x7fffffffu) | (bitcast<u32>(s) & 0x80000000u)); }',
  k_truthy: 'fn k_truthy(a: f32) -> bool { return (bitcast<u32>(a) & 0x7fffffffu) != 0u; }',
  k_feq: 'fn k_feq(a: f32, b: f32) -> bool { return !k_isnan(a) && !k_isnan(b) && a == b; }',
  k_flt: 'fn k_flt(a: f32, b: f32) -> bool { return !k_isnan(a) && !k_isnan(b) && a < b; }',
  k_fle: 'fn k_fle(a: f32, b: f32) -> bool { return !k_isnan(a) && !k_isnan(b) && a <= b; }',
  // exp with Cody-Waite reduction and a degree-7 polynomial: the driver's exp is a few ulp off near overflow.
  k_exp: `fn k_exp(x: f32) -> f32 {
  if (k_isnan(x)) { return x; }
  if (x > 88.72283935546875) { return k_inf(); }
  if (x < -103.972084) { return 0.0; }
  let k = round(x * 1.4426950408889634);
  var r = fma(-k, 0.693145751953125, x);
  r = fma(-k, 1.428606765330187e-06, r);
  let p = 1.0 + r * (1.0 + r * (0.5 + r * (0.16666667 + r * (0.041666668 + r * (0.008333334 + r * (0.0013888889 + r * 0.0001984127))))));
  let ki = i32(k); let k1 = ki / 2; let k2 = ki - k1;
  return p * bitcast<f32>(u32(k1 + 127) << 23u) * bitcast<f32>(u32(k2 + 127) << 23u);
}`,
  // Payne-Hanek reduction for |a| >= 105615: a = q·π/2 + r, from a 192-bit 2/π (as CUDA's sinf does);
  // returns (r, q mod 4). The driver's sin/cos lose all accuracy at such arguments.
  k_trig_reduce: `fn k_trig_reduce(a: f32) -> vec2<f32> {
  var i2opi = array<u32, 6>(0x3c439041u, 0xdb629599u, 0xf534ddc0u, 0xfc2757d1u, 0x4e441529u, 0xa2f9836eu);
  var ia = bitcast<u32>(a);
  let s = ia & 0x80000000u;
  var e = ((ia >> 23u) & 0xffu) - 128u;
  ia = (ia << 8u) | 0x80000000u;
  let idx = 4u - (e >> 5u);
  var result: array<u32, 7>;
  var carry = 0u;
  for (var j = 0u; j < 6u; j++) {
    let p = k_mul32(i2opi[j], ia);
    let lo = p.x + carry;
    carry = p.y + select(0u, 1u, lo < p.x);
    result[j] = lo;
  }
  result[6] = carry;
  e = e & 31u;
  var h = result[idx + 2u];
  var l = result[idx + 1u];
  if (e != 0u) {
    let q0 = result[idx];
    h = (h << e) | (l >> (32u - e));
    l = (l << e) | (q0 >> (32u - e));
  }
  var q = h >> 30u;
  h = (h << 2u) | (l >> 30u);
  l = l << 2u;
  let half = h >> 31u;
  q = q + half;
  var sign = s;
  if (half != 0u) { h = ~h; l = 0u - l; if (l == 0u) { h = h + 1u; } sign = sign ^ 0x80000000u; }
  let qs = select(q, 0u - q, s != 0u);
  let f = f32(h) * 2.3283064365386963e-10 + f32(l) * 5.421010862427522e-20;
  return vec2<f32>(bitcast<f32>(bitcast<u32>(f * 1.5707963267948966) | sign), f32(qs & 3u));
}`,
  k_big_trig: 'fn k_big_trig(a: f32) -> bool { return !k_isnan(a) && !k_isinf(a) && abs(a) >= 105615.0; }',
  k_sin: `fn k_sin(a: f32) -> f32 {
  if (!k_big_trig(a)) { return sin(a); }
  let rq = k_trig_reduce(a); let r = rq.x;
  switch (u32(rq.y)) { case 0u: { return sin(r); } case 1u: { return cos(r); } case 2u: { return -sin(r); } default: { return -cos(r); } }
}`,
  k_cos: `fn k_cos(a: f32) -> f32 {
  if (!k_big_trig(a)) { return cos(a); }
  let rq = k_trig_reduce(a); let r = rq.x;
  switch (u32(rq.y)) { case 0u: { return cos(r); } case 1u: { return -sin(r); } case 2u: { return -cos(r); } default: { return sin(r); } }
}`,
  k_tan: `fn k_tan(a: f32) -> f32 {
  if (!k_big_trig(a)) { return tan(a); }
  let rq = k_trig_reduce(a); let r = rq.x;
  return select(tan(r), -cos(r) / sin(r), (u32(rq.y) & 1u) == 1u);
}`,
  // log of a subnormal: the driver flushes it to zero, so take log of its integer significand.
  k_subnormal: 'fn k_subnormal(a: f32) -> bool { let b = bitcast<u32>(a); return (b & 0xff800000u) == 0u && b != 0u; }',
  // float math with PyTorch's (C's) edge cases
  k_log: 'fn k_log(a: f32) -> f32 { if (k_subnormal(a)) { return log(f32(bitcast<u32>(a))) - 103.27893403784125; } return select(log(a), k_nan(), a < 0.0); }',
  k_log2: 'fn k_log2(a: f32) -> f32 { if (k_subnormal(a)) { return log2(f32(bitcast<u32>(a))) - 149.0; } return select(log2(a), k_nan(), a < 0.0); }',
  k_sqrt: 'fn k_sqrt(a: f32) -> f32 { return select(sqrt(a), k_nan(), a < 0.0); }',
  k_expm1: `fn k_expm1(x: f32) -> f32 {
  let u = k_exp(x);
  if (u == 1.0) { return x; }
  if (u - 1.0 == -1.0) { return -1.0; }
  if (k_isinf(u)) { return u; }
  return (u - 1.0) * x / log(u);
}`,
  k_log1p: `fn k_log1p(x: f32) -> f32 {
  if (x < -1.0) { return k_nan(); }
  let u = 1.0 + x;
  if (u == 1.0) { return x; }
  if (k_isinf(u)) { return u; }
  return log(u) * x / (u - 1.0);
}`,
  k_tanh: `fn k_tanh(x: f32) -> f32 {
  let ax = abs(x);
  if (k_isnan(x)) { return x; }
  if (ax < 0.55) { let x2 = ax * ax; return k_copysign(ax * (1.0 + x2 * (-0.33333334 + x2 * (0.13333334 + x2 * (-0.053968254 + x2 * (0.021869488 + x2 * -0.008863235))))), x); }
  return k_copysign(1.0 - 2.0 / (k_exp(2.0 * ax) + 1.0), x);
}`,
  k_sinh: `fn k_sinh(x: f32) -> f32 {
  let ax = abs(x);
  if (k_isnan(x)) { return x; }
  if (ax < 1.0) { let e = k_expm1(ax); return k_copysign(0.5 * (e + e / (e + 1.0)), x); }
  let h = k_exp(0.5 * ax); let r = 0.5 * h * h - 0.5 / (h * h);
  return k_copysign(select(r, (0.5 * h) * h, ax > 80.0), x);
}`,
  k_cosh: `fn k_cosh(x: f32) -> f32 {
  let ax = abs(x); let h = k_exp(0.5 * ax); return select(0.5 * h * h + 0.5 / (h * h), (0.5 * h) * h, ax > 80.0);
}`,
  k_asinh: `fn k_asinh(x: f32) -> f32 {
  let ax = abs(x);
  var r: f32;
  if (ax > 1e10) { r = log(ax) + 0.6931471805599453; }
  else { r = k_log1p(ax + ax * ax / (1.0 + sqrt(1.0 + ax * ax))); }
  return k_copysign(r, x);
}`,
  k_acosh: `fn k_acosh(x: f32) -> f32 {
  if (x < 1.0) { return k_nan(); }
  if (x > 1e10) { return log(x) + 0.6931471805599453; }
  let t = x - 1.0; return k_log1p(t + sqrt(2.0 * t + t * t));
}`,
  k_atanh: `fn k_atanh(x: f32) -> f32 {
  let ax = abs(x);
  if (ax > 1.0) { return k_nan(); }
  return k_copysign(0.5 * k_log1p(2.0 * ax / (1.0 - ax)), x);
}`,
  k_asin: 'fn k_asin(a: f32) -> f32 { return select(asin(a), k_nan(), abs(a) > 1.0); }',
  k_acos: 'fn k_acos(a: f32) -> f32 { return select(acos(a), k_nan(), abs(a) > 1.0); }',
  k_sigmoid: 'fn k_sigmoid(a: f32) -> f32 { return 1.0 / (1.0 + k_exp(-a)); }',
  // Numerical Recipes' erfc (fractional error < 1.2e-7), erf from it beyond the series' range.
  k_erfc_nr: `fn k_erfc_nr(x: f32) -> f32 {
  let z = abs(x); let t = 1.0 / (1.0 + 0.5 * z);
  let r = t * k_exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return select(r, 2.0 - r, x < 0.0);
}`,
  k_erf: `fn k_erf(x: f32) -> f32 {
  if (k_isnan(x)) { return x; }
  if (abs(x) < 0.5) {
    let x2 = x * x;
    return 1.1283791670955126 * x * (1.0 + x2 * (-0.3333333333 + x2 * (0.1 + x2 * (-0.0238095238 + x2 * (0.0046296296 + x2 * -0.0007575758)))));
  }
  return 1.0 - k_erfc_nr(x);
}`,
  k_erfc: 'fn k_erfc(x: f32) -> f32 { if (k_isnan(x)) { return x; } if (abs(x) < 0.5) { return 1.0 - k_erf(x); } return k_erfc_nr(x); }',
  k_round: 'fn k_round(a: f32) -> f32 { return round(a); }',
  k_sign: `fn k_sign(a: f32) -> f32 {
  let bits = bitcast<u32>(a);
  let zeroOrNan = (bits & 0x7fffffffu) == 0u || (bits & 0x7fffffffu) > 0x7f800000u;
  return bitcast<f32>(select(0x3f800000u | (bits & 0x80000000u), 0u, zeroOrNan));
}`,
  k_fmod: `fn k_fmod(a: f32, b: f32) -> f32 {
  if (b == 0.0 || k_isinf(a) || k_isnan(a) || k_isnan(b)) { return k_nan(); }
  if (k_isinf(b)) { return a; }
  let r = a - b * trunc(a / b);
  if (r == 0.0) { return k_copysign(0.0, a); }
  return r;
}`,
  k_rem: `fn k_rem(a: f32, b: f32) -> f32 {
  let m = k_fmod(a, b);
  return select(m, m + b, m != 0.0 && (m < 0.0) != (b < 0.0));
}`,
  k_floordiv: `fn k_floordiv(a: f32, b: f32) -> f32 {
  if (b == 0.0) { return a / b; }
  let m = k_fmod(a, b);
  var d = (a - m) / b;
  if (m != 0.0 && (b < 0.0) != (m < 0.0)) { d = d - 1.0; }
  if (d == 0.0) { return bitcast<f32>((bitcast<u32>(a) ^ bitcast<u32>(b)) & 0x80000000u); }
  let fd = floor(d);
  return select(fd, fd + 1.0, d - fd > 0.5);
}`,
  k_pow: `fn k_pow(a: f32, b: f32) -> f32 {
  if (b == 0.0 || a == 1.0) { return 1.0; }
  if (a == -1.0 && k_isinf(b)) { return 1.0; }
  if (k_isnan(a) || k_isnan(b)) { return k_nan(); }
  let ab = abs(a);
  if (ab == 0.0) {
    let odd0 = abs(b) < 16777216.0 && b == trunc(b) && (i32(b) & 1) == 1;
    return k_copysign(select(0.0, k_inf(), b < 0.0), select(1.0, a, odd0));
  }
  if (b != trunc(b)) { return select(pow(ab, b), k_nan(), a < 0.0); }
  let odd = abs(b) < 16777216.0 && (i32(b) & 1) == 1;
  var r: f32;
  if (abs(b) <= 64.0) {
    var base = ab; var e = u32(abs(b)); r = 1.0;
    loop { if (e == 0u) { break; } if ((e & 1u) == 1u) { r = r * base; } base = base * base; e = e >> 1u; }
    if (b < 0.0) { r = 1.0 / r; }
  } else if (ab == 0.0) { r = select(0.0, k_inf(), b < 0.0); }
  else { r = exp2(b * log2(ab)); }
  return select(r, -r, odd && k_signbit(a));
}`,
  k_ipow: `fn k_ipow(a: i32, b: i32) -> i32 {
  if (b < 0) { return select(select(0, select(-1, 1, (b & 1) == 0), a == -1), 1, a == 1); }
  var r = 1; var base = a; var e = b;
  loop { if (e == 0) { break; } if ((e & 1) == 1) { r = r * base; } base = base * base; e = e >> 1u; }
  return r;
}`,
  k_max: `fn k_max(a: f32, b: f32) -> f32 {
  if (k_isnan(a) || k_isnan(b)) { return k_nan(); }
  if (a == 0.0 && b == 0.0) { return select(a, b, k_signbit(a)); }
  return select(b, a, a > b);
}`,
  k_min: `fn k_min(a: f32, b: f32) -> f32 {
  if (k_isnan(a) || k_isnan(b)) { return k_nan(); }
  if (a == 0.0 && b == 0.0) { return select(b, a, k_signbit(a)); }
  return select(b, a, a < b);
}`,
  k_fmax: 'fn k_fmax(a: f32, b: f32) -> f32 { if (k_isnan(a)) { return b; } if (k_isnan(b)) { return a; } return select(b, a, a > b); }',
  k_fmin: 'fn k_fmin(a: f32, b: f32) -> f32 { if (k_isnan(a)) { return b; } if (k_isnan(b)) { return a; } return select(b, a, a < b); }',
  k_clamp: `fn k_clamp(x: f32, lo: f32, hi: f32) -> f32 {
  if (k_isnan(x)) { return x; }
  let y = select(select(x, lo, x < lo), k_nan(), k_isnan(lo));
  return select(select(y, hi, y > hi), k_nan(), k_isnan(hi));
}`,
  k_ifloordiv: `fn k_ifloordiv(a: i32, b: i32) -> i32 {
  if (b == 0) { return 0; }
  let q = a / b; return select(q, q - 1, q * b != a && ((a < 0) != (b < 0)));
}`,
  k_irem: `fn k_irem(a: i32, b: i32) -> i32 {
  if (b == 0) { return 0; }
  let m = a % b; return select(m, m + b, m != 0 && ((m < 0) != (b < 0)));
}`,
  k_itruncdiv: 'fn k_itruncdiv(a: i32, b: i32) -> i32 { if (b == 0) { return 0; } return a / b; }',
  k_ifmod: 'fn k_ifmod(a: i32, b: i32) -> i32 { if (b == 0) { return 0; } return a % b; }',
};

/** `code` with the definitions of the helpers it calls (transitively) prepended. */
export function withHelpers(code: string): string {
  const seen = new Set<string>();
  const order: string[] = [];
  const visit = (text: string) => {
    for (const m of text.matchAll(/\bk_[a-z0-9_]+\b/g)) {
      const name = m[0];
      if (seen.has(name) || !(name in HELPERS)) continue;
      seen.add(name);
      visit(HELPERS[name]!);
      order.push(HELPERS[name]!);
    }
  };
  visit(code);
  return `${order.join('\n')}\n${code}`;
}
