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
 * - exponential / geometric / log-normal / Cauchy: scalar double transforms of a double uniform
 *   (log-normal through the caching double normal sampler), rounded to the dtype.
 *
 * PyTorch's double samplers call glibc's log/sin/cos; these are ported below bit for bit (the
 * x86-64 FMA builds), so float64 normals, exponentials and geometrics match exactly too. Only
 * float64 log-normal (exp) and Cauchy (tan) values use JavaScript's Math and may differ from
 * PyTorch's in the last bit; their float32/float16/bfloat16 values match.
 *
 * PyTorch's results depend on its build: these reproduce the x86-64 AVX2 kernels (what PyTorch
 * picks on any AVX2 CPU) with glibc's FMA libm; a non-AVX2 build differs in float32 normals'
 * last bits, and an MKL build draws scalar-p bernoulli_ (and exponential_) differently.
 */

import type { DType } from '../dtype.js';
import type { Generator } from './generator.js';

// ---------------------------------------------------------------------------------------------
// Floating-point helpers

const fround = Math.fround;
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

/**
 * Single-precision fused multiply-add: `a * b + c` rounded once to float32, for float32 inputs
 * (as `vfmadd…ps`). `a * b` is exact in double; the only hazard of rounding `a * b + c` to double
 * and then to float32 is a double result that lands exactly on a float32 midpoint, fixed here.
 */
export function fmaf(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const r = fround(s);
  if (r === s) return r;
  // s is a midpoint between two float32 values iff its mirror image about r is one.
  const o = 2 * s - r;
  if (fround(o) !== o || !Number.isFinite(o)) return r;
  const bb = s - p;
  const err = p - (s - bb) + (c - bb); // p + c === s + err exactly
  if (err === 0) return r;
  return err > 0 ? Math.max(r, o) : Math.min(r, o);
}

const SPLITTER = 134217729; // 2^27 + 1

/**
 * Double-precision fused multiply-add `a * b + c` with one rounding: Dekker's exact product, 2Sum,
 * and a final addition whose only possible error, a tie broken the wrong way, is detected and
 * corrected (checked against hardware FMA on millions of operands, cancellations included). Falls back to `a * b + c` where the error-free transforms
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
  // a*b + c === th + tl + pl exactly, |tl + pl| well below ulp(th). v + ve === tl + pl.
  const v = tl + pl;
  const vb = v - tl;
  const ve = tl - (v - vb) + (pl - vb);
  const z = th + v;
  if (ve === 0) return z;
  // z is wrong only if th + v is exactly halfway between z and a neighbour (so that the tie went
  // to even) while the dropped ve says which way the exact sum lies.
  const zb = z - th;
  const ze = th - (z - zb) + (v - zb); // th + v === z + ze
  if (ze === 0) return z;
  const other = z + 2 * ze;
  if (other - z !== 2 * ze) return z; // not a tie
  return (ze > 0) === (ve > 0) ? other : z;
}

// ---------------------------------------------------------------------------------------------
// glibc's log, sin and cos, bit for bit.
//
// PyTorch's double samplers call glibc's libm. On x86-64 with FMA (every AVX2 machine) glibc 2.36
// runs its FMA builds of sysdeps/ieee754/dbl-64/e_log.c (ARM optimized-routines' table method)
// and s_sin.c (IBM's table method). These are those algorithms with every multiply-add that GCC
// fused in that build (read off Debian's libm.so.6) done as one `fma64`, and their tables and
// constants as stored there. JavaScript's Math.log/sin/cos round differently in the last bit for
// a few percent of arguments; these do not (checked against glibc on millions of arguments), which
// makes float64 normals and the cached normal in the generator state bit-identical to PyTorch's.
// They cover the arguments the samplers use (log on (0, 1], sin/cos on [0, 2π)) and every other
// positive normal argument of log and |x| < 105414350 for sin/cos; outside that they defer to Math.

// __log_data.tab: 128 × {invc, logc}, little-endian float64, base64.
const LOG_TAB_B64 =
  'n97gw/A09z8AkOZ5f8zXvx/pLGp4E/c/AAANwu5v17+gtfoIYPL2PwDgURPjE9e/fYwTH6bR9j8AeCg4W7jWv9G0xQtJsfY/' +
  'AHiAkFVd1r+6DC8zR5H2PwAAGHbQAta/I0IiGJ9x9j8AkJCGyqjVv9kepZlPUvY/AFADVkNP1b/EJI+qVjP2PwBAa8M39tS/' +
  'FNyda7MU9j8AUKj9p53Uv0xcxlJk9vU/AKiJOZJF1L9PLJG1Z9j1PwC4sDn07dO/3pBby7y69T8AcI9EzpbTv3ga2fJhnfU/' +
  'AKC9Fx5A07+HVkYSVoD1PwCARu/i6dK/02vnzpdj9T8A4DA4G5TSv5N/p+IlR/U/AIjajMU+0r+DRQZC/yr1PwCQJynh6dG/' +
  '372y2yIP9T8A+EgrbZXRv9feNEeP8/Q/APi5mmdB0b9AKN7PQ9j0PwCY75TQ7dC/yKN4wD699D8AENsYpZrQv4ol4MN/ovQ/' +
  'ALhjUuZH0L80hNQkBYj0PwDwhkUi68+/Cy0ZG85t9D8AsBd1SkfPv1QYOdPZU/Q/ADAQPUSkzr9ahLREJzr0PwCw6UQNAs6/' +
  '+/gVQbUg9D8A8HcpomDNv7H0PtqCB/Q/AJCVBAHAzL+P/lddj+7zPwAQiVYpIMy/6UwLoNnV8z8AEIGNF4HLvyvBEMBgvfM/' +
  'ANDTzMniyr+42nUrJKXzPwCQEi5ARcq/AtCfzSKN8z8A8B1od6jJvxx6hMVbdfM/ADBIaW0Myb/iNq1Jzl3zPwDARaYgcci/' +
  'QNRNmHlG8z8AMBS0j9bHvyTL/85cL/M/AHBiPLg8x79JDaF1dxjzPwBgN5uao8a/kDk+N8gB8z8AoLdUMQvGv0H4lbtO6/I/' +
  'ADAkdn1zxb/RqRkCCtXyPwAwwo973MS/Kv23qPm+8j8AANJRLEbEv6sbDHocqfI/AACDvIqww78wtRRgcpPyPwAASWuZG8O/' +
  '9aFXV/p98j8AQKSQVIfCv787HZuzaPI/AKB5+Lnzwb+99Y+DnVPyPwCgLCXIYMG/OwjJqrc+8j8AIPdXf87Av7ZAqSsBKvI/' +
  'AKD+Sdw8wL8yQcyWeRXyPwCAS7y9V7+/m/zSHSAB8j8AQECWCDe+vwtITUn07PE/AED5PpgXvb9pZY9S9djxPwCg2E5n+bu/' +
  'fH5XESPF8T8AYC8gedy6v+kmy3R8sfE/AIAo58PAub+2GiwMAZ7xPwDAcrNGpri/vXC2e7CK8T8AAKyzAY23v7a87yWKd/E/' +
  'AAA4RfF0tr/aMUw1jWTxPwCAh20OXrW/3V8nkLlR8T8A4KHeXEi0v0zSMqQOP/E/AKBqTdkzs7/a+RByiyzxPwBgxfh5ILK/' +
  'MbXsKDAa8T8AIGKYRg6xv680hNr7B/E/AADSamz6r7+za04P7vXwPwBAd0qN2q2/zp8qXQbk8D8AAIXk7LyrvyGlLGNE0vA/' +
  'AMASQImhqb8amOJ8p8DwPwDAAjNYiKe/0TbGgy+v8D8AgNZnXnGlvzkToJjbnfA/AIBlSYpco7/f51Kvq4zwPwBAFWTjSaG/' +
  '+yhOL5978D8AgOuCwHKevxmPNYy1avA/AIBSUvFVmr8s+eyl7lnwPwCAgc9iPZa/kCzRzUlJ8D8AAKqM+yiSv6mt8MbGOPA/' +
  'AAD5IHsxjL+pMnkTZSjwPwAAql01GYS/SHPqJyQY8D8AAOzCAxJ4v5WxFAYECPA/AAAkeQkEYL8a+ib3H+DvPwAAkITz728/' +
  'dOphwhyh7z8AAD01QdyHPy6ZgbAQY+8/AIDCxKPOkz/Nre489iXvPwAAiRTBn5s/5xORA8jp7j8AABHO2LChP6uxy3iAru4/' +
  'AMAB0FuKpT+bDJ2iGnTuPwCA2ECDXKk/tZkKg5E67j8AgFfvaietP1aaYAngAe4/AMCY5Zh1sD+Yu3flAcrtPwAgDeP1U7I/' +
  'A5F8C/KS7T8AADiL3S60P85c+2asXO0/AMBXh1kGtj+d3l6qLCftPwAAajV22rc/zSxrPm7y7D8AYBxOQ6u5PwJ5p6Jtvuw/' +
  'AGANu8d4uz9tCDdtJovsPwAg5zITQ70/BFhdvZRY7D8AYN5xMQq/P4yfuzO1Juw/AECRKxVnwD8/5+zug/XrPwCwkoKFR8E/' +
  'wZbbdf3E6z8AMMrNbibCPyhKhgweles/AFDFptcDwz8sPu/F4mXrPwAQMzzD38M/i4jJZ0g36z8AgHprNrrEP0owHSFLCes/' +
  'APDRKDmTxT9+7/KF6NvqPwDwGCTNasY/oj1gMR2v6j8AkGbs+EDHP6dY0z/mguo/APAa9cAVyD+LcwnvQFfqPwCA9lQp6cg/' +
  'J0urkCos6j8AQPgCNrvJP9HykxOgAeo/AAAsHO2Lyj8bPNskn9fpPwDQAVxRW8s/kLHHBSWu6T8AwLzMZynMPy/Ol/Iuhek/' +
  'AGBI1TX2zD91S6TuulzpPwDARjS9wc0/OEjnncY06T8A4M+4AYzOP+ZSZy9PDek/AJAXwAlVzz+d1/+OUuboPwC4HxJsDtA/' +
  'fADMn86/6D8A0JMOuHHQPw7DvtrAmeg/AHCGnmvU0D/7FyOqJ3ToPwDQSzOHNtE/CJqzrABP6D8ASCNnDZjRP1U+ZehJKug/' +
  'AIDM4P/40T9gAvSVAQboPwBoY9dfWdI/KaPgYyXi5z8AqBQJMLnSP6213Hezvuc/AGBDEHIY0z/CJZdnqpvnPwAY7G0md9M/' +
  'VwYX8gd55z8AMK/7T9XTPwwT1tvKVuc/AOAv4+4y1D8=';
// __sincostab: 110 × {sin hi, sin lo, cos hi, cos lo} of k/128, little-endian float64, base64.
const SINCOS_TAB_B64 =
  'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAPA/AAAAAAAAAADv7q6q6v9/P3y3Z+ziRR68UlUVAMD/7z+ubRmgAUqPPNXu7qqq/48/' +
  'dwefmmOrAryfVFUBAP/vP/NeOqAoioI8VTIDAXD/lz82c1JRK/7+O+b3vwbA/e8/vXdp6Nrmijxv6O6uqv6fP+JKIvsG1Dy8' +
  '0ydVFQD87z9bm9iSRLWDvNVFLbGy/qM/ERw9IFTsNDy6pxQ0wPnvP79ZbL70kWk8qfsyEMD9pz96mW70vZlFvJ/5/WsA9+8/' +
  'X41kYLWzeLysbVh4bfyrPzby2wP95Bg8MToQyMDz7z9mDty9bYV0PNtO7e6q+q8/aUtoMm3RQrzT9ElVAfDvP29CmXs4KIM8' +
  '74uAPTT8sT9PvvPmMj1fvJ/vqCLC6+8/d0z1NEmTVzxbddESy/qzP4xGmVKRIVm8b+8pQQPn7z+Xb8k3Q79svDe3EP0R+bU/' +
  'ApG+Ak8YULzrc8jDxOHvPwJKfAXJqTW85FAlAwH3tz8aUAAYLfw6PJtrfr8G3O8/2/g1tQIZgzz50VUtkPS5P8EdrH5taVI8' +
  'AOBDS8nV7z/5kk/LaOdivB05aIW38bs/yEzqHYSRXjyxmQ6ADM/vP6yG0YbXo2485szBFm/uvT9zFrcvjg9FvIi80XjQx+8/' +
  'hbZ9RNJ1gDw27oburuq/Pzvwxryy/Eq801t9UhXA7z+475RQ82iLPNFx3Y0388A/ng9PcmiEbTyVBv4r27fvP7Fa9vStHYI8' +
  'r86v19PwwT+laZcJle9mvNNLPCYir+8/aSc6E84qVbyPuEpeKO7CP1jg3gUPTW688jYcZOql7z98zBftpk1APMtmXSwx68M/' +
  'kctma2Z9ZDwoxHwKNJzvP2J0OwZrW4w8e/LFTernxD/8csAq20lZPAFNN0D/ke8/TJ46TT/QZ7zzJqHPT+TFP7aJPwZD9Ga8' +
  '9uweLkyH7z8WKzPhFGWMvExNWsBd4MY/QMmBi1ws07sk3v/+GnzvP7FAdcRb9Xi8tfK6LxDcxz/DlzziUKtFPBzOnt9rcO8/' +
  'tNw2DMiYhrxEqfouY9fIP1O5y2KiD2K8zSq4/j5k7z+sKP7BCrB2PBLDztBS0sk/fROxgD3EWTyXZ/+MlFfvP9WxAz4NOm48' +
  'ZQd6KdvMyj/rzdZXO4hZvHk6Hr1sSu8/V7uu7fA9gTyZYdxO+MbLP6sMe2qlwWk8btGzw8c87z+UNIrSOhpivKOJglimwMw/' +
  'a3zIm9BoaLzt/1PXpS7vP4PVVl8hxIw80KW1X+G5zT/Cb8zWIC5jvJ9khjAHIO8/S5jBFgSUezyj5Yp/pbLOP+ssV68GvmC8' +
  'O4fFCewQ7z+DEix2cpCNPHcV89Tuqs8/uDKOUIhdYbyh7n2fVAHvP/3K5ZkePI08XBVlv1xR0D/Ijv2dwrh5vCYvDTBB8e4/' +
  'ctPeCBuqgrw2ZPPOAM3QP7XikwwK+3m8HPHA+7Hg7j+xw7uAI/1LvOvdlKphSNE/pBW2tYHoa7yh79VEp8/uP9BB9UoKbVW8' +
  'drjGZH3D0T/1zw3+dmB0PKjvdk8hvu4/PlS6Ep8vgLw2rxoRUj7SPxj/TjOA8HS8T6+7YSCs7j+NZZQ+1cFiPJ+0PsTduNI/' +
  'B9jymThVYTyDzafDpJnuP+g8xRtLJoK8h58ElB4z0z8sMAy0tgx+PO2pKb+uhu4/p1i7/Xo5iTzY02mXEq3TP5iDhwRVPQA8' +
  'QD0ZoD5z7j8TzkY1i0KGvJfmnua3JtQ/n8UFV8cJf7zQ6Ta0VF/uP7zIL9AP64c8ID0Pmwyg1D+tjrBruiN4PJxEKkvxSu4/' +
  'M2iKLqCMhrx6p2jPDhnVP/Pw7lVxNXs8pdaAthQ27j83UgGqk3dyvJf1op+8kdU/y+A/rEvHZzzB1qxJvyDuP2xj78euYFa8' +
  'dYcHKRQK1j8zkagL2B9bPM7bA1rxCu4/5hp3AufoXzz31ziKE4LWP61KRAKSiH28Xoe9Pqv07T/ENmd+ii2OvFUCOuO4+dY/' +
  'DdrpTsErdDzWKPJQ7d3tP7+iK9TIgG68FEJ2VQJx1z/Otksx1+pmvBJZmeu3xu0/Nc1td2SzVDxObcgD7ufXP/Jav9q8Y3u8' +
  'g46Iawuv7T/qXF4rniSKPElpghJ6Xtg/4Kxfmw6keDzcqXEv6JbtP50D0tUb9o88L5l0p6TU2D8mY3bqAkp0PEp74ZdOfu0/' +
  'lO0rNXC3Y7zFRvXpa0rZP1g/aD7hnHa8QEA+Bz9l7T837EtDNmKHvBAF6ALOv9k/pLAgozmecDzgGcbhuUvtP2GPhXe7NI88' +
  'ygzFHMk02j/NzlA7DjFavAZ8jY2/Me0/3cuJMN1gfjx3kqBjW6naP4EDPLE+KWa88JR9clAX7T+OpMEeK9WAPBcWMgWDHds/' +
  'GfWZy0LieryfrVL6bPzsPw0qj1C1tYg8Q6zbMD6R2z/xP2wvrTh+vOWCmpAV4ew/mhAxuznxgTyjQLEXiwTcP6effnXmn2E8' +
  'LpeyokrF7D+YOqgrFu5kPJ7Rf+xnd9w/Jlg9Gk2xXrwLfcafDKnsP2I0XkiBamS8H6XU49Lp3D+Y4toSivxivIQazvhbjOw/' +
  'IwFZodGzejxhdgQ0ylvdP5zCX6dEinI8O+WLIDlv7D9C26r720GHvJqcMhVMzd0/mv1x4cbUcDxeF4uLpFHsP4Comju0u2G8' +
  'aSpYwVY+3j+P+JkQgqRQvIHdHbCeM+w/wMWC7vWqjLzwBUt06K7eP30Cmzy0iVe8UH1bBigV7D8o6BITEZKIvHv5xGv/Ht8/' +
  'XFKn+BJycTw2dR4IQfbrP6GpKBbXe4s8l7xq55mO3z+jAC2vUNlZPPWUAjHq1us/nRCMyLwbczx69dIotv3fP2pbkC6ZSm88' +
  'Mg9j/iO36z85Ci1F0it3PFWZxjkpNuA/AXs5eM3YgrwOhFjv7pbrP+Ctj8c8WlQ8W26UhjZt4D8b/zhFrvWDPMIEt4RLdus/' +
  'mzgbwkhYj7wBEJ4eAqTgP/YUOaFD9oa8ThAMQTpV6z8WegJHef9YPC5ntSaL2uA/Cem+8N5YirxIiZyouzPrP6lsHx2lpo48' +
  'O5y2xNAQ4T+BmYCYiZGNPMakYkHQEes/wsD7HlbdcTyCf4sf0kbhP6g5J15T+Xs8ddILk3jv6j+Ub3R5YoN/vLDtLl+OfOE/' +
  'iCQuEFdeYzzlnfYmtczqP8y21o1q+4g83S+wrASy4T//tctwDBlfvBOJMIiGqeo/cFDNB9aDC7xMVzYyNOfhP1od9KQ/KnI8' +
  'LeBzQ+2F6j+Sx144Br5pPM+UAxscHOI/MaojSzJbXjyvhiXn6WHqPz9F/eIwg4U8u4t4k7tQ4j/OvFck0KN+PM+9UgN9Peo/' +
  'aZah7LqNhrxnoBfJEYXiP3BrodnxHYC8ReSuKacY6j9YA2xzJV45PB5CiOodueI/sGoh23Gjj7yFL5HtaPPpPwYWecUA0oG8' +
  'gjCaJ9/s4j9+4+fgVzWNPFxe8uPCzek/Yj+ZEpH5gzxPvEixVCDjP1sTWglCa488FGVqo7Wn6T+pp5/MzyKHPGcDvrl9U+M/' +
  '8EDwen4yazwQEy7EQYHpP43wiAT4H408KyhWdFmG4z+oBzuprQ9xvP2xDOBnWuk/LYYfov2+gLwKhKIV57jjP3vw0qdTdnm8' +
  'kp5tkigz6T/aDGADcLeLvDrVbNMl6+M/wA9X4XDlW7z32k14hAvpP4c7uQqx/nC8kGe65BQd5D/17IfSj2CEPNGaPTB84+g/' +
  '+Es9taRjZLxrOM+Bs07kPwVVah5s7YO8AMldWhC76D/BdJQ+4GOIPJ8VMeQAgOQ/EO1jdEoZi7wfh12YQZLoP4TtE8TZSIw8' +
  'YbeqRvyw5D+axYxzBdogPMamd40Qaeg/3em/4v84czwb1U7lpOHkP2rHt4kvSYq8oBxw3n0/6D/oxptgz1JBvBw1e/35EeU/' +
  'MYjEYejAhbxdbZExihXoP94oggu56G28JLfbzfpB5T+R0yCFwjJyPIgUqi426+c/n5WlpGUdWjyzWW2WpnHlP5ixD007hFw8' +
  'T+UJf4LA5z9o7irX1nNsvBI6gZj8oOU/eyLUt+KCjbxDZX/Nb5XnP+Ra1Ol2soq8DY+/FvzP5T+KV+tws2yJPB8hVcb+aec/' +
  'xWiMz9UnaLxXnipVpP7lP7cg7vfOtoA8oftOFzA+5z9frZQ9rtNlvHmsIZn0LOY/GiS2VZjdjrx4dqdvBBLnP4GcAqWwJYQ8' +
  'VedjKexa5j88BXFr+SaBPF71DIB85eY/ptDb3oYChjwvSxNOiojmP+bVRHbTt4a8Xfue+pi45j+y9MyGx1pxPBqCt1DOteY/' +
  'Dy5wjxXVZbxTYuuSWovmP5z4hdkaqYm84b1AfLfi5j9TrX+FKedwvLqM6/3BXeY/d3wzRxt8WbxAjAodRQ/nPw13hTjefmk8' +
  'x5EB8s8v5j/vVleJQ5FtPHil3oB2O+c/ohLcBoMkcrzfY/UmhQHmP9Ay5OClbIQ8JLX39kpn5z+ohKyUP51+PHrx8VXi0uU/' +
  'K4nIBEExgDxSHQTQwZLnP+tUs+4Fv4q8d0CCOeij5T9ivlknqiiEPMKzKF7avec/kwPNfBnRSjzyg46Nl3TlPyMtKK8UR488' +
  'WXkD9ZPo5z9MDGWq++6APKUsWQ/xROU/L6bH5uh6jrykS67p7RLoP9otQN8Kg4e82vN7ffUU5T9ZwnOAEHp0PA==';

function decodeF64(b64: string): Float64Array {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const dv = new DataView(bytes.buffer);
  const out = new Float64Array(bin.length / 8);
  for (let i = 0; i < out.length; i++) out[i] = dv.getFloat64(8 * i, true);
  return out;
}

let logTab: Float64Array | undefined;
let sincosTab: Float64Array | undefined;

const LN2HI = 0.6931471805598903;
const LN2LO = 5.497923018708371e-14;
const LOG_A0 = -0.5000000000000001;
const LOG_A1 = 0.33333333331825593;
const LOG_A2 = -0.2499999999622955;
const LOG_A3 = 0.20000304511814496;
const LOG_A4 = -0.16667054827627667;
const LOG_B0 = -0.5;
const LOG_B1 = 0.3333333333333352;
const LOG_B2 = -0.24999999999998432;
const LOG_B3 = 0.19999999999320328;
const LOG_B4 = -0.16666666669929706;
const LOG_B5 = 0.14285715076560868;
const LOG_B6 = -0.12499997863982555;
const LOG_B7 = 0.11110712032936046;
const LOG_B8 = -0.10000486757818193;
const LOG_B9 = 0.09181994006195467;
const LOG_B10 = -0.08328363062289341;

/** glibc's `log` (e_log.c, FMA build). */
export function glibcLog(x: number): number {
  if (!(x >= 2.2250738585072014e-308) || x === Infinity) return Math.log(x); // zero, subnormal, negative, inf, NaN
  if (x >= 1 - 0.0625 && x < 1 + 0.064697265625) {
    // Close to 1.
    if (x === 1) return 0;
    const r = x - 1.0;
    const r2 = r * r;
    const r3 = r * r2;
    const p7 = fma64(r3, LOG_B10, fma64(r2, LOG_B9, fma64(r, LOG_B8, LOG_B7)));
    const p4 = fma64(p7, r3, fma64(r2, LOG_B6, fma64(r, LOG_B5, LOG_B4)));
    const p1 = fma64(p4, r3, fma64(r2, LOG_B3, fma64(r, LOG_B2, LOG_B1)));
    const w = r * 134217728.0;
    const rhi = r + w - w;
    const rlo = r - rhi;
    const rhi2 = rhi * rhi;
    const hi = fma64(rhi2, LOG_B0, r);
    let lo = fma64(rhi2, LOG_B0, r - hi);
    lo = fma64(LOG_B0 * rlo, rhi + r, lo);
    return hi + fma64(p1, r3, lo);
  }
  const tab = (logTab ??= decodeF64(LOG_TAB_B64));
  // x = 2^k z with z in [OFF, 2 OFF), OFF = 0x3fe6000000000000.
  f64buf[0] = x;
  const hiw = u32of64[HI]!;
  const tmpHi = (hiw - 0x3fe60000) | 0;
  const i = (tmpHi >>> 13) & 127;
  const k = tmpHi >> 20;
  u32of64[HI] = (hiw - (tmpHi & 0xfff00000)) >>> 0;
  const z = f64buf[0]!;
  const invc = tab[2 * i]!;
  const logc = tab[2 * i + 1]!;
  const r = fma64(z, invc, -1.0);
  const kd = k;
  const w = fma64(kd, LN2HI, logc);
  const hi = w + r;
  const lo = fma64(kd, LN2LO, w - hi + r);
  const r2 = r * r;
  const y = fma64(r * r2, fma64(fma64(r, LOG_A4, LOG_A3), r2, fma64(r, LOG_A2, LOG_A1)), fma64(r2, LOG_A0, lo));
  return y + hi;
}

const SN3 = -0.16666666666666488;
const SN5 = 0.008333332142857223;
const CS2 = 0.5;
const CS4 = -0.04166666666666644;
const CS6 = 0.001388888740079376;
const TS1 = -0.16666666666666666;
const TS2 = 0.008333333333332329;
const TS3 = -0.00019841269834414642;
const TS4 = 2.755729806860771e-06;
const TS5 = -2.5022014848318398e-08;
const BIG = 52776558133248.0;
const HP0 = 1.5707963267948966;
const HP1 = 6.123233995736766e-17;
const TOINT = 6755399441055744.0;
const HPINV = 0.6366197723675814;
const MP1 = 1.5707963407039642;
const MP2 = -1.3909067564377153e-08;
const PP3 = -4.97899623147991e-17;
const PP4 = -1.9034889620193266e-25;

function lowWord(x: number): number {
  f64buf[0] = x;
  return u32of64[LO]!;
}

function copysign(v: number, s: number): number {
  const a = Math.abs(v);
  return s < 0 || Object.is(s, -0) ? -a : a;
}

/** `TAYLOR_SIN(xx, a, da)`. */
function taylorSin(xx: number, a: number, da: number): number {
  const p = fma64(xx, fma64(xx, fma64(xx, fma64(xx, TS5, TS4), TS3), TS2), TS1);
  return a + fma64(xx, fma64(p, a, -(0.5 * da)), da);
}

/** `do_sin(x, dx)`: sin(x + dx), |x| < 0.855469. */
function doSin(x: number, dx: number): number {
  const xold = x;
  if (Math.abs(x) < 0.126) return taylorSin(x * x, x, dx);
  if (x <= 0) dx = -dx;
  const ax = Math.abs(x);
  const u = BIG + ax;
  x = ax - (u - BIG);
  const xx = x * x;
  const s = x + fma64(x * xx, fma64(xx, SN5, SN3), dx);
  const c = fma64(x, dx, xx * fma64(xx, fma64(xx, CS6, CS4), CS2));
  const t = sincosTab!;
  const k = lowWord(u) << 2;
  const sn = t[k]!;
  const cor = fma64(s, t[k + 2]!, fma64(-c, sn, fma64(s, t[k + 3]!, t[k + 1]!)));
  return copysign(sn + cor, xold);
}

/** `do_cos(x, dx)`: cos(x + dx), |x| < 0.855469. */
function doCos(x: number, dx: number): number {
  if (x < 0) dx = -dx;
  const ax = Math.abs(x);
  const u = BIG + ax;
  x = ax - (u - BIG) + dx;
  const xx = x * x;
  const s = fma64(x * xx, fma64(xx, SN5, SN3), x);
  const c = xx * fma64(xx, fma64(xx, CS6, CS4), CS2);
  const t = sincosTab!;
  const k = lowWord(u) << 2;
  const cs = t[k + 2]!;
  const cor = fma64(-s, t[k]!, fma64(-c, cs, fma64(-s, t[k + 1]!, t[k + 3]!)));
  return cs + cor;
}

let redA = 0;
let redDa = 0;

/** `reduce_sincos`: x = n π/2 + (redA + redDa), |x| < 105414350; returns n mod 4. */
function reduceSincos(x: number): number {
  const t = fma64(x, HPINV, TOINT);
  const xn = t - TOINT;
  const n = lowWord(t) & 3;
  const y = fma64(-xn, MP2, fma64(-xn, MP1, x));
  const t2 = fma64(-xn, PP3, y);
  let db = fma64(-xn, PP3, y - t2);
  const b = fma64(-xn, PP4, t2);
  db += fma64(-xn, PP4, t2 - b);
  redA = b;
  redDa = db;
  return n;
}

function doSincos(a: number, da: number, n: number): number {
  const r = n & 1 ? doCos(a, da) : doSin(a, da);
  return n & 2 ? -r : r;
}

function hiWordAbs(x: number): number {
  f64buf[0] = x;
  return u32of64[HI]! & 0x7fffffff;
}

/** glibc's `sin` (s_sin.c, FMA build). */
export function glibcSin(x: number): number {
  const k = hiWordAbs(x);
  if (k < 0x3e500000) return x;
  if (k >= 0x419921fb) return Math.sin(x);
  sincosTab ??= decodeF64(SINCOS_TAB_B64);
  if (k < 0x3feb6000) return doSin(x, 0);
  if (k < 0x400368fd) return copysign(doCos(HP0 - Math.abs(x), HP1), x);
  const n = reduceSincos(x);
  return doSincos(redA, redDa, n);
}

/** glibc's `cos` (s_sin.c, FMA build). */
export function glibcCos(x: number): number {
  const k = hiWordAbs(x);
  if (k < 0x3e400000) return 1.0;
  if (k >= 0x419921fb) return Math.cos(x);
  sincosTab ??= decodeF64(SINCOS_TAB_B64);
  if (k < 0x3feb6000) return doCos(x, 0);
  if (k < 0x400368fd) {
    const y = HP0 - Math.abs(x);
    const a = y + HP1;
    const da = y - a + HP1;
    return doSin(a, da);
  }
  const n = reduceSincos(x);
  return doSincos(redA, redDa, n + 1);
}

const POW2_HALF: number[] = [];
for (let k = -24; k <= 5; k++) POW2_HALF.push(2 ** k);

/** Round a float32 value to the nearest float16 (ties to even) and return it as a number. */
function halfFromFloat(x: number): number {
  const bits = f32Bits(x);
  const exp = (bits >>> 23) & 0xff;
  if (exp === 0xff) return x; // inf, NaN
  const neg = bits >>> 31 === 1;
  const e = exp - 127;
  if (e >= 16) return neg ? -Infinity : Infinity;
  if (e < -25) return neg ? -0 : 0; // below half the smallest subnormal, 2^-25
  const mant = (bits & 0x7fffff) | 0x800000; // x = mant * 2^(e - 23)
  // Keep 11 significant bits for normal halves (e >= -14), fewer for subnormal ones.
  const shift = e >= -14 ? 13 : -1 - e; // 13 + (-14 - e)
  let m = mant >>> shift;
  const rest = mant & ((1 << shift) - 1);
  const half = 1 << (shift - 1);
  if (rest > half || (rest === half && (m & 1) === 1)) m++;
  // x rounded = m * 2^(e - 23 + shift); e - 23 + shift is e - 10 (normal) or -24 (subnormal).
  const out = m * POW2_HALF[(e >= -14 ? e - 10 : -24) + 24]!;
  if (out >= 65520) return neg ? -Infinity : Infinity;
  return neg ? -out : out;
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

const CHUNK = 4096;
const scratch = new Uint32Array(2 * CHUNK);

/**
 * out[off..off+count) = `uniform_real_distribution<dt>(0, 1)` draws, in order: float64 takes two
 * 32-bit draws (53 bits of random64()), float32 one (24 bits), float16 one (11 bits), bfloat16 one
 * (8 bits). Every value is exact in its dtype.
 */
function fillUnit(gen: Generator, dt: FloatDType, out: Float64Array, off: number, count: number): void {
  if (dt === 'float64') {
    for (let done = 0; done < count; ) {
      const m = Math.min(CHUNK, count - done);
      const buf = gen.randomFill(scratch.subarray(0, 2 * m));
      const base = off + done;
      for (let i = 0; i < m; i++) {
        out[base + i] = ((buf[2 * i]! & 0x1fffff) * 4294967296 + buf[2 * i + 1]!) * TWO_POW_M53;
      }
      done += m;
    }
    return;
  }
  const bits = dt === 'float32' ? 24 : dt === 'float16' ? 11 : 8;
  const mask = (1 << bits) - 1;
  const scale = 2 ** -bits;
  for (let done = 0; done < count; ) {
    const m = Math.min(2 * CHUNK, count - done);
    const buf = gen.randomFill(scratch.subarray(0, m));
    const base = off + done;
    for (let i = 0; i < m; i++) out[base + i] = (buf[i]! & mask) * scale;
    done += m;
  }
}

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
  fillUnit(gen, dt, out, 0, n);
  if (dt === 'float64') {
    const range = to - from;
    if (from !== 0 || range !== 1) for (let i = 0; i < n; i++) out[i] = fma64(out[i]!, range, from);
    return out;
  }
  if (dt === 'float32') {
    const f = fround(from);
    const range = fround(fround(to) - f);
    if (f !== 0 || range !== 1) for (let i = 0; i < n; i++) out[i] = fmaf(out[i]!, range, f);
    return out;
  }
  // float16 / bfloat16: x = (r & mask) * 2^-digits in float; (to - from) is computed in the
  // 16-bit type; x * range is exact in float, so the fused multiply-add rounds once to float.
  const f = narrow(dt, fround(from));
  const t = narrow(dt, fround(to));
  const range = narrow(dt, fround(t - f));
  if (f !== 0 || range !== 1) for (let i = 0; i < n; i++) out[i] = narrow(dt, fmaf(out[i]!, range, f));
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
  const r = Math.sqrt(-2.0 * glibcLog(1.0 - u2));
  const theta = 2.0 * Math.PI * u1;
  gen.nextDoubleNormalSample = r * glibcSin(theta);
  return r * glibcCos(theta);
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
    const radius = Math.sqrt(-2 * glibcLog(u1));
    const theta = 2.0 * Math.PI * u2;
    out[off + j] = affine(radius * glibcCos(theta), mean, std);
    out[off + j + 8] = affine(radius * glibcSin(theta), mean, std);
  }
}

/**
 * `normal_fill_16<Half>` / `<BFloat16>`: c10's 16-bit arithmetic (each `scalar_t` variable is
 * rounded to the 16-bit type; log/cos/sin are float functions).
 */
function normalFill16Narrow(dt: 'float16' | 'bfloat16', out: Float64Array, off: number, mean: number, std: number): void {
  if (dt === 'bfloat16') {
    const B = bfloat16FromFloat;
    for (let j = 0; j < 8; j++) {
      const u1 = B(fround(1 - out[off + j]!));
      const u2 = out[off + j + 8]!;
      const radius = B(fround(Math.sqrt(B(fround(-2 * B(fround(Math.log(u1))))))));
      const theta = B(fround(2.0 * Math.PI * u2));
      const c = B(fround(Math.cos(theta)));
      const s = B(fround(Math.sin(theta)));
      out[off + j] = B(fround(B(fround(B(fround(radius * c)) * std)) + mean));
      out[off + j + 8] = B(fround(B(fround(B(fround(radius * s)) * std)) + mean));
    }
    return;
  }
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
    fillUnit(gen, dt, out, 0, n);
    for (let i = 0; i + 16 <= n; i += 16) fill(out, i);
    if (n % 16 !== 0) {
      // Recompute the last 16 values from fresh uniforms.
      fillUnit(gen, dt, out, n - 16, 16);
      fill(out, n - 16);
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

const INT_BOUNDS: Partial<Record<DType, readonly [bigint, bigint]>> = {
  bool: [0n, 1n],
  uint8: [0n, 255n],
  int8: [-128n, 127n],
  int16: [-32768n, 32767n],
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
};
const FLOAT_DIGITS: Record<FloatDType, number> = { float64: 53, float32: 24, float16: 11, bfloat16: 8 };

function bitLength(a: bigint): number {
  return a === 0n ? 0 : a.toString(2).length;
}

/** Round an integer to `bits` significant bits, ties to even. */
function roundToBits(v: bigint, bits: number): bigint {
  const neg = v < 0n;
  const a = neg ? -v : v;
  const len = bitLength(a);
  if (len <= bits) return v;
  const shift = BigInt(len - bits);
  let q = a >> shift;
  const rem = a & ((1n << shift) - 1n);
  const half = 1n << (shift - 1n);
  if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
  const r = q << shift;
  return neg ? -r : r;
}

/** `static_cast<int64_t>(static_cast<scalar_t>(v))` (half and bfloat16 convert through float). */
function roundTripInt(v: bigint, dt: FloatDType): bigint {
  if (dt === 'float64') return roundToBits(v, 53);
  const f = roundToBits(v, 24);
  return dt === 'float32' ? f : roundToBits(f, FLOAT_DIGITS[dt]);
}

/** floor(log2(|v|)), 0 for 0: the `while (x >>= 1) ++n` loop of update_from/update_to. */
function log2Floor(v: bigint): number {
  return Math.max(bitLength(v < 0n ? -v : v) - 1, 0);
}

/**
 * `torch.randint(low, high)` / `Tensor.random_(low, high)`: `n` integers in [low, high), as int64
 * values (the caller converts them to the tensor's dtype; for a floating dtype that conversion is
 * one rounding of the exact integer). Each is `random() % range + low`, or `random64() % range + low`
 * when range ≥ 2^32 and `dtype` is int64, float64, float32 or bfloat16 (PyTorch's rule; for other
 * dtypes a range that wide cannot pass the bounds check, except int32's full [-2^31, 2^31)). The
 * full int64 range [-2^63, 2^63) (`random_(-2**63, None)`) is `random64()` as int64. For a
 * floating dtype, bounds that the dtype cannot represent exactly are first moved inwards as
 * PyTorch's `update_from`/`update_to` do (so `randint(0, 2**40, dtype=float32)` draws from
 * [0, 2^40 - 2^16)). `random_(low, None)` is [low, max] with max the dtype's maximum (2^digits for
 * a floating dtype): pass high = max + 1.
 */
export function randintValues(
  gen: Generator,
  n: number,
  low: bigint | number,
  high: bigint | number,
  dtype: DType = 'int64',
): BigInt64Array {
  checkCount(n, 'randint');
  let lo = toBigInt(low, 'low');
  let hi = toBigInt(high, 'high');
  if (!(lo < hi)) throw new RangeError(`random_ expects 'from' to be less than 'to', but got from=${lo} >= to=${hi}`);
  if (lo < -(2n ** 63n) || hi > 2n ** 63n) throw new RangeError(`randint: bounds [${lo}, ${hi}) exceed int64`);
  const fullRange = lo === -(2n ** 63n) && hi === 2n ** 63n;
  const ib = INT_BOUNDS[dtype];
  if (ib) {
    if (lo < ib[0] || lo > ib[1]) throw new RangeError(`from is out of bounds for ${dtype}: ${lo}`);
    if (!fullRange && (hi - 1n < ib[0] || hi - 1n > ib[1])) throw new RangeError(`to - 1 is out of bounds for ${dtype}: ${hi - 1n}`);
  } else if (!fullRange) {
    const dt = dtype as FloatDType;
    const max = BigInt(MAX[dt] >= 2 ** 64 ? 2 ** 64 : MAX[dt]);
    if (lo < -max || lo > max) throw new RangeError(`from is out of bounds for ${dtype}: ${lo}`);
    if (hi - 1n < -max || hi - 1n > max) throw new RangeError(`to - 1 is out of bounds for ${dtype}: ${hi - 1n}`);
    const digits = FLOAT_DIGITS[dt];
    const fromPlus1 = roundTripInt(lo + 1n, dt);
    if (fromPlus1 < lo) lo = fromPlus1 + (1n << BigInt(log2Floor(lo + 1n) - digits + 1));
    const toMinus1 = roundTripInt(hi - 1n, dt);
    if (toMinus1 >= hi) hi = toMinus1 - (1n << BigInt(log2Floor(hi - 1n) - digits + 1));
    if (!(lo < hi)) {
      throw new RangeError(
        `random_ expects 'from' casted to dtype to be less than 'to' casted to dtype, but got from=${lo} >= to=${hi}`,
      );
    }
  }
  const range = hi - lo;
  const out = new BigInt64Array(n);
  const wide = dtype === 'int64' || dtype === 'float64' || dtype === 'float32' || dtype === 'bfloat16';
  if (fullRange || (range >= TWO_POW_32 && wide)) {
    if (fullRange) {
      // [-2^63, 2^63): PyTorch's full-range kernel, random64() reinterpreted as int64.
      for (let i = 0; i < n; i++) out[i] = BigInt.asIntN(64, gen.random64());
    } else {
      // uint64 arithmetic: random64() % range + low, wrapped to int64.
      for (let i = 0; i < n; i++) out[i] = BigInt.asIntN(64, (gen.random64() % range) + lo);
    }
    return out;
  }
  if (range > TWO_POW_32) throw new RangeError(`randint: range ${range} is too wide for dtype ${dtype}`);
  const r = Number(range);
  const safe = lo >= BigInt(Number.MIN_SAFE_INTEGER) && lo <= BigInt(Number.MAX_SAFE_INTEGER - 2 ** 32);
  const l = Number(lo);
  for (let done = 0; done < n; ) {
    const m = Math.min(2 * CHUNK, n - done);
    const buf = gen.randomFill(scratch.subarray(0, m));
    if (safe) for (let i = 0; i < m; i++) out[done + i] = BigInt((buf[i]! % r) + l);
    else for (let i = 0; i < m; i++) out[done + i] = BigInt.asIntN(64, BigInt(buf[i]! % r) + lo);
    done += m;
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
  for (let start = 0; start < n - 1; ) {
    const m = Math.min(2 * CHUNK, n - 1 - start);
    const buf = gen.randomFill(scratch.subarray(0, m));
    for (let k = 0; k < m; k++) {
      const i = start + k;
      const z = buf[k]! % (n - i);
      const sav = r[i]!;
      r[i] = r[z + i]!;
      r[z + i] = sav;
    }
    start += m;
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
    fillUnit(gen, 'float64', out, 0, n);
    for (let i = 0; i < n; i++) out[i] = out[i]! < probs ? 1 : 0;
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
  fillUnit(gen, dt === 'float64' ? 'float64' : 'float32', out, 0, n);
  if (dt === 'float64') {
    for (let i = 0; i < n; i++) out[i] = out[i]! < pAt(i) ? 1 : 0;
  } else {
    for (let i = 0; i < n; i++) out[i] = out[i]! < fround(pAt(i)) ? 1 : 0;
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
  fillUnit(gen, 'float64', out, 0, n);
  for (let i = 0; i < n; i++) out[i] = castDouble(dt, k * glibcLog(1.0 - out[i]!));
  return out;
}

/** `Tensor.geometric_(p)`: `ceil(log(u) / log(1 - p))` in double, u a double uniform. */
export function geometricValues(gen: Generator, n: number, dtype: DType, p: number): Float64Array {
  checkCount(n, 'geometric_');
  if (!(p > 0 && p < 1)) throw new RangeError(`geometric_ expects p to be in (0, 1), but got p=${p}`);
  const out = new Float64Array(n);
  const d = glibcLog(1.0 - p);
  const cast = isFloatDType(dtype) ? (v: number) => castDouble(dtype, v) : (v: number) => v;
  fillUnit(gen, 'float64', out, 0, n);
  for (let i = 0; i < n; i++) out[i] = cast(Math.ceil(glibcLog(out[i]!) / d));
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
  fillUnit(gen, 'float64', out, 0, n);
  for (let i = 0; i < n; i++) {
    const t = Math.tan(Math.PI * (out[i]! - 0.5));
    out[i] = castDouble(dt, affine(t, median, sigma));
  }
  return out;
}
