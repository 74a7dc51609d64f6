// nn.init (handbook 14.1): in-place initialisers, drawing from the same generator streams as PyTorch,
// so `torch.manualSeed(s)` then an initialiser gives PyTorch's values.
import { type Generator, type Tensor, fromValues, randperm, scalarLib } from '@kindling/tensor';
import { noGrad } from '@kindling/autograd';
import { type PyArgs, pyArgs } from './args.js';

export type Nonlinearity =
  | 'linear' | 'conv1d' | 'conv2d' | 'conv3d' | 'conv_transpose1d' | 'conv_transpose2d' | 'conv_transpose3d'
  | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'selu';
export type FanMode = 'fan_in' | 'fan_out';
/** Kindling extension: draw from this generator instead of the default one. */
export interface GenOpt {
  generator?: Generator;
}

/** `nn.init.calculate_gain(nonlinearity, param)`: the recommended gain for that nonlinearity. */
export function calculateGain(nonlinearity: Nonlinearity, param?: number | null): number {
  switch (nonlinearity) {
    case 'linear': case 'conv1d': case 'conv2d': case 'conv3d': case 'sigmoid':
    case 'conv_transpose1d': case 'conv_transpose2d': case 'conv_transpose3d':
      return 1;
    case 'tanh': return 5 / 3;
    case 'relu': return Math.sqrt(2);
    case 'leaky_relu': {
      if (param !== undefined && param !== null && typeof param !== 'number') throw new Error(`negative_slope ${String(param)} not a valid number`);
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope ** 2));
    }
    case 'selu': return 3 / 4; // value found empirically (PyTorch's choice)
  }
  throw new Error(`Unsupported nonlinearity ${String(nonlinearity)}`);
}

/** fan_in / fan_out of a weight: dims 1 / 0 times the receptive field (PyTorch's rule). */
export function calculateFanInAndFanOut(t: Tensor): { fanIn: number; fanOut: number } {
  if (t.ndim < 2) throw new Error('Fan in and fan out can not be computed for tensor with fewer than 2 dimensions');
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: t.shape[1]! * receptive, fanOut: t.shape[0]! * receptive };
}
function correctFan(t: Tensor, mode: string): number {
  if (mode !== 'fan_in' && mode !== 'fan_out') throw new Error(`Mode ${mode} not supported, please use one of ['fan_in', 'fan_out']`);
  const { fanIn, fanOut } = calculateFanInAndFanOut(t);
  return mode === 'fan_in' ? fanIn : fanOut;
}

const inPlace = (t: Tensor, f: () => void) => {
  noGrad(f);
  return t;
};
const gen = (o: GenOpt) => (o.generator ? { generator: o.generator } : undefined);

export function uniform_(t: Tensor, ...args: PyArgs<[a: number, b: number], { a?: number; b?: number } & GenOpt>): Tensor {
  const o = pyArgs('uniform_', args, ['a', 'b'], { a: 0, b: 1, generator: undefined as Generator | undefined });
  return inPlace(t, () => t.uniform_(o.a, o.b, gen(o)));
}
export function normal_(t: Tensor, ...args: PyArgs<[mean: number, std: number], { mean?: number; std?: number } & GenOpt>): Tensor {
  const o = pyArgs('normal_', args, ['mean', 'std'], { mean: 0, std: 1, generator: undefined as Generator | undefined });
  return inPlace(t, () => t.normal_(o.mean, o.std, gen(o)));
}
export function constant_(t: Tensor, ...args: PyArgs<[val: number], { val?: number }>): Tensor {
  const o = pyArgs('constant_', args, ['val'], { val: undefined as number | undefined });
  if (o.val === undefined) throw new TypeError("constant_() missing 1 required positional argument: 'val'");
  return inPlace(t, () => t.fill_(o.val!));
}
export function zeros_(t: Tensor): Tensor {
  return inPlace(t, () => t.zero_());
}
export function ones_(t: Tensor): Tensor {
  return inPlace(t, () => t.fill_(1));
}
/** The identity matrix (2-D tensors only). */
export function eye_(t: Tensor): Tensor {
  if (t.ndim !== 2) throw new Error('Only tensors with 2 dimensions are supported');
  return inPlace(t, () => {
    t.zero_();
    t.diagonal().fill_(1);
  });
}
/** The Dirac delta for convolution weights: each output channel (per group) passes its input channel through. */
export function dirac_(t: Tensor, ...args: PyArgs<[groups: number], { groups?: number }>): Tensor {
  const { groups } = pyArgs('dirac_', args, ['groups'], { groups: 1 });
  if (t.ndim < 3 || t.ndim > 5) throw new Error('Only tensors with 3, 4, or 5 dimensions are supported');
  if (t.shape[0]! % groups !== 0) throw new Error('dim 0 must be divisible by groups');
  const perGroup = t.shape[0]! / groups;
  const minDim = Math.min(perGroup, t.shape[1]!);
  const centre = t.shape.slice(2).map((s) => Math.floor(s / 2));
  return inPlace(t, () => {
    t.zero_();
    for (let g = 0; g < groups; g++) for (let d = 0; d < minDim; d++) t.index(g * perGroup + d, d, ...centre).fill_(1);
  });
}

export function xavierUniform_(t: Tensor, ...args: PyArgs<[gain: number], { gain?: number } & GenOpt>): Tensor {
  const o = pyArgs('xavier_uniform_', args, ['gain'], { gain: 1, generator: undefined as Generator | undefined });
  const { fanIn, fanOut } = calculateFanInAndFanOut(t);
  const std = o.gain * Math.sqrt(2 / (fanIn + fanOut));
  const a = Math.sqrt(3) * std;
  return inPlace(t, () => t.uniform_(-a, a, gen(o)));
}
export function xavierNormal_(t: Tensor, ...args: PyArgs<[gain: number], { gain?: number } & GenOpt>): Tensor {
  const o = pyArgs('xavier_normal_', args, ['gain'], { gain: 1, generator: undefined as Generator | undefined });
  const { fanIn, fanOut } = calculateFanInAndFanOut(t);
  const std = o.gain * Math.sqrt(2 / (fanIn + fanOut));
  return inPlace(t, () => t.normal_(0, std, gen(o)));
}

export interface KaimingOptions extends GenOpt {
  a?: number;
  mode?: FanMode;
  nonlinearity?: Nonlinearity;
}
type KaimingArgs = PyArgs<[a: number, mode: FanMode, nonlinearity: Nonlinearity], KaimingOptions>;
function kaiming(fn: string, t: Tensor, args: KaimingArgs): { std: number; o: GenOpt } | null {
  const o = pyArgs(fn, args, ['a', 'mode', 'nonlinearity'], { a: 0, mode: 'fan_in' as FanMode, nonlinearity: 'leaky_relu' as Nonlinearity, generator: undefined as Generator | undefined });
  // A zero-element tensor is left alone (PyTorch warns "Initializing zero-element tensors is a no-op").
  if (t.numel() === 0) return null;
  const fan = correctFan(t, o.mode);
  return { std: calculateGain(o.nonlinearity, o.a) / Math.sqrt(fan), o };
}
/** He et al.'s uniform init: U(−b, b), b = gain·√(3 / fan). */
export function kaimingUniform_(t: Tensor, ...args: KaimingArgs): Tensor {
  const k = kaiming('kaiming_uniform_', t, args);
  if (!k) return t;
  const bound = Math.sqrt(3) * k.std;
  return inPlace(t, () => t.uniform_(-bound, bound, gen(k.o)));
}
/** He et al.'s normal init: N(0, gain²/fan). */
export function kaimingNormal_(t: Tensor, ...args: KaimingArgs): Tensor {
  const k = kaiming('kaiming_normal_', t, args);
  if (!k) return t;
  return inPlace(t, () => t.normal_(0, k.std, gen(k.o)));
}

/** erf⁻¹ by PyTorch's rational approximation plus two Newton steps (its `calc_erfinv`). */
function erfinv(y: number): number {
  const ay = Math.abs(y);
  if (ay > 1) return NaN;
  if (ay === 1) return Math.sign(y) * Infinity;
  let x: number;
  if (ay <= 0.7) {
    const z = y * y;
    const num = ((-0.140543331 * z + 0.914624893) * z - 1.645349621) * z + 0.886226899;
    const dem = (((0.012229801 * z - 0.329097515) * z + 1.442710462) * z - 2.118377725) * z + 1;
    x = (y * num) / dem;
  } else {
    const z = Math.sqrt(-Math.log((1 - ay) / 2));
    const num = ((1.641345311 * z + 3.429567803) * z - 1.624906493) * z - 1.970840454;
    const dem = (1.6370678 * z + 3.5438892) * z + 1;
    x = (Math.sign(y) * num) / dem;
  }
  for (let i = 0; i < 2; i++) x -= (scalarLib.erf(x) - y) / ((2 / Math.sqrt(Math.PI)) * Math.exp(-x * x));
  return x;
}

export interface TruncNormalOptions extends GenOpt {
  mean?: number;
  std?: number;
  a?: number;
  b?: number;
}
/** N(mean, std²) truncated to [a, b], by PyTorch's inverse-CDF method (same uniform draws). */
export function truncNormal_(t: Tensor, ...args: PyArgs<[mean: number, std: number, a: number, b: number], TruncNormalOptions>): Tensor {
  const o = pyArgs('trunc_normal_', args, ['mean', 'std', 'a', 'b'], { mean: 0, std: 1, a: -2, b: 2, generator: undefined as Generator | undefined });
  const cdf = (x: number) => (1 + scalarLib.erf(x / Math.SQRT2)) / 2;
  const l = cdf((o.a - o.mean) / o.std);
  const u = cdf((o.b - o.mean) / o.std);
  return inPlace(t, () => {
    t.uniform_(2 * l - 1, 2 * u - 1, gen(o));
    // erfinv, scale and shift, in the tensor's precision step by step as PyTorch's in-place ops.
    const round = t.dtype === 'float32' ? Math.fround : (v: number) => v;
    const scale = round(o.std * Math.SQRT2);
    const shift = round(o.mean);
    const values = Array.from(t.contiguous().dataSync() as ArrayLike<number>, (v) => {
      const r = round(round(round(erfinv(v)) * scale) + shift);
      return Math.min(Math.max(r, o.a), o.b);
    });
    t.copy_(fromValues(values, [...t.shape], t.dtype, t.device));
  });
}

/** `nn.init.orthogonal_`: Q of the QR of a normal matrix (signs fixed by R's diagonal), times gain. */
export function orthogonal_(t: Tensor, ...args: PyArgs<[gain: number], { gain?: number } & GenOpt>): Tensor {
  const o = pyArgs('orthogonal_', args, ['gain'], { gain: 1, generator: undefined as Generator | undefined });
  if (t.ndim < 2) throw new Error('Only tensors with 2 or more dimensions are supported');
  if (t.numel() === 0) return t;
  const rows = t.shape[0]!;
  const cols = t.numel() / rows;
  const normal = fromValues(new Float64Array(rows * cols), [rows, cols], t.dtype, t.device);
  noGrad(() => normal.normal_(0, 1, gen(o)));
  let a = normal.to('float64');
  if (rows < cols) a = a.T.contiguous();
  const q = householderQ(a);
  const result = rows < cols ? q.T : q;
  return inPlace(t, () => t.copy_(result.reshape([...t.shape]).mul(o.gain)));
}

/** `nn.init.sparse_(t, sparsity, std = 0.01)`: N(0, std²), then in each column ⌈sparsity·rows⌉ random rows zeroed. */
export function sparse_(t: Tensor, sparsity: number, ...args: PyArgs<[std: number], { std?: number } & GenOpt>): Tensor {
  const o = pyArgs('sparse_', args, ['std'], { std: 0.01, generator: undefined as Generator | undefined });
  if (t.ndim !== 2) throw new Error('Only tensors with 2 dimensions are supported');
  const [rows, cols] = t.shape as [number, number];
  const numZeros = Math.ceil(sparsity * rows);
  return inPlace(t, () => {
    t.normal_(0, o.std, gen(o));
    for (let c = 0; c < cols; c++) {
      const perm = randperm(rows, gen(o) ?? {});
      t.indexPut_([perm.narrow(0, 0, numZeros), c], 0);
    }
  });
}

/** Q (m×n, m ≥ n) of a Householder QR with columns scaled by sign(diag R), as `q *= d.sign()`. */
function householderQ(a: Tensor): Tensor {
  const [m, n] = a.shape as [number, number];
  const A = Float64Array.from(a.dataSync() as Float64Array);
  const vs: Float64Array[] = [];
  const diag = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let norm = 0;
    for (let i = k; i < m; i++) norm += A[i * n + k]! ** 2;
    norm = Math.sqrt(norm);
    const x0 = A[k * n + k]!;
    const alpha = x0 > 0 ? -norm : norm;
    const v = new Float64Array(m);
    for (let i = k; i < m; i++) v[i] = A[i * n + k]!;
    v[k]! -= alpha;
    let vnorm = 0;
    for (let i = k; i < m; i++) vnorm += v[i]! ** 2;
    if (vnorm > 0) {
      for (let j = k; j < n; j++) {
        let dot = 0;
        for (let i = k; i < m; i++) dot += v[i]! * A[i * n + j]!;
        const f = (2 * dot) / vnorm;
        for (let i = k; i < m; i++) A[i * n + j]! -= f * v[i]!;
      }
    }
    diag[k] = A[k * n + k]!;
    vs.push(vnorm > 0 ? v : new Float64Array(m));
  }
  // Q = H_0 H_1 … H_{n-1} applied to the first n columns of I.
  const Q = new Float64Array(m * n);
  for (let i = 0; i < n; i++) Q[i * n + i] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const v = vs[k]!;
    let vnorm = 0;
    for (let i = k; i < m; i++) vnorm += v[i]! ** 2;
    if (vnorm === 0) continue;
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let i = k; i < m; i++) dot += v[i]! * Q[i * n + j]!;
      const f = (2 * dot) / vnorm;
      for (let i = k; i < m; i++) Q[i * n + j]! -= f * v[i]!;
    }
  }
  for (let j = 0; j < n; j++) {
    const s = Math.sign(diag[j]!) || 1;
    if (s < 0) for (let i = 0; i < m; i++) Q[i * n + j] = -Q[i * n + j]!;
  }
  return fromValues(Q, [m, n], 'float64', a.device);
}
