// Embeddings (handbook 5.8): row lookups whose gradient scatters back into the weight rows.
import { type Tensor, stack, tensor, zeros } from '@kindling/tensor';
import { isGradEnabled, noGrad } from '@kindling/autograd';
import { type PyArgs, pyArgs } from '../args.js';

const TYPE_NAMES: Record<string, string> = { float32: 'Float', float64: 'Double', float16: 'Half', bfloat16: 'BFloat16', int64: 'Long', int32: 'Int', int16: 'Short', int8: 'Char', uint8: 'Byte', bool: 'Bool' };

function checkIndices(fn: string, input: Tensor, numRows: number): void {
  if (input.dtype !== 'int64' && input.dtype !== 'int32') {
    throw new Error(`Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got torch.${TYPE_NAMES[input.dtype] ?? input.dtype}Tensor instead (while checking arguments for ${fn})`);
  }
  if (input.numel() > 0) {
    const lo = Number(input.min().item());
    const hi = Number(input.max().item());
    if (lo < 0 || hi >= numRows) throw new RangeError('index out of range in self');
  }
}

/** Python's normalisation of padding_idx: negative counts from the end; out of range is an error. */
export function normalizePaddingIdx(paddingIdx: number | null | undefined, numRows: number): number | null {
  if (paddingIdx === null || paddingIdx === undefined) return null;
  if (paddingIdx >= numRows || paddingIdx < -numRows) throw new Error('Padding_idx must be within num_embeddings');
  return paddingIdx < 0 ? paddingIdx + numRows : paddingIdx;
}

/**
 * `embedding_renorm_`: each row of `weight` used by `input` whose norm exceeds maxNorm is scaled in place
 * by maxNorm / (norm + 1e-7). As PyTorch, the scale is computed in double and applied to the row.
 */
export function embeddingRenorm_(weight: Tensor, input: Tensor, maxNorm: number, normType: number): Tensor {
  noGrad(() => {
    const rows = input.reshape(-1).unique() as Tensor;
    if (rows.numel() === 0) return;
    const norms = weight.index(rows).norm(normType, 1).tolist() as number[];
    const scale = norms.map((n) => (n > maxNorm ? maxNorm / (n + 1e-7) : 1));
    if (scale.every((s) => s === 1)) return;
    const factors = tensor(scale, { dtype: weight.dtype, device: weight.device }).unsqueeze(1);
    weight.indexPut_([rows], weight.index(rows).mul(factors));
  });
  return weight;
}

/**
 * The gradient that reaches the weight through `out = weight[input]`: padding positions give none, and
 * with scaleGradByFreq each position's share is divided by how often its index occurs in the batch.
 * Done by a hook on `out`, so forward values are untouched.
 */
function shapeGradient(out: Tensor, input: Tensor, paddingIdx: number | null, scaleGradByFreq: boolean): void {
  if (!out.requiresGrad || !isGradEnabled() || (paddingIdx === null && !scaleGradByFreq)) return;
  const ids = (input.reshape(-1).tolist() as (number | bigint)[]).map(Number);
  const counts = new Map<number, number>();
  if (scaleGradByFreq) for (const i of ids) counts.set(i, (counts.get(i) ?? 0) + 1);
  const f = ids.map((i) => (i === paddingIdx ? 0 : scaleGradByFreq ? 1 / counts.get(i)! : 1));
  const factor = tensor(f, { dtype: out.dtype, device: out.device }).reshape([...input.shape, 1]);
  out.registerHook((g) => g.mul(factor));
}

export interface EmbeddingOptions {
  paddingIdx?: number | null;
  maxNorm?: number | null;
  normType?: number;
  scaleGradByFreq?: boolean;
  sparse?: boolean;
}
type EmbeddingArgs = PyArgs<[paddingIdx: number | null, maxNorm: number | null, normType: number, scaleGradByFreq: boolean, sparse: boolean], EmbeddingOptions>;

/** `F.embedding(input, weight, paddingIdx, maxNorm, normType = 2, scaleGradByFreq = false)`: rows of weight. */
export function embedding(input: Tensor, weight: Tensor, ...args: EmbeddingArgs): Tensor {
  const o = pyArgs('embedding', args, ['paddingIdx', 'maxNorm', 'normType', 'scaleGradByFreq', 'sparse'], {
    paddingIdx: null as number | null, maxNorm: null as number | null, normType: 2, scaleGradByFreq: false, sparse: false,
  });
  if (o.sparse) throw new Error('embedding: sparse gradients are not supported; use sparse=false');
  if (weight.ndim !== 2) throw new Error("'weight' must be 2-D");
  checkIndices('embedding', input, weight.shape[0]!);
  const pad = normalizePaddingIdx(o.paddingIdx, weight.shape[0]!);
  if (o.maxNorm !== null) embeddingRenorm_(weight, input, o.maxNorm, o.normType);
  const out = weight.index(input);
  shapeGradient(out, input, pad, o.scaleGradByFreq);
  return out;
}

export type BagMode = 'sum' | 'mean' | 'max';
export interface EmbeddingBagOptions extends EmbeddingOptions {
  offsets?: Tensor | null;
  mode?: BagMode;
  perSampleWeights?: Tensor | null;
  includeLastOffset?: boolean;
}
type EmbeddingBagArgs = PyArgs<
  [offsets: Tensor | null, maxNorm: number | null, normType: number, scaleGradByFreq: boolean, mode: BagMode, sparse: boolean,
    perSampleWeights: Tensor | null, includeLastOffset: boolean, paddingIdx: number | null],
  EmbeddingBagOptions
>;

/**
 * `F.embedding_bag(input, weight, offsets, …, mode = 'mean', perSampleWeights, includeLastOffset, paddingIdx)`:
 * embeddings reduced per bag. 2-D input is one bag per row; 1-D input is cut into bags at `offsets`.
 * Entries equal to paddingIdx are left out of their bag (and of its count for 'mean'); an empty bag gives zeros.
 */
export function embeddingBag(input: Tensor, weight: Tensor, ...args: EmbeddingBagArgs): Tensor {
  const o = pyArgs('embedding_bag', args,
    ['offsets', 'maxNorm', 'normType', 'scaleGradByFreq', 'mode', 'sparse', 'perSampleWeights', 'includeLastOffset', 'paddingIdx'], {
      offsets: null as Tensor | null, maxNorm: null as number | null, normType: 2, scaleGradByFreq: false, mode: 'mean' as BagMode, sparse: false,
      perSampleWeights: null as Tensor | null, includeLastOffset: false, paddingIdx: null as number | null,
    });
  let psw = o.perSampleWeights;
  if (psw && input.shape.join() !== psw.shape.join()) {
    throw new Error(`embedding_bag: If per_sample_weights ([${psw.shape.join(', ')}]) is not None, then it must have the same shape as the input ([${input.shape.join(', ')}])`);
  }
  let flat: Tensor;
  let starts: number[];
  if (input.ndim === 2) {
    if (o.offsets) throw new Error("if input is 2D, then offsets has to be None, as input is treated is a mini-batch of fixed length sequences. However, found offsets of type <class 'torch.Tensor'>");
    const [b, l] = input.shape as [number, number];
    flat = input.reshape(-1);
    starts = Array.from({ length: b }, (_, i) => i * l);
    if (psw) psw = psw.reshape(-1);
  } else if (input.ndim === 1) {
    if (!o.offsets) throw new Error('offsets has to be a 1D Tensor but got None');
    if (o.offsets.ndim !== 1) throw new Error('offsets has to be a 1D Tensor');
    flat = input;
    starts = (o.offsets.tolist() as (number | bigint)[]).map(Number);
  } else {
    throw new Error(`input has to be 1D or 2D Tensor, but got Tensor of dimension ${input.ndim}`);
  }
  if (o.mode !== 'sum' && o.mode !== 'mean' && o.mode !== 'max') throw new Error('mode has to be one of sum, mean or max');
  if (o.mode === 'max' && o.scaleGradByFreq) throw new Error('max mode does not support scaling the gradient by the frequency');
  if (o.maxNorm !== null) embeddingRenorm_(weight, flat, o.maxNorm, o.normType);
  if (psw && o.mode !== 'sum') {
    throw new Error(`embedding_bag: per_sample_weights was not None. per_sample_weights is only supported for mode='sum' (got mode='${o.mode}'). Please open a feature request on GitHub.`);
  }
  const n = flat.shape[0]!;
  if (starts.length > 0 && starts[0] !== 0) throw new Error(`offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start from position 0. However, got ${starts[0]}`);
  if (starts.some((s) => s > n)) throw new Error(`offsets[-1] can not be greater than input's length ${n}, but got ${starts[starts.length - 1]}`);
  const ends = starts.map((_, i) => (i + 1 < starts.length ? starts[i + 1]! : n));
  if (o.includeLastOffset) {
    starts = starts.slice(0, -1);
    ends.pop();
  }
  const pad = normalizePaddingIdx(o.paddingIdx, weight.shape[0]!);
  checkIndices('embedding_bag', flat, weight.shape[0]!);
  const ids = (flat.tolist() as (number | bigint)[]).map(Number);
  const dim = weight.shape[1]!;
  // One lookup for all positions (so scaleGradByFreq counts over the whole input, as PyTorch), then per bag.
  let emb = embedding(flat, weight, { scaleGradByFreq: o.scaleGradByFreq });
  if (psw) emb = emb.mul(psw.unsqueeze(1));
  const bags = starts.map((s, i) => {
    // The positions of this bag that count (padding left out).
    const keep: number[] = [];
    for (let j = s; j < ends[i]!; j++) if (ids[j] !== pad) keep.push(j);
    if (keep.length === 0) return zeros([dim], { dtype: weight.dtype, device: weight.device });
    const rows = keep.length === ends[i]! - s ? emb.narrow(0, s, keep.length) : emb.index(tensor(keep, { dtype: 'int64', device: flat.device }));
    return o.mode === 'sum' ? rows.sum(0) : o.mode === 'mean' ? rows.sum(0).div(keep.length) : rows.amax(0);
  });
  if (bags.length === 0) return zeros([0, dim], { dtype: weight.dtype, device: weight.device });
  return stack(bags, 0);
}
