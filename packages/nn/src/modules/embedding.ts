// Embedding modules (handbook 5.8).
import { type DType, empty, type Tensor, getDefaultDtype } from '@kindling/tensor';
import { noGrad } from '@kindling/autograd';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import * as init from '../init.js';
import { pyFloat } from '../pyrepr.js';
import { type PyArgs, need, pyArgs } from '../args.js';
import { type BagMode, embedding, embeddingBag, normalizePaddingIdx } from '../functional/embedding.js';

export interface EmbeddingModuleOptions {
  numEmbeddings?: number;
  embeddingDim?: number;
  paddingIdx?: number | null;
  maxNorm?: number | null;
  normType?: number;
  scaleGradByFreq?: boolean;
  sparse?: boolean;
  /** Use this tensor as the weight (PyTorch's `_weight`). */
  weight?: Tensor | null;
  dtype?: DType;
  device?: string;
}
const embeddingDefaults = () => ({
  numEmbeddings: undefined as number | undefined, embeddingDim: undefined as number | undefined, paddingIdx: null as number | null,
  maxNorm: null as number | null, normType: 2, scaleGradByFreq: false, sparse: false, weight: null as Tensor | null, dtype: getDefaultDtype(), device: undefined as string | undefined,
});

/** A [num, dim] weight: the given one (shape-checked), or N(0, 1) with the padding row zeroed, as reset_parameters. */
function makeWeight(num: number, dim: number, given: Tensor | null, pad: number | null, f: { dtype: DType; device: string | undefined }): Parameter {
  if (given) {
    if (given.ndim !== 2 || given.shape[0] !== num || given.shape[1] !== dim) throw new Error('Shape of weight does not match num_embeddings and embedding_dim');
    return new Parameter(given);
  }
  const w = new Parameter(empty([num, dim], f));
  init.normal_(w);
  if (pad !== null) noGrad(() => w.select(0, pad).fill_(0));
  return w;
}

function embeddingRepr(m: { numEmbeddings: number; embeddingDim: number; paddingIdx: number | null; maxNorm: number | null; normType: number; scaleGradByFreq: boolean }): string {
  let s = `${m.numEmbeddings}, ${m.embeddingDim}`;
  if (m.paddingIdx !== null) s += `, padding_idx=${m.paddingIdx}`;
  if (m.maxNorm !== null) s += `, max_norm=${pyFloat(m.maxNorm)}`;
  if (m.normType !== 2) s += `, norm_type=${pyFloat(m.normType)}`;
  if (m.scaleGradByFreq) s += ', scale_grad_by_freq=True';
  return s;
}

/** `nn.Embedding(numEmbeddings, embeddingDim, paddingIdx)`: a lookup table; the padding row gets no gradient. */
export class Embedding extends Module {
  weight: Parameter;
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly paddingIdx: number | null;
  readonly maxNorm: number | null;
  readonly normType: number;
  readonly scaleGradByFreq: boolean;
  constructor(...args: PyArgs<[numEmbeddings: number, embeddingDim: number, paddingIdx: number | null, maxNorm: number | null, normType: number, scaleGradByFreq: boolean], EmbeddingModuleOptions>) {
    super();
    const o = pyArgs('Embedding', args, ['numEmbeddings', 'embeddingDim', 'paddingIdx', 'maxNorm', 'normType', 'scaleGradByFreq'], embeddingDefaults());
    this.numEmbeddings = need('Embedding', 'numEmbeddings', o.numEmbeddings);
    this.embeddingDim = need('Embedding', 'embeddingDim', o.embeddingDim);
    this.paddingIdx = normalizePaddingIdx(o.paddingIdx, this.numEmbeddings);
    ({ maxNorm: this.maxNorm, normType: this.normType, scaleGradByFreq: this.scaleGradByFreq } = o);
    if (o.sparse) throw new Error('Embedding: sparse gradients are not supported');
    this.weight = makeWeight(this.numEmbeddings, this.embeddingDim, o.weight, this.paddingIdx, { dtype: o.dtype, device: o.device });
  }
  /** `nn.Embedding.from_pretrained(embeddings, freeze = true, …)`: the tensor becomes the weight (shared). */
  static fromPretrained(embeddings: Tensor, ...args: PyArgs<[freeze: boolean, paddingIdx: number | null, maxNorm: number | null, normType: number, scaleGradByFreq: boolean], { freeze?: boolean } & Omit<EmbeddingModuleOptions, 'weight' | 'numEmbeddings' | 'embeddingDim'>>): Embedding {
    const o = pyArgs('from_pretrained', args, ['freeze', 'paddingIdx', 'maxNorm', 'normType', 'scaleGradByFreq'], {
      freeze: true, paddingIdx: null as number | null, maxNorm: null as number | null, normType: 2, scaleGradByFreq: false, sparse: false,
    });
    if (embeddings.ndim !== 2) throw new Error('Embeddings parameter is expected to be 2-dimensional');
    const [n, d] = embeddings.shape as [number, number];
    const { freeze, ...rest } = o;
    const e = new Embedding(n, d, { ...rest, weight: embeddings });
    e.weight.requiresGrad = !freeze;
    return e;
  }
  override forward(input: Tensor): Tensor {
    return embedding(input, this.weight, { paddingIdx: this.paddingIdx, maxNorm: this.maxNorm, normType: this.normType, scaleGradByFreq: this.scaleGradByFreq });
  }
  override extraRepr(): string {
    return embeddingRepr(this);
  }
}

export interface EmbeddingBagModuleOptions extends EmbeddingModuleOptions {
  mode?: BagMode;
  includeLastOffset?: boolean;
}
/** `nn.EmbeddingBag(num, dim, mode = 'mean')`: embeddings reduced per bag; `forward(input, offsets, perSampleWeights)`. */
export class EmbeddingBag extends Module {
  weight: Parameter;
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly maxNorm: number | null;
  readonly normType: number;
  readonly scaleGradByFreq: boolean;
  readonly mode: BagMode;
  readonly includeLastOffset: boolean;
  readonly paddingIdx: number | null;
  constructor(...args: PyArgs<[numEmbeddings: number, embeddingDim: number, maxNorm: number | null, normType: number, scaleGradByFreq: boolean, mode: BagMode], EmbeddingBagModuleOptions>) {
    super();
    const o = pyArgs('EmbeddingBag', args, ['numEmbeddings', 'embeddingDim', 'maxNorm', 'normType', 'scaleGradByFreq', 'mode'], {
      ...embeddingDefaults(), mode: 'mean' as BagMode, includeLastOffset: false,
    });
    this.numEmbeddings = need('EmbeddingBag', 'numEmbeddings', o.numEmbeddings);
    this.embeddingDim = need('EmbeddingBag', 'embeddingDim', o.embeddingDim);
    this.paddingIdx = normalizePaddingIdx(o.paddingIdx, this.numEmbeddings);
    ({ maxNorm: this.maxNorm, normType: this.normType, scaleGradByFreq: this.scaleGradByFreq, mode: this.mode, includeLastOffset: this.includeLastOffset } = o);
    if (o.sparse) throw new Error('EmbeddingBag: sparse gradients are not supported');
    this.weight = makeWeight(this.numEmbeddings, this.embeddingDim, o.weight, this.paddingIdx, { dtype: o.dtype, device: o.device });
  }
  static fromPretrained(embeddings: Tensor, ...args: PyArgs<[freeze: boolean, maxNorm: number | null, normType: number, scaleGradByFreq: boolean, mode: BagMode], { freeze?: boolean } & Omit<EmbeddingBagModuleOptions, 'weight' | 'numEmbeddings' | 'embeddingDim'>>): EmbeddingBag {
    const o = pyArgs('from_pretrained', args, ['freeze', 'maxNorm', 'normType', 'scaleGradByFreq', 'mode'], {
      freeze: true, maxNorm: null as number | null, normType: 2, scaleGradByFreq: false, mode: 'mean' as BagMode, sparse: false,
      includeLastOffset: false, paddingIdx: null as number | null,
    });
    if (embeddings.ndim !== 2) throw new Error('Embeddings parameter is expected to be 2-dimensional');
    const [n, d] = embeddings.shape as [number, number];
    const { freeze, ...rest } = o;
    const e = new EmbeddingBag(n, d, { ...rest, weight: embeddings });
    e.weight.requiresGrad = !freeze;
    return e;
  }
  override forward(input: Tensor, offsets?: Tensor | null, perSampleWeights?: Tensor | null): Tensor {
    return embeddingBag(input, this.weight, {
      offsets: offsets ?? null, mode: this.mode, perSampleWeights: perSampleWeights ?? null, paddingIdx: this.paddingIdx,
      maxNorm: this.maxNorm, normType: this.normType, scaleGradByFreq: this.scaleGradByFreq, includeLastOffset: this.includeLastOffset,
    });
  }
  override extraRepr(): string {
    let s = `${this.numEmbeddings}, ${this.embeddingDim}`;
    if (this.maxNorm !== null) s += `, max_norm=${pyFloat(this.maxNorm)}`;
    if (this.normType !== 2) s += `, norm_type=${pyFloat(this.normType)}`;
    if (this.scaleGradByFreq) s += ', scale_grad_by_freq=True';
    s += `, mode=${this.mode}`;
    if (this.paddingIdx !== null) s += `, padding_idx=${this.paddingIdx}`;
    return s;
  }
}
