// Transformer layers (handbook 5.7), following PyTorch 1.13's modules: the same submodule names (so
// state dicts load), the same order of operations and dropout draws (so seeded runs agree).
import { type DType, type Tensor, arange, getRngState, setRngState, zeros } from '@kindling/tensor';
import { Module } from '../module.js';
import { type PyArgs, need, pyArgs } from '../args.js';
import * as init from '../init.js';
import { Linear } from '../modules/linear.js';
import { Dropout } from '../modules/dropout.js';
import { LayerNorm } from '../modules/normalization.js';
import { ModuleList } from '../containers/index.js';
import { gelu, relu } from '../functional/activation.js';
import { MultiheadAttention } from './multihead.js';

/** 'relu', 'gelu', a function of a tensor, or a module (registered as the `activation` child, as PyTorch). */
export type TransformerActivation = 'relu' | 'gelu' | ((x: Tensor) => Tensor) | Module;

function activationFn(a: TransformerActivation): ((x: Tensor) => Tensor) | Module {
  if (a === 'relu') return (x) => relu(x);
  if (a === 'gelu') return (x) => gelu(x);
  if (typeof a === 'string') throw new Error(`activation should be relu/gelu, not ${String(a)}`);
  return a;
}

/** Modules that TransformerEncoder/Decoder can copy (PyTorch deep-copies the layer it is given). */
export interface Cloneable {
  clone(): Module;
}

/**
 * A deep copy of a layer built from its constructor arguments: a new instance (the global RNG state is
 * restored afterwards, as `copy.deepcopy` draws nothing) given the layer's state, mode and requires_grad flags.
 */
function cloneLayer<M extends Module>(m: M, make: () => M): M {
  const rng = getRngState();
  let c: M;
  try {
    c = make();
  } finally {
    setRngState(rng);
  }
  c.loadStateDict(m.stateDict());
  c.train(m.training);
  const flags = new Map(m.namedParameters().map(([n, p]) => [n, p.requiresGrad]));
  for (const [n, p] of c.namedParameters()) p.requiresGrad_(flags.get(n) ?? true);
  return c;
}

function clones(layer: Module, n: number, owner: string): ModuleList {
  const c = layer as Module & Partial<Cloneable>;
  if (typeof c.clone !== 'function') {
    throw new TypeError(`${owner}: the layer must provide clone() (Kindling's stand-in for copy.deepcopy), got ${layer.constructor.name}`);
  }
  return new ModuleList(Array.from({ length: n }, () => c.clone!()));
}

export interface TransformerLayerOptions {
  dModel?: number;
  nhead?: number;
  dimFeedforward?: number;
  dropout?: number;
  activation?: TransformerActivation;
  layerNormEps?: number;
  batchFirst?: boolean;
  normFirst?: boolean;
  device?: string;
  dtype?: DType;
}
type LayerCtorArgs = PyArgs<
  [dModel: number, nhead: number, dimFeedforward: number, dropout: number, activation: TransformerActivation, layerNormEps: number, batchFirst: boolean, normFirst: boolean],
  TransformerLayerOptions
>;
const LAYER_NAMES = ['dModel', 'nhead', 'dimFeedforward', 'dropout', 'activation', 'layerNormEps', 'batchFirst', 'normFirst'] as const;
const layerDefaults = () => ({
  dModel: undefined as number | undefined, nhead: undefined as number | undefined, dimFeedforward: 2048, dropout: 0.1, activation: 'relu' as TransformerActivation,
  layerNormEps: 1e-5, batchFirst: false, normFirst: false, device: 'cpu', dtype: 'float32' as DType,
});

export interface EncoderLayerForwardOptions {
  srcMask?: Tensor | null;
  srcKeyPaddingMask?: Tensor | null;
}

/**
 * `nn.TransformerEncoderLayer(dModel, nhead, dimFeedforward = 2048, dropout = 0.1, activation = 'relu',
 * layerNormEps = 1e-5, batchFirst = false, normFirst = false)`: self-attention and a feed-forward block,
 * each with a residual connection and LayerNorm (after, or before with normFirst).
 */
export class TransformerEncoderLayer extends Module implements Cloneable {
  self_attn: MultiheadAttention;
  linear1: Linear;
  dropout: Dropout;
  linear2: Linear;
  readonly normFirst: boolean;
  norm1: LayerNorm;
  norm2: LayerNorm;
  dropout1: Dropout;
  dropout2: Dropout;
  activation: Module | null = null;
  private readonly act: (x: Tensor) => Tensor;
  private readonly ctorArgs: LayerCtorArgs;

  constructor(...args: LayerCtorArgs) {
    super();
    const o = pyArgs('TransformerEncoderLayer', args, [...LAYER_NAMES], layerDefaults());
    const d = need('TransformerEncoderLayer', 'dModel', o.dModel);
    const nhead = need('TransformerEncoderLayer', 'nhead', o.nhead);
    const f = { device: o.device, dtype: o.dtype };
    this.self_attn = new MultiheadAttention(d, nhead, { dropout: o.dropout, batchFirst: o.batchFirst, ...f });
    this.linear1 = new Linear(d, o.dimFeedforward, f);
    this.dropout = new Dropout(o.dropout);
    this.linear2 = new Linear(o.dimFeedforward, d, f);
    this.normFirst = o.normFirst;
    this.norm1 = new LayerNorm(d, { eps: o.layerNormEps, ...f });
    this.norm2 = new LayerNorm(d, { eps: o.layerNormEps, ...f });
    this.dropout1 = new Dropout(o.dropout);
    this.dropout2 = new Dropout(o.dropout);
    const a = activationFn(o.activation);
    if (a instanceof Module) {
      this.activation = a;
      this.act = (x) => a.forward(x) as Tensor;
    } else this.act = a;
    this.ctorArgs = args;
    Object.defineProperty(this, 'act', { enumerable: false });
    Object.defineProperty(this, 'ctorArgs', { enumerable: false });
  }

  /** camelCase alias of `self_attn`. */
  get selfAttn(): MultiheadAttention {
    return this.self_attn;
  }

  clone(): TransformerEncoderLayer {
    return cloneLayer(this, () => new TransformerEncoderLayer(...this.ctorArgs));
  }

  /** `forward(src, srcMask?, srcKeyPaddingMask?)`. */
  override forward(src: Tensor, ...args: PyArgs<[srcMask: Tensor | null, srcKeyPaddingMask: Tensor | null], EncoderLayerForwardOptions>): Tensor {
    const o = pyArgs('TransformerEncoderLayer.forward', args, ['srcMask', 'srcKeyPaddingMask'], { srcMask: null as Tensor | null, srcKeyPaddingMask: null as Tensor | null });
    const kpm = o.srcKeyPaddingMask;
    if (kpm && kpm.dtype !== 'bool' && !kpm.isFloatingPoint()) throw new Error('only bool and floating types of key_padding_mask are supported');
    let x = src;
    if (this.normFirst) {
      x = x.add(this.saBlock(this.norm1.forward(x), o.srcMask, kpm));
      x = x.add(this.ffBlock(this.norm2.forward(x)));
    } else {
      x = this.norm1.forward(x.add(this.saBlock(x, o.srcMask, kpm)));
      x = this.norm2.forward(x.add(this.ffBlock(x)));
    }
    return x;
  }
  private saBlock(x: Tensor, mask: Tensor | null, kpm: Tensor | null): Tensor {
    const [y] = this.self_attn.forward(x, x, x, { attnMask: mask, keyPaddingMask: kpm, needWeights: false });
    return this.dropout1.forward(y);
  }
  private ffBlock(x: Tensor): Tensor {
    return this.dropout2.forward(this.linear2.forward(this.dropout.forward(this.act(this.linear1.forward(x)))));
  }
}

export interface DecoderLayerForwardOptions {
  tgtMask?: Tensor | null;
  memoryMask?: Tensor | null;
  tgtKeyPaddingMask?: Tensor | null;
  memoryKeyPaddingMask?: Tensor | null;
}
type DecoderForwardArgs = PyArgs<[tgtMask: Tensor | null, memoryMask: Tensor | null, tgtKeyPaddingMask: Tensor | null, memoryKeyPaddingMask: Tensor | null], DecoderLayerForwardOptions>;
const DECODER_FWD = ['tgtMask', 'memoryMask', 'tgtKeyPaddingMask', 'memoryKeyPaddingMask'] as const;
const decoderFwdDefaults = () => ({ tgtMask: null as Tensor | null, memoryMask: null as Tensor | null, tgtKeyPaddingMask: null as Tensor | null, memoryKeyPaddingMask: null as Tensor | null });

/**
 * `nn.TransformerDecoderLayer(dModel, nhead, dimFeedforward = 2048, dropout = 0.1, activation = 'relu',
 * layerNormEps = 1e-5, batchFirst = false, normFirst = false)`: self-attention, attention over the
 * encoder's memory, and a feed-forward block.
 */
export class TransformerDecoderLayer extends Module implements Cloneable {
  self_attn: MultiheadAttention;
  multihead_attn: MultiheadAttention;
  linear1: Linear;
  dropout: Dropout;
  linear2: Linear;
  readonly normFirst: boolean;
  norm1: LayerNorm;
  norm2: LayerNorm;
  norm3: LayerNorm;
  dropout1: Dropout;
  dropout2: Dropout;
  dropout3: Dropout;
  activation: Module | null = null;
  private readonly act: (x: Tensor) => Tensor;
  private readonly ctorArgs: LayerCtorArgs;

  constructor(...args: LayerCtorArgs) {
    super();
    const o = pyArgs('TransformerDecoderLayer', args, [...LAYER_NAMES], layerDefaults());
    const d = need('TransformerDecoderLayer', 'dModel', o.dModel);
    const nhead = need('TransformerDecoderLayer', 'nhead', o.nhead);
    const f = { device: o.device, dtype: o.dtype };
    this.self_attn = new MultiheadAttention(d, nhead, { dropout: o.dropout, batchFirst: o.batchFirst, ...f });
    this.multihead_attn = new MultiheadAttention(d, nhead, { dropout: o.dropout, batchFirst: o.batchFirst, ...f });
    this.linear1 = new Linear(d, o.dimFeedforward, f);
    this.dropout = new Dropout(o.dropout);
    this.linear2 = new Linear(o.dimFeedforward, d, f);
    this.normFirst = o.normFirst;
    this.norm1 = new LayerNorm(d, { eps: o.layerNormEps, ...f });
    this.norm2 = new LayerNorm(d, { eps: o.layerNormEps, ...f });
    this.norm3 = new LayerNorm(d, { eps: o.layerNormEps, ...f });
    this.dropout1 = new Dropout(o.dropout);
    this.dropout2 = new Dropout(o.dropout);
    this.dropout3 = new Dropout(o.dropout);
    const a = activationFn(o.activation);
    if (a instanceof Module) {
      this.activation = a;
      this.act = (x) => a.forward(x) as Tensor;
    } else this.act = a;
    this.ctorArgs = args;
    Object.defineProperty(this, 'act', { enumerable: false });
    Object.defineProperty(this, 'ctorArgs', { enumerable: false });
  }

  get selfAttn(): MultiheadAttention {
    return this.self_attn;
  }
  get multiheadAttn(): MultiheadAttention {
    return this.multihead_attn;
  }

  clone(): TransformerDecoderLayer {
    return cloneLayer(this, () => new TransformerDecoderLayer(...this.ctorArgs));
  }

  /** `forward(tgt, memory, tgtMask?, memoryMask?, tgtKeyPaddingMask?, memoryKeyPaddingMask?)`. */
  override forward(tgt: Tensor, memory: Tensor, ...args: DecoderForwardArgs): Tensor {
    const o = pyArgs('TransformerDecoderLayer.forward', args, [...DECODER_FWD], decoderFwdDefaults());
    let x = tgt;
    if (this.normFirst) {
      x = x.add(this.saBlock(this.norm1.forward(x), o.tgtMask, o.tgtKeyPaddingMask));
      x = x.add(this.mhaBlock(this.norm2.forward(x), memory, o.memoryMask, o.memoryKeyPaddingMask));
      x = x.add(this.ffBlock(this.norm3.forward(x)));
    } else {
      x = this.norm1.forward(x.add(this.saBlock(x, o.tgtMask, o.tgtKeyPaddingMask)));
      x = this.norm2.forward(x.add(this.mhaBlock(x, memory, o.memoryMask, o.memoryKeyPaddingMask)));
      x = this.norm3.forward(x.add(this.ffBlock(x)));
    }
    return x;
  }
  private saBlock(x: Tensor, mask: Tensor | null, kpm: Tensor | null): Tensor {
    const [y] = this.self_attn.forward(x, x, x, { attnMask: mask, keyPaddingMask: kpm, needWeights: false });
    return this.dropout1.forward(y);
  }
  private mhaBlock(x: Tensor, mem: Tensor, mask: Tensor | null, kpm: Tensor | null): Tensor {
    const [y] = this.multihead_attn.forward(x, mem, mem, { attnMask: mask, keyPaddingMask: kpm, needWeights: false });
    return this.dropout2.forward(y);
  }
  private ffBlock(x: Tensor): Tensor {
    return this.dropout3.forward(this.linear2.forward(this.dropout.forward(this.act(this.linear1.forward(x)))));
  }
}

export interface TransformerEncoderOptions {
  encoderLayer?: Module;
  numLayers?: number;
  norm?: Module | null;
  enableNestedTensor?: boolean;
  maskCheck?: boolean;
}

/** `nn.TransformerEncoder(encoderLayer, numLayers, norm = null)`: numLayers copies of the layer, then the optional norm. */
export class TransformerEncoder extends Module {
  layers: ModuleList;
  norm: Module | null;
  readonly numLayers: number;
  readonly enableNestedTensor: boolean;
  readonly maskCheck: boolean;
  constructor(...args: PyArgs<[encoderLayer: Module, numLayers: number, norm: Module | null, enableNestedTensor: boolean, maskCheck: boolean], TransformerEncoderOptions>) {
    super();
    const o = pyArgs('TransformerEncoder', args, ['encoderLayer', 'numLayers', 'norm', 'enableNestedTensor', 'maskCheck'], {
      encoderLayer: undefined as Module | undefined, numLayers: undefined as number | undefined, norm: null as Module | null, enableNestedTensor: true, maskCheck: true,
    });
    const layer = need('TransformerEncoder', 'encoderLayer', o.encoderLayer);
    this.numLayers = need('TransformerEncoder', 'numLayers', o.numLayers);
    this.layers = clones(layer, this.numLayers, 'TransformerEncoder');
    this.norm = o.norm;
    this.enableNestedTensor = o.enableNestedTensor;
    this.maskCheck = o.maskCheck;
  }
  /** `forward(src, mask?, srcKeyPaddingMask?)`. */
  override forward(src: Tensor, ...args: PyArgs<[mask: Tensor | null, srcKeyPaddingMask: Tensor | null], { mask?: Tensor | null; srcKeyPaddingMask?: Tensor | null }>): Tensor {
    const o = pyArgs('TransformerEncoder.forward', args, ['mask', 'srcKeyPaddingMask'], { mask: null as Tensor | null, srcKeyPaddingMask: null as Tensor | null });
    const kpm = o.srcKeyPaddingMask;
    if (kpm && kpm.dtype !== 'bool' && !kpm.isFloatingPoint()) throw new Error('only bool and floating types of key_padding_mask are supported');
    let out = src;
    for (const mod of this.layers) out = mod.forward(out, { srcMask: o.mask, srcKeyPaddingMask: kpm }) as Tensor;
    if (this.norm) out = this.norm.forward(out) as Tensor;
    return out;
  }
}

export interface TransformerDecoderOptions {
  decoderLayer?: Module;
  numLayers?: number;
  norm?: Module | null;
}

/** `nn.TransformerDecoder(decoderLayer, numLayers, norm = null)`. */
export class TransformerDecoder extends Module {
  layers: ModuleList;
  norm: Module | null;
  readonly numLayers: number;
  constructor(...args: PyArgs<[decoderLayer: Module, numLayers: number, norm: Module | null], TransformerDecoderOptions>) {
    super();
    const o = pyArgs('TransformerDecoder', args, ['decoderLayer', 'numLayers', 'norm'], {
      decoderLayer: undefined as Module | undefined, numLayers: undefined as number | undefined, norm: null as Module | null,
    });
    const layer = need('TransformerDecoder', 'decoderLayer', o.decoderLayer);
    this.numLayers = need('TransformerDecoder', 'numLayers', o.numLayers);
    this.layers = clones(layer, this.numLayers, 'TransformerDecoder');
    this.norm = o.norm;
  }
  /** `forward(tgt, memory, tgtMask?, memoryMask?, tgtKeyPaddingMask?, memoryKeyPaddingMask?)`. */
  override forward(tgt: Tensor, memory: Tensor, ...args: DecoderForwardArgs): Tensor {
    const o = pyArgs('TransformerDecoder.forward', args, [...DECODER_FWD], decoderFwdDefaults());
    let out = tgt;
    for (const mod of this.layers) out = mod.forward(out, memory, o) as Tensor;
    if (this.norm) out = this.norm.forward(out) as Tensor;
    return out;
  }
}

export interface TransformerOptions {
  dModel?: number;
  nhead?: number;
  numEncoderLayers?: number;
  numDecoderLayers?: number;
  dimFeedforward?: number;
  dropout?: number;
  activation?: TransformerActivation;
  customEncoder?: Module | null;
  customDecoder?: Module | null;
  layerNormEps?: number;
  batchFirst?: boolean;
  normFirst?: boolean;
  device?: string;
  dtype?: DType;
}
export interface TransformerForwardOptions {
  srcMask?: Tensor | null;
  tgtMask?: Tensor | null;
  memoryMask?: Tensor | null;
  srcKeyPaddingMask?: Tensor | null;
  tgtKeyPaddingMask?: Tensor | null;
  memoryKeyPaddingMask?: Tensor | null;
}

/**
 * `nn.Transformer(dModel = 512, nhead = 8, numEncoderLayers = 6, numDecoderLayers = 6, dimFeedforward = 2048,
 * dropout = 0.1, activation = 'relu', customEncoder = null, customDecoder = null, layerNormEps = 1e-5,
 * batchFirst = false, normFirst = false)`: encoder and decoder stacks with final LayerNorms; every
 * parameter of two or more dims is re-initialised with xavier_uniform_, as PyTorch.
 */
export class Transformer extends Module {
  encoder: Module;
  decoder: Module;
  readonly dModel: number;
  readonly nhead: number;
  readonly batchFirst: boolean;
  constructor(
    ...args: PyArgs<
      [dModel: number, nhead: number, numEncoderLayers: number, numDecoderLayers: number, dimFeedforward: number, dropout: number, activation: TransformerActivation,
        customEncoder: Module | null, customDecoder: Module | null, layerNormEps: number, batchFirst: boolean, normFirst: boolean],
      TransformerOptions
    >
  ) {
    super();
    const o = pyArgs('Transformer', args, [
      'dModel', 'nhead', 'numEncoderLayers', 'numDecoderLayers', 'dimFeedforward', 'dropout', 'activation', 'customEncoder', 'customDecoder', 'layerNormEps', 'batchFirst', 'normFirst',
    ], {
      dModel: 512, nhead: 8, numEncoderLayers: 6, numDecoderLayers: 6, dimFeedforward: 2048, dropout: 0.1, activation: 'relu' as TransformerActivation,
      customEncoder: null as Module | null, customDecoder: null as Module | null, layerNormEps: 1e-5, batchFirst: false, normFirst: false,
      device: 'cpu', dtype: 'float32' as DType,
    });
    const f = { device: o.device, dtype: o.dtype };
    const layerOpts = { dimFeedforward: o.dimFeedforward, dropout: o.dropout, activation: o.activation, layerNormEps: o.layerNormEps, batchFirst: o.batchFirst, normFirst: o.normFirst, ...f };
    if (o.customEncoder) this.encoder = o.customEncoder;
    else {
      const layer = new TransformerEncoderLayer(o.dModel, o.nhead, layerOpts);
      this.encoder = new TransformerEncoder(layer, o.numEncoderLayers, new LayerNorm(o.dModel, { eps: o.layerNormEps, ...f }));
    }
    if (o.customDecoder) this.decoder = o.customDecoder;
    else {
      const layer = new TransformerDecoderLayer(o.dModel, o.nhead, layerOpts);
      this.decoder = new TransformerDecoder(layer, o.numDecoderLayers, new LayerNorm(o.dModel, { eps: o.layerNormEps, ...f }));
    }
    this.resetParameters();
    this.dModel = o.dModel;
    this.nhead = o.nhead;
    this.batchFirst = o.batchFirst;
  }

  /** xavier_uniform_ on every parameter with more than one dim. */
  resetParameters(): void {
    for (const p of this.parameters()) if (p.ndim > 1) init.xavierUniform_(p);
  }

  /** `forward(src, tgt, srcMask?, tgtMask?, memoryMask?, srcKeyPaddingMask?, tgtKeyPaddingMask?, memoryKeyPaddingMask?)`. */
  override forward(
    src: Tensor, tgt: Tensor,
    ...args: PyArgs<
      [srcMask: Tensor | null, tgtMask: Tensor | null, memoryMask: Tensor | null, srcKeyPaddingMask: Tensor | null, tgtKeyPaddingMask: Tensor | null, memoryKeyPaddingMask: Tensor | null],
      TransformerForwardOptions
    >
  ): Tensor {
    const o = pyArgs('Transformer.forward', args, ['srcMask', 'tgtMask', 'memoryMask', 'srcKeyPaddingMask', 'tgtKeyPaddingMask', 'memoryKeyPaddingMask'], {
      srcMask: null as Tensor | null, tgtMask: null as Tensor | null, memoryMask: null as Tensor | null,
      srcKeyPaddingMask: null as Tensor | null, tgtKeyPaddingMask: null as Tensor | null, memoryKeyPaddingMask: null as Tensor | null,
    });
    const isBatched = src.ndim === 3;
    if (!this.batchFirst && isBatched && src.shape[1] !== tgt.shape[1]) throw new Error('the batch number of src and tgt must be equal');
    if (this.batchFirst && isBatched && src.shape[0] !== tgt.shape[0]) throw new Error('the batch number of src and tgt must be equal');
    if (src.shape[src.ndim - 1] !== this.dModel || tgt.shape[tgt.ndim - 1] !== this.dModel) {
      throw new Error('the feature number of src and tgt must be equal to d_model');
    }
    const memory = this.encoder.forward(src, { mask: o.srcMask, srcKeyPaddingMask: o.srcKeyPaddingMask }) as Tensor;
    return this.decoder.forward(tgt, memory, {
      tgtMask: o.tgtMask, memoryMask: o.memoryMask, tgtKeyPaddingMask: o.tgtKeyPaddingMask, memoryKeyPaddingMask: o.memoryKeyPaddingMask,
    }) as Tensor;
  }

  /** `Transformer.generate_square_subsequent_mask(sz)`: a float [sz, sz] mask, −∞ above the diagonal. */
  static generateSquareSubsequentMask(sz: number, opts?: { device?: string; dtype?: DType }): Tensor {
    const f = { device: opts?.device ?? 'cpu' };
    const above = arange(0, sz, f).unsqueeze(1).lt(arange(0, sz, f).unsqueeze(0));
    return zeros([sz, sz], { dtype: opts?.dtype ?? 'float32', ...f }).maskedFill(above, -Infinity);
  }
}
