/**
 * Tensor printing, a faithful port of PyTorch 1.13's `torch/_tensor_str.py`.
 *
 * `formatTensor` is a pure function of a plain description of a tensor (its elements, shape,
 * dtype, device and autograd state), so that it can be tested on its own and used by any tensor
 * implementation. The output is byte-for-byte what Python's `repr(t)` / `print(t)` shows for a
 * dense, strided, unnamed tensor, including the `_Formatter` choice between integer, fixed-point
 * and scientific notation, summarization with `...`, line wrapping at `linewidth`, and the
 * `dtype=` / `device=` / `size=` / `grad_fn=` / `requires_grad=` suffixes.
 *
 * Float formatting reproduces Python's `'{:.Nf}'` and `'{:.Ne}'` exactly: the decimal expansion
 * of the binary value is computed exactly (with BigInt) and rounded half-to-even, which is where
 * JavaScript's `toFixed`/`toExponential` differ (they round exact ties up: `0.03125.toFixed(4)`
 * is `'0.0313'`, Python gives `'0.0312'`). Exponents have at least two digits (`1.0000e+08`),
 * as in Python.
 *
 * This module is deliberately self-contained: it imports nothing.
 */

/** `torch.set_printoptions` state. */
export interface PrintOptions {
  /** Digits after the decimal point for floats (default 4). */
  precision: number;
  /** Element count above which the printout is summarized (default 1000; `Infinity` for never). */
  threshold: number;
  /** Items kept at the start and end of each summarized dimension (default 3). */
  edgeitems: number;
  /** Characters per line used for wrapping (default 80). */
  linewidth: number;
  /** Force (`true`) or forbid (`false`) scientific notation; `null` lets the formatter decide. */
  sciMode: boolean | null;
}

/** The dtypes `formatTensor` understands (the same strings as the `DType` union). */
export type PrintableDType =
  | 'float32' | 'float64' | 'float16' | 'bfloat16'
  | 'int8' | 'uint8' | 'int16' | 'int32' | 'int64'
  | 'bool';

/** Everything `formatTensor` needs to know about a tensor. */
export interface PrintableTensor {
  /**
   * All elements in row-major (contiguous) order: float16/bfloat16 already decoded to numbers,
   * bool as 0/1, int64 as bigint (numbers are accepted too).
   */
  values: ArrayLike<number | bigint>;
  shape: readonly number[];
  dtype: PrintableDType;
  /** `'cpu'`, `'cuda:0'`, `'webgpu'`, ...; anything whose type is not `cpu` is printed. */
  device: string;
  requiresGrad: boolean;
  /** Name of the autograd node that produced the tensor, e.g. `'AddBackward0'`, or null. */
  gradFnName: string | null;
}

const DEFAULTS: PrintOptions = {
  precision: 4,
  threshold: 1000,
  edgeitems: 3,
  linewidth: 80,
  sciMode: null,
};

const PRINT_OPTS: PrintOptions = { ...DEFAULTS };

/**
 * `torch.set_printoptions`. A `profile` ('default', 'short' or 'full') is applied first, then the
 * individual options given. As in PyTorch, `sciMode` is always reset: leaving it out sets it back
 * to `null` (automatic).
 */
export function setPrintOptions(
  opts: Partial<PrintOptions> & { profile?: 'default' | 'short' | 'full' } = {},
): void {
  const { profile } = opts;
  if (profile !== undefined && profile !== null) {
    if (profile === 'default') {
      PRINT_OPTS.precision = 4;
      PRINT_OPTS.threshold = 1000;
      PRINT_OPTS.edgeitems = 3;
      PRINT_OPTS.linewidth = 80;
    } else if (profile === 'short') {
      PRINT_OPTS.precision = 2;
      PRINT_OPTS.threshold = 1000;
      PRINT_OPTS.edgeitems = 2;
      PRINT_OPTS.linewidth = 80;
    } else if (profile === 'full') {
      PRINT_OPTS.precision = 4;
      PRINT_OPTS.threshold = Infinity;
      PRINT_OPTS.edgeitems = 3;
      PRINT_OPTS.linewidth = 80;
    }
  }
  if (opts.precision !== undefined && opts.precision !== null) PRINT_OPTS.precision = opts.precision;
  if (opts.threshold !== undefined && opts.threshold !== null) PRINT_OPTS.threshold = opts.threshold;
  if (opts.edgeitems !== undefined && opts.edgeitems !== null) PRINT_OPTS.edgeitems = opts.edgeitems;
  if (opts.linewidth !== undefined && opts.linewidth !== null) PRINT_OPTS.linewidth = opts.linewidth;
  PRINT_OPTS.sciMode = opts.sciMode ?? null;
}

/** `torch._tensor_str.PRINT_OPTS`, as a copy. */
export function getPrintOptions(): PrintOptions {
  return { ...PRINT_OPTS };
}

// ---------------------------------------------------------------------------------------------
// Python-exact float formatting
// ---------------------------------------------------------------------------------------------

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// Index of the high word of a double in `u32` (platform endianness).
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

const pow5Cache: bigint[] = [1n];
function pow5(n: number): bigint {
  while (pow5Cache.length <= n) pow5Cache.push(pow5Cache[pow5Cache.length - 1]! * 5n);
  return pow5Cache[n]!;
}
const pow10Cache: bigint[] = [1n];
function pow10(n: number): bigint {
  while (pow10Cache.length <= n) pow10Cache.push(pow10Cache[pow10Cache.length - 1]! * 10n);
  return pow10Cache[n]!;
}

/** A positive finite double as `n / 10**scale` exactly. */
function exactDecimal(x: number): { n: bigint; scale: number } {
  f64[0] = x;
  const hi = u32[HI]!;
  const lo = u32[LO]!;
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e2: number;
  if (biased === 0) {
    e2 = -1074;
  } else {
    mant |= 1n << 52n;
    e2 = biased - 1075;
  }
  // Drop trailing zero bits so the power of five stays small.
  while (e2 < 0 && (mant & 1n) === 0n && mant !== 0n) {
    mant >>= 1n;
    e2 += 1;
  }
  if (e2 >= 0) return { n: mant << BigInt(e2), scale: 0 };
  return { n: mant * pow5(-e2), scale: -e2 };
}

/** round(n / d), ties to even (d > 0, n >= 0). */
function divRoundHalfEven(n: bigint, d: bigint): bigint {
  const q = n / d;
  const r2 = (n - q * d) * 2n;
  if (r2 > d || (r2 === d && (q & 1n) === 1n)) return q + 1n;
  return q;
}

function isNegative(x: number): boolean {
  return x < 0 || Object.is(x, -0);
}

function nonFinite(x: number): string {
  return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
}

/** Python's `'{:.<digits>f}'.format(x)`. */
export function formatFixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return nonFinite(x);
  const sign = isNegative(x) ? '-' : '';
  const ax = Math.abs(x);
  let r = 0n;
  if (ax !== 0) {
    const { n, scale } = exactDecimal(ax);
    r = scale <= digits ? n * pow10(digits - scale) : divRoundHalfEven(n, pow10(scale - digits));
  }
  let s = r.toString();
  if (digits > 0) {
    if (s.length < digits + 1) s = '0'.repeat(digits + 1 - s.length) + s;
    s = s.slice(0, s.length - digits) + '.' + s.slice(s.length - digits);
  }
  return sign + s;
}

/** Python's `'{:.<digits>e}'.format(x)`, e.g. `1.0000e+08`. */
export function formatExponential(x: number, digits: number): string {
  if (!Number.isFinite(x)) return nonFinite(x);
  const sign = isNegative(x) ? '-' : '';
  const ax = Math.abs(x);
  let mantissa: string;
  let exp = 0;
  if (ax === 0) {
    mantissa = '0'.repeat(digits + 1);
  } else {
    const { n, scale } = exactDecimal(ax);
    const s = n.toString();
    const len = s.length;
    exp = len - 1 - scale;
    let r: bigint;
    if (len > digits + 1) {
      r = divRoundHalfEven(n, pow10(len - digits - 1));
      if (r >= pow10(digits + 1)) {
        // Rounded up to a new power of ten (9.99995 -> 10.0000): the dropped digit is a zero.
        r /= 10n;
        exp += 1;
      }
    } else {
      r = n * pow10(digits + 1 - len);
    }
    mantissa = r.toString();
  }
  const body = digits > 0 ? mantissa[0] + '.' + mantissa.slice(1) : mantissa;
  const absExp = Math.abs(exp).toString();
  return sign + body + 'e' + (exp < 0 ? '-' : '+') + (absExp.length < 2 ? '0' + absExp : absExp);
}

// ---------------------------------------------------------------------------------------------
// _Formatter
// ---------------------------------------------------------------------------------------------

function isFloating(dtype: PrintableDType): boolean {
  return dtype === 'float32' || dtype === 'float64' || dtype === 'float16' || dtype === 'bfloat16';
}

/** An element as Python sees it after `tolist()`: a float, or the `str()` of an int/bool. */
type Elem = number | string;

function toElem(v: number | bigint, dtype: PrintableDType): Elem {
  switch (dtype) {
    case 'float64':
      return Number(v);
    case 'float32':
    case 'float16':
    case 'bfloat16':
      // `_tensor_str` turns half types into float32; every value is a float32 by then.
      return Math.fround(Number(v));
    case 'bool':
      return Number(v) !== 0 ? 'True' : 'False';
    default:
      return typeof v === 'bigint' ? v.toString() : String(Math.trunc(v));
  }
}

class Formatter {
  readonly floatingDtype: boolean;
  intMode = true;
  sciMode = false;
  maxWidth = 1;

  /** `values`: the (summarized) elements that will be shown. */
  constructor(values: readonly Elem[], floating: boolean) {
    this.floatingDtype = floating;
    if (!floating) {
      for (const v of values) this.maxWidth = Math.max(this.maxWidth, (v as string).length);
      return;
    }
    const nonzeroFinite: number[] = [];
    for (const v of values) {
      const x = v as number;
      if (Number.isFinite(x) && x !== 0) nonzeroFinite.push(x);
    }
    // No valid number: keep the defaults (and, as in PyTorch, ignore PRINT_OPTS.sci_mode).
    if (nonzeroFinite.length === 0) return;

    let min = Infinity;
    let max = 0;
    for (const x of nonzeroFinite) {
      const a = Math.abs(x);
      if (a < min) min = a;
      if (a > max) max = a;
    }
    for (const x of nonzeroFinite) {
      if (x !== Math.ceil(x)) {
        this.intMode = false;
        break;
      }
    }
    const precision = PRINT_OPTS.precision;
    if (this.intMode) {
      // All integers: a '.' is appended to show the float dtype, hence the + 1.
      if (max / min > 1000.0 || max > 1.0e8) {
        this.sciMode = true;
        for (const x of nonzeroFinite) {
          this.maxWidth = Math.max(this.maxWidth, formatExponential(x, precision).length);
        }
      } else {
        for (const x of nonzeroFinite) {
          this.maxWidth = Math.max(this.maxWidth, formatFixed(x, 0).length + 1);
        }
      }
    } else if (max / min > 1000.0 || max > 1.0e8 || min < 1.0e-4) {
      this.sciMode = true;
      for (const x of nonzeroFinite) {
        this.maxWidth = Math.max(this.maxWidth, formatExponential(x, precision).length);
      }
    } else {
      for (const x of nonzeroFinite) {
        this.maxWidth = Math.max(this.maxWidth, formatFixed(x, precision).length);
      }
    }
    if (PRINT_OPTS.sciMode !== null) this.sciMode = PRINT_OPTS.sciMode;
  }

  width(): number {
    return this.maxWidth;
  }

  format(value: Elem): string {
    let ret: string;
    if (this.floatingDtype) {
      const x = value as number;
      if (this.sciMode) {
        ret = formatExponential(x, PRINT_OPTS.precision);
      } else if (this.intMode) {
        ret = formatFixed(x, 0);
        if (Number.isFinite(x)) ret += '.';
      } else {
        ret = formatFixed(x, PRINT_OPTS.precision);
      }
    } else {
      ret = value as string;
    }
    return ret.length < this.maxWidth ? ' '.repeat(this.maxWidth - ret.length) + ret : ret;
  }
}

// ---------------------------------------------------------------------------------------------
// Layout
// ---------------------------------------------------------------------------------------------

/** A strided view of the row-major element array: `elems[offset + i * strides[d] ...]`. */
interface View {
  elems: readonly Elem[];
  shape: readonly number[];
  strides: readonly number[];
}

/** The indices of dimension `dim` that are shown (`-1` marks the `...` position). */
function shownIndices(size: number, summarize: boolean): number[] {
  const edge = PRINT_OPTS.edgeitems;
  const all = (): number[] => Array.from({ length: size }, (_, i) => i);
  if (summarize && size > 2 * edge) {
    const head = Array.from({ length: Math.min(edge, size) }, (_, i) => i);
    // Python's `self[-edgeitems:]`: with edgeitems == 0 that is `self[0:]`, the whole dimension.
    const tail = edge === 0 ? all() : Array.from({ length: edge }, (_, i) => size - edge + i);
    return [...head, -1, ...tail];
  }
  return all();
}

/** `get_summarized_data`: the elements that the printout shows, in order. */
function summarizedData(v: View, summarize: boolean): Elem[] {
  const out: Elem[] = [];
  const rec = (dim: number, offset: number): void => {
    if (dim === v.shape.length) {
      out.push(v.elems[offset]!);
      return;
    }
    for (const i of shownIndices(v.shape[dim]!, summarize)) {
      if (i >= 0) rec(dim + 1, offset + i * v.strides[dim]!);
    }
  };
  rec(0, 0);
  return out;
}

function vectorStr(v: View, dim: number, offset: number, indent: number, summarize: boolean,
  formatter: Formatter): string {
  const elementLength = formatter.width() + 2;
  const elementsPerLine = Math.max(1, Math.floor((PRINT_OPTS.linewidth - indent) / elementLength));
  const stride = v.strides[dim]!;
  const data: string[] = [];
  for (const i of shownIndices(v.shape[dim]!, summarize)) {
    data.push(i < 0 ? ' ...' : formatter.format(v.elems[offset + i * stride]!));
  }
  const lines: string[] = [];
  for (let i = 0; i < data.length; i += elementsPerLine) {
    lines.push(data.slice(i, i + elementsPerLine).join(', '));
  }
  return '[' + lines.join(',\n' + ' '.repeat(indent + 1)) + ']';
}

function tensorStrWithFormatter(v: View, dim: number, offset: number, indent: number,
  summarize: boolean, formatter: Formatter): string {
  const ndim = v.shape.length - dim;
  if (ndim === 0) return formatter.format(v.elems[offset]!);
  if (ndim === 1) return vectorStr(v, dim, offset, indent, summarize, formatter);
  const slices: string[] = [];
  for (const i of shownIndices(v.shape[dim]!, summarize)) {
    slices.push(i < 0
      ? '...'
      : tensorStrWithFormatter(v, dim + 1, offset + i * v.strides[dim]!, indent + 1, summarize,
        formatter));
  }
  return '[' + slices.join(',' + '\n'.repeat(ndim - 1) + ' '.repeat(indent + 1)) + ']';
}

function numelOf(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** `_tensor_str`: the bracketed contents. */
function tensorStr(t: PrintableTensor, indent: number): string {
  const numel = numelOf(t.shape);
  if (numel === 0) return '[]';
  const summarize = numel > PRINT_OPTS.threshold;
  const elems: Elem[] = new Array<Elem>(numel);
  for (let i = 0; i < numel; i++) elems[i] = toElem(t.values[i]!, t.dtype);
  const strides: number[] = new Array<number>(t.shape.length);
  let acc = 1;
  for (let d = t.shape.length - 1; d >= 0; d--) {
    strides[d] = acc;
    acc *= t.shape[d]!;
  }
  const view: View = { elems, shape: t.shape, strides };
  const shown = summarize ? summarizedData(view, summarize) : elems;
  const formatter = new Formatter(shown, isFloating(t.dtype));
  return tensorStrWithFormatter(view, 0, 0, indent, summarize, formatter);
}

function addSuffixes(tensorString: string, suffixes: readonly string[], indent: number,
  forceNewline: boolean): string {
  const parts = [tensorString];
  // Mirrors PyTorch, including its `+ 1` (and `rfind` returning -1 on a single line).
  let lastLineLen = tensorString.length - tensorString.lastIndexOf('\n') + 1;
  for (const suffix of suffixes) {
    const suffixLen = suffix.length;
    if (forceNewline || lastLineLen + suffixLen + 2 > PRINT_OPTS.linewidth) {
      parts.push(',\n' + ' '.repeat(indent) + suffix);
      lastLineLen = indent + suffixLen;
      forceNewline = false;
    } else {
      parts.push(', ' + suffix);
      lastLineLen += suffixLen + 2;
    }
  }
  parts.push(')');
  return parts.join('');
}

/** Python's `str(tuple(shape))`. */
function pyTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** Exactly what PyTorch 1.13's `repr(t)` / `print(t)` shows for a dense tensor. */
export function formatTensor(t: PrintableTensor): string {
  const prefix = 'tensor(';
  const indent = prefix.length;
  const suffixes: string[] = [];

  // The device is printed unless it is the default (CPU) one.
  const deviceType = t.device.split(':')[0];
  if (deviceType !== 'cpu') suffixes.push(`device='${t.device}'`);

  let contents: string;
  if (numelOf(t.shape) === 0) {
    // Explicitly print the shape if it is not (0,), to match NumPy.
    if (t.shape.length !== 1) suffixes.push('size=' + pyTuple(t.shape));
    // No elements to infer an int64 dtype from, so anything but the default is shown.
    if (t.dtype !== 'float32') suffixes.push('dtype=torch.' + t.dtype);
    contents = '[]';
  } else {
    const hasDefaultDtype = t.dtype === 'float32' || t.dtype === 'int64' || t.dtype === 'bool';
    if (!hasDefaultDtype) suffixes.push('dtype=torch.' + t.dtype);
    contents = tensorStr(t, indent);
  }

  if (t.gradFnName !== null && t.gradFnName !== undefined) {
    suffixes.push(`grad_fn=<${t.gradFnName}>`);
  } else if (t.requiresGrad) {
    suffixes.push('requires_grad=True');
  }

  return addSuffixes(prefix + contents, suffixes, indent, false);
}
