// nn.init (handbook 14.1): in-place initialisers, drawing from the same generator streams as PyTorch.
import { type Generator, type Tensor, fromValues } from '@kindling/tensor';
import { noGrad } from '@kindling/autograd';

export type Nonlinearity =
  | 'linear' | 'conv1d' | 'conv2d' | 'conv3d' | 'conv_transpose1d' | 'conv_transpose2d' | 'conv_transpose3d'
  | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'selu';
export type FanMode = 'fan_in' | 'fan_out';
interface GenOpt {
  generator?: Generator;
}

/** `nn.init.calculate_gain`. */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear': case 'conv1d': case 'conv2d': case 'conv3d': case 'sigmoid':
    case 'conv_transpose1d': case 'conv_transpose2d': case 'conv_transpose3d':
      return 1;
    case 'tanh': return 5 / 3;
    case 'relu': return Math.sqrt(2);
    case 'leaky_relu': {
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu': return 3 / 4;
  }
  throw new Error(`Unsupported nonlinearity ${String(nonlinearity)}`);
}

/** fan_in / fan_out of a weight: dims 1 / 0 times the receptive field (PyTorch's rule). */
export function calculateFanInAndFanOut(t: Tensor): { fanIn: number; fanOut: number } {
  if (t.ndim < 2) throw new Error('Fan in and fan out can not be computed for tensor with fewer than 2 dimensions');
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: t.shape[1]! * receptive, fanOut: t.shape[0]! * receptive };
}

const inPlace = (f: () => void, t: Tensor) => {
  noGrad(f);
  return t;
};

export function uniform_(t: Tensor, a = 0, b = 1, opts?: GenOpt): Tensor {
  return inPlace(() => t.uniform_(a, b, opts), t);
}
export function normal_(t: Tensor, mean = 0, std = 1, opts?: GenOpt): Tensor {
  return inPlace(() => t.normal_(mean, std, opts), t);
}
export function constant_(t: Tensor, val: number): Tensor {
  return inPlace(() => t.fill_(val), t);
}
export function zeros_(t: Tensor): Tensor {
  return constant_(t, 0);
}
export function ones_(t: Tensor): Tensor {
  return constant_(t, 1);
}
export function eye_(t: Tensor): Tensor {
  if (t.ndim !== 2) throw new Error('Only tensors with 2 dimensions are supported');
  return inPlace(() => {
    t.zero_();
    t.diagonal().fill_(1);
  }, t);
}

export function xavierUniform_(t: Tensor, gain = 1, opts?: GenOpt): Tensor {
  const { fanIn, fanOut } = calculateFanInAndFanOut(t);
  const std = gain * Math.sqrt(2 / (fanIn + fanOut));
  const a = Math.sqrt(3) * std;
  return uniform_(t, -a, a, opts);
}
export function xavierNormal_(t: Tensor, gain = 1, opts?: GenOpt): Tensor {
  const { fanIn, fanOut } = calculateFanInAndFanOut(t);
  return normal_(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)), opts);
}

export interface KaimingOptions extends GenOpt {
  a?: number;
  mode?: FanMode;
  nonlinearity?: Nonlinearity;
}
function kaimingStd(t: Tensor, o?: KaimingOptions): number {
  const mode = o?.mode ?? 'fan_in';
  if (mode !== 'fan_in' && mode !== 'fan_out') throw new Error(`Mode ${mode} not supported, please use one of fan_in, fan_out`);
  const { fanIn, fanOut } = calculateFanInAndFanOut(t);
  const fan = mode === 'fan_in' ? fanIn : fanOut;
  return calculateGain(o?.nonlinearity ?? 'leaky_relu', o?.a ?? 0) / Math.sqrt(fan);
}
export function kaimingUniform_(t: Tensor, o?: KaimingOptions): Tensor {
  if (t.numel() === 0) return t;
  const bound = Math.sqrt(3) * kaimingStd(t, o);
  return uniform_(t, -bound, bound, o);
}
export function kaimingNormal_(t: Tensor, o?: KaimingOptions): Tensor {
  if (t.numel() === 0) return t;
  return normal_(t, 0, kaimingStd(t, o), o);
}

/** `nn.init.orthogonal_`: Q of the QR of a normal matrix, signs fixed by R's diagonal, times gain. */
export function orthogonal_(t: Tensor, gain = 1, opts?: GenOpt): Tensor {
  if (t.ndim < 2) throw new Error('Only tensors with 2 or more dimensions are supported');
  if (t.numel() === 0) return t;
  const rows = t.shape[0]!;
  const cols = t.numel() / rows;
  const normal = fromValues(new Float64Array(rows * cols), [rows, cols], t.dtype, t.device);
  noGrad(() => normal.normal_(0, 1, opts));
  let a = normal.to('float64');
  if (rows < cols) a = a.T.contiguous();
  const q = householderQ(a);
  const result = rows < cols ? q.T : q;
  return inPlace(() => t.copy_(result.reshape([...t.shape]).mul(gain)), t);
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
