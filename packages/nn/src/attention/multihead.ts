// nn.MultiheadAttention (handbook 5.7), with PyTorch's parameter names so its state dicts load.
import { type DType, type Tensor, empty } from '@kindling/tensor';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { type PyArgs, need, pyArgs } from '../args.js';
import * as init from '../init.js';
import { Linear } from '../modules/linear.js';
import { multiHeadAttentionForward } from '../functional/attention.js';

export interface MultiheadAttentionOptions {
  embedDim?: number;
  numHeads?: number;
  dropout?: number;
  bias?: boolean;
  addBiasKv?: boolean;
  addZeroAttn?: boolean;
  kdim?: number | null;
  vdim?: number | null;
  batchFirst?: boolean;
  device?: string;
  dtype?: DType;
}
type MHACtorArgs = PyArgs<
  [embedDim: number, numHeads: number, dropout: number, bias: boolean, addBiasKv: boolean, addZeroAttn: boolean, kdim: number | null, vdim: number | null, batchFirst: boolean],
  MultiheadAttentionOptions
>;

export interface MultiheadAttentionForwardOptions {
  keyPaddingMask?: Tensor | null;
  needWeights?: boolean;
  attnMask?: Tensor | null;
  averageAttnWeights?: boolean;
}
type MHAForwardArgs = PyArgs<[keyPaddingMask: Tensor | null, needWeights: boolean, attnMask: Tensor | null, averageAttnWeights: boolean], MultiheadAttentionForwardOptions>;

/** `NonDynamicallyQuantizableLinear`: a Linear under the name PyTorch prints for out_proj. */
export class NonDynamicallyQuantizableLinear extends Linear {}

/**
 * `nn.MultiheadAttention(embedDim, numHeads, dropout = 0, bias = true, addBiasKv = false, addZeroAttn = false,
 * kdim = null, vdim = null, batchFirst = false)`. `forward(query, key, value, keyPaddingMask?, needWeights = true,
 * attnMask?, averageAttnWeights = true)` returns `[output, weights or null]`; weights are averaged over heads
 * unless averageAttnWeights is false. Masks: bool (true = not allowed) or float (added); key_padding_mask
 * (N, S), attn_mask (L, S) or (N·numHeads, L, S).
 */
export class MultiheadAttention extends Module {
  in_proj_weight: Parameter | null = null;
  q_proj_weight: Parameter | null = null;
  k_proj_weight: Parameter | null = null;
  v_proj_weight: Parameter | null = null;
  in_proj_bias: Parameter | null = null;
  out_proj: NonDynamicallyQuantizableLinear;
  bias_k: Parameter | null = null;
  bias_v: Parameter | null = null;
  readonly embedDim: number;
  readonly kdim: number;
  readonly vdim: number;
  readonly numHeads: number;
  readonly dropout: number;
  readonly batchFirst: boolean;
  readonly headDim: number;
  readonly addZeroAttn: boolean;
  /** kdim and vdim equal embedDim: one packed in_proj_weight. */
  readonly qkvSameEmbedDim: boolean;

  constructor(...args: MHACtorArgs) {
    super();
    const o = pyArgs('MultiheadAttention', args, ['embedDim', 'numHeads', 'dropout', 'bias', 'addBiasKv', 'addZeroAttn', 'kdim', 'vdim', 'batchFirst'], {
      embedDim: undefined as number | undefined, numHeads: undefined as number | undefined, dropout: 0, bias: true, addBiasKv: false, addZeroAttn: false,
      kdim: null as number | null, vdim: null as number | null, batchFirst: false, device: 'cpu', dtype: 'float32' as DType,
    });
    this.embedDim = need('MultiheadAttention', 'embedDim', o.embedDim);
    this.numHeads = need('MultiheadAttention', 'numHeads', o.numHeads);
    this.kdim = o.kdim ?? this.embedDim;
    this.vdim = o.vdim ?? this.embedDim;
    this.qkvSameEmbedDim = this.kdim === this.embedDim && this.vdim === this.embedDim;
    this.dropout = o.dropout;
    this.batchFirst = o.batchFirst;
    this.headDim = Math.floor(this.embedDim / this.numHeads);
    this.addZeroAttn = o.addZeroAttn;
    if (this.headDim * this.numHeads !== this.embedDim) throw new Error('embed_dim must be divisible by num_heads');
    const f = { dtype: o.dtype, device: o.device };
    const E = this.embedDim;
    if (!this.qkvSameEmbedDim) {
      this.q_proj_weight = new Parameter(empty([E, E], f));
      this.k_proj_weight = new Parameter(empty([E, this.kdim], f));
      this.v_proj_weight = new Parameter(empty([E, this.vdim], f));
    } else {
      this.in_proj_weight = new Parameter(empty([3 * E, E], f));
    }
    if (o.bias) this.in_proj_bias = new Parameter(empty([3 * E], f));
    this.out_proj = new NonDynamicallyQuantizableLinear(E, E, { bias: o.bias, ...f });
    if (o.addBiasKv) {
      this.bias_k = new Parameter(empty([1, 1, E], f));
      this.bias_v = new Parameter(empty([1, 1, E], f));
    }
    this.resetParameters();
  }

  /** PyTorch's `_reset_parameters`: xavier_uniform_ projections, zero biases, xavier_normal_ bias_k/bias_v. */
  resetParameters(): void {
    if (this.qkvSameEmbedDim) init.xavierUniform_(this.in_proj_weight!);
    else {
      init.xavierUniform_(this.q_proj_weight!);
      init.xavierUniform_(this.k_proj_weight!);
      init.xavierUniform_(this.v_proj_weight!);
    }
    if (this.in_proj_bias) {
      init.constant_(this.in_proj_bias, 0);
      init.constant_(this.out_proj.bias!, 0);
    }
    if (this.bias_k) init.xavierNormal_(this.bias_k);
    if (this.bias_v) init.xavierNormal_(this.bias_v);
  }

  override forward(query: Tensor, key: Tensor, value: Tensor, ...args: MHAForwardArgs): [Tensor, Tensor | null] {
    const o = pyArgs('MultiheadAttention.forward', args, ['keyPaddingMask', 'needWeights', 'attnMask', 'averageAttnWeights'], {
      keyPaddingMask: null as Tensor | null, needWeights: true, attnMask: null as Tensor | null, averageAttnWeights: true,
    });
    const isBatched = query.ndim === 3;
    if (o.keyPaddingMask && o.keyPaddingMask.dtype !== 'bool' && !o.keyPaddingMask.isFloatingPoint()) {
      throw new Error('only bool and floating types of key_padding_mask are supported');
    }
    if (this.batchFirst && isBatched) {
      // Keep q/k/v identities: self-attention projects once.
      if (key === value) {
        if (query === key) query = key = value = query.transpose(1, 0);
        else {
          query = query.transpose(1, 0);
          key = value = key.transpose(1, 0);
        }
      } else {
        query = query.transpose(1, 0);
        key = key.transpose(1, 0);
        value = value.transpose(1, 0);
      }
    }
    const [out, weights] = multiHeadAttentionForward(
      query, key, value, this.embedDim, this.numHeads, this.in_proj_weight, this.in_proj_bias, this.bias_k, this.bias_v, this.addZeroAttn,
      this.dropout, this.out_proj.weight, this.out_proj.bias, {
        training: this.training, keyPaddingMask: o.keyPaddingMask, needWeights: o.needWeights, attnMask: o.attnMask,
        averageAttnWeights: o.averageAttnWeights, useSeparateProjWeight: !this.qkvSameEmbedDim,
        qProjWeight: this.q_proj_weight, kProjWeight: this.k_proj_weight, vProjWeight: this.v_proj_weight,
      },
    );
    return [this.batchFirst && isBatched ? out.transpose(1, 0) : out, weights];
  }
}
