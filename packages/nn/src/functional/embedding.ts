import { type Tensor, stack, where, zeros } from '@kindling/tensor';
import { noGrad } from '@kindling/autograd';

export interface EmbeddingOptions {
  paddingIdx?: number | null;
  maxNorm?: number | null;
  normType?: number;
}

/** Rows of `weight` whose norm exceeds maxNorm are rescaled in place (PyTorch's embedding_renorm_). */
function renorm_(weight: Tensor, input: Tensor, maxNorm: number, normType: number): void {
  noGrad(() => {
    const rows = input.reshape(-1).unique() as Tensor;
    const sel = weight.index(rows);
    const norms = sel.norm(normType, 1, { keepdim: true });
    const scale = where(norms.gt(maxNorm), norms.add(1e-7).reciprocal().mul(maxNorm), norms.mul(0).add(1));
    weight.indexPut_([rows], sel.mul(scale));
  });
}

/** `F.embedding(input, weight, { paddingIdx, maxNorm })`: rows of weight; the padding row gets no gradient. */
export function embedding(input: Tensor, weight: Tensor, opts?: EmbeddingOptions): Tensor {
  if (input.dtype !== 'int64' && input.dtype !== 'int32') {
    throw new Error(`Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got ${input.dtype} instead (while checking arguments for embedding)`);
  }
  if (opts?.maxNorm != null) renorm_(weight, input, opts.maxNorm, opts.normType ?? 2);
  const out = weight.index(input);
  const pad = opts?.paddingIdx;
  if (pad === undefined || pad === null || !weight.requiresGrad) return out;
  const p = pad < 0 ? pad + weight.shape[0]! : pad;
  // Same values; the padding positions take them from a detached copy so no gradient reaches that row.
  return where(input.eq(p).unsqueeze(-1), out.detach(), out);
}

export type BagMode = 'sum' | 'mean' | 'max';
export interface EmbeddingBagOptions extends EmbeddingOptions {
  offsets?: Tensor | null;
  mode?: BagMode;
  perSampleWeights?: Tensor | null;
  includeLastOffset?: boolean;
}

/** `F.embedding_bag`: embeddings reduced per bag (2-D input = one bag per row; 1-D input + offsets). */
export function embeddingBag(input: Tensor, weight: Tensor, opts?: EmbeddingBagOptions): Tensor {
  const mode = opts?.mode ?? 'mean';
  if (opts?.perSampleWeights && mode !== 'sum') {
    throw new Error(`embedding_bag: per_sample_weights was not None. per_sample_weights is only supported for mode='sum' (got mode='${mode}'). Please open a feature request on GitHub.`);
  }
  let flat: Tensor;
  let starts: number[];
  if (input.ndim === 2) {
    if (opts?.offsets) throw new Error('if input is 2D, then offsets has to be None, as input is treated is a mini-batch of fixed length sequences.');
    const [b, l] = input.shape as [number, number];
    flat = input.reshape(-1);
    starts = Array.from({ length: b }, (_, i) => i * l);
  } else {
    if (!opts?.offsets) throw new Error('offsets has to be a 1D Tensor but got None');
    flat = input;
    starts = (opts.offsets.tolist() as number[]).map(Number);
    if (opts.includeLastOffset) starts = starts.slice(0, -1);
  }
  const emb = embedding(flat, weight, opts);
  const weighted = opts?.perSampleWeights ? emb.mul(opts.perSampleWeights.reshape([-1, 1])) : emb;
  const n = flat.shape[0]!;
  const bags = starts.map((s, i) => {
    const end = i + 1 < starts.length ? starts[i + 1]! : n;
    if (end <= s) return zeros([weight.shape[1]!], { dtype: weight.dtype, device: weight.device });
    const part = weighted.narrow(0, s, end - s);
    return mode === 'sum' ? part.sum(0) : mode === 'mean' ? part.mean(0) : part.amax(0);
  });
  return stackRows(bags);
}

function stackRows(rows: Tensor[]): Tensor {
  return stack(rows, 0);
}
