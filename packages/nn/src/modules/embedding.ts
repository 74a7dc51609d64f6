import { type DType, empty, type Tensor } from '@kindling/tensor';
import { noGrad } from '@kindling/autograd';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import * as init from '../init.js';
import { type BagMode, embedding, embeddingBag } from '../functional/embedding.js';
import { pyFloat } from '../pyrepr.js';

interface EmbeddingOptions {
  paddingIdx?: number | null;
  maxNorm?: number | null;
  normType?: number;
  scaleGradByFreq?: boolean;
  sparse?: boolean;
  weight?: Tensor;
  dtype?: DType;
  device?: string;
}

function normalizePadding(paddingIdx: number | null | undefined, num: number): number | null {
  if (paddingIdx === null || paddingIdx === undefined) return null;
  if (paddingIdx >= num || paddingIdx < -num) throw new Error('Padding_idx must be within num_embeddings');
  return paddingIdx < 0 ? paddingIdx + num : paddingIdx;
}

export class Embedding extends Module {
  weight: Parameter;
  readonly paddingIdx: number | null;
  readonly maxNorm: number | null;
  readonly normType: number;
  constructor(
    readonly numEmbeddings: number,
    readonly embeddingDim: number,
    opts: EmbeddingOptions = {},
  ) {
    super();
    this.paddingIdx = normalizePadding(opts.paddingIdx, numEmbeddings);
    this.maxNorm = opts.maxNorm ?? null;
    this.normType = opts.normType ?? 2;
    if (opts.weight) {
      if (opts.weight.shape[0] !== numEmbeddings || opts.weight.shape[1] !== embeddingDim) {
        throw new Error('Shape of weight does not match num_embeddings and embedding_dim');
      }
      this.weight = new Parameter(opts.weight);
    } else {
      this.weight = new Parameter(empty([numEmbeddings, embeddingDim], { dtype: opts.dtype ?? 'float32', device: opts.device ?? 'cpu' }));
      init.normal_(this.weight);
      // The padding row starts at zero, as PyTorch's reset_parameters.
      if (this.paddingIdx !== null) noGrad(() => this.weight.select(0, this.paddingIdx!).fill_(0));
    }
  }
  /** `nn.Embedding.from_pretrained(embeddings, { freeze = true, paddingIdx, maxNorm })`. */
  static fromPretrained(embeddings: Tensor, opts: { freeze?: boolean } & Omit<EmbeddingOptions, 'weight'> = {}): Embedding {
    if (embeddings.ndim !== 2) throw new Error('Embeddings parameter is expected to be 2-dimensional');
    const [n, d] = embeddings.shape as [number, number];
    const e = new Embedding(n, d, { ...opts, weight: embeddings });
    e.weight.requiresGrad = !(opts.freeze ?? true);
    return e;
  }
  override forward(input: Tensor): Tensor {
    return embedding(input, this.weight, { paddingIdx: this.paddingIdx, maxNorm: this.maxNorm, normType: this.normType });
  }
  override extraRepr(): string {
    let s = `${this.numEmbeddings}, ${this.embeddingDim}`;
    if (this.paddingIdx !== null) s += `, padding_idx=${this.paddingIdx}`;
    if (this.maxNorm !== null) s += `, max_norm=${pyFloat(this.maxNorm)}`;
    return s;
  }
}

export class EmbeddingBag extends Module {
  weight: Parameter;
  readonly mode: BagMode;
  readonly paddingIdx: number | null;
  readonly maxNorm: number | null;
  readonly normType: number;
  readonly includeLastOffset: boolean;
  constructor(
    readonly numEmbeddings: number,
    readonly embeddingDim: number,
    opts: EmbeddingOptions & { mode?: BagMode; includeLastOffset?: boolean } = {},
  ) {
    super();
    this.mode = opts.mode ?? 'mean';
    this.paddingIdx = normalizePadding(opts.paddingIdx, numEmbeddings);
    this.maxNorm = opts.maxNorm ?? null;
    this.normType = opts.normType ?? 2;
    this.includeLastOffset = opts.includeLastOffset ?? false;
    this.weight = new Parameter(opts.weight ?? empty([numEmbeddings, embeddingDim], { dtype: opts.dtype ?? 'float32', device: opts.device ?? 'cpu' }));
    if (!opts.weight) {
      init.normal_(this.weight);
      if (this.paddingIdx !== null) noGrad(() => this.weight.select(0, this.paddingIdx!).fill_(0));
    }
  }
  static fromPretrained(embeddings: Tensor, opts: { freeze?: boolean; mode?: BagMode } & Omit<EmbeddingOptions, 'weight'> = {}): EmbeddingBag {
    const [n, d] = embeddings.shape as [number, number];
    const e = new EmbeddingBag(n, d, { ...opts, weight: embeddings });
    e.weight.requiresGrad = !(opts.freeze ?? true);
    return e;
  }
  override forward(input: Tensor, offsets?: Tensor | null, perSampleWeights?: Tensor | null): Tensor {
    return embeddingBag(input, this.weight, {
      offsets: offsets ?? null, mode: this.mode, perSampleWeights: perSampleWeights ?? null, paddingIdx: this.paddingIdx,
      maxNorm: this.maxNorm, normType: this.normType, includeLastOffset: this.includeLastOffset,
    });
  }
  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}, mode='${this.mode}'`;
  }
}
