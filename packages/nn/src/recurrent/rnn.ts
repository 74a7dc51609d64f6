// Recurrent layers (handbook 5.6): RNN (tanh/relu), LSTM (with projections), GRU, and their cells.
//
// Parameters carry PyTorch's names (weight_ih_l0, bias_hh_l1_reverse, weight_hr_l0 …), shapes and gate
// order (LSTM: input, forget, cell, output; GRU: reset, update, new), so a PyTorch state dict loads as
// is. Each layer projects the whole input sequence at once (x·W_ihᵀ + b_ih, as PyTorch's CPU path does),
// then steps through time; packed sequences (14.4) step with shrinking batch sizes.
import { type DType, type Tensor, cat, empty, stack, zeros } from '@kindling/tensor';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { type PyArgs, need, pyArgs } from '../args.js';
import * as init from '../init.js';
import { dropout as dropoutFn } from '../functional/dropout.js';
import { PackedSequence } from '../utils/rnn.js';
import { pyFloat } from '../pyrepr.js';

export type RNNMode = 'RNN_TANH' | 'RNN_RELU' | 'LSTM' | 'GRU';
type Nonlinearity = 'tanh' | 'relu';

const sizeStr = (s: readonly number[]) => `[${s.join(', ')}]`;
const tupleStr = (s: readonly number[]) => `(${s.join(', ')})`;
const tf = (b: boolean) => (b ? 'True' : 'False');

function linear(x: Tensor, w: Tensor, b: Tensor | null): Tensor {
  const y = x.matmul(w.T);
  return b ? y.add(b) : y;
}

/** Weights of one layer and direction. */
interface LayerWeights {
  wIh: Tensor;
  wHh: Tensor;
  bIh: Tensor | null;
  bHh: Tensor | null;
  wHr: Tensor | null;
}

/** One time step: the new hidden (and cell) state from the input projection `xp` and the previous state. */
function cellStep(mode: RNNMode, xp: Tensor, h: Tensor, c: Tensor | null, w: LayerWeights): [Tensor, Tensor | null] {
  const gh = linear(h, w.wHh, w.bHh);
  if (mode === 'LSTM') {
    const [i, f, g, o] = gh.add(xp).chunk(4, 1) as [Tensor, Tensor, Tensor, Tensor];
    const cy = f.sigmoid().mul(c!).add(i.sigmoid().mul(g.tanh()));
    let hy = o.sigmoid().mul(cy.tanh());
    if (w.wHr) hy = hy.matmul(w.wHr.T);
    return [hy, cy];
  }
  if (mode === 'GRU') {
    const [xr, xz, xn] = xp.chunk(3, 1) as [Tensor, Tensor, Tensor];
    const [hr, hz, hn] = gh.chunk(3, 1) as [Tensor, Tensor, Tensor];
    const r = hr.add(xr).sigmoid();
    const z = hz.add(xz).sigmoid();
    const n = xn.add(hn.mul(r)).tanh();
    return [h.sub(n).mul(z).add(n), null];
  }
  const pre = gh.add(xp);
  return [mode === 'RNN_TANH' ? pre.tanh() : pre.relu(), null];
}

/**
 * One direction of one layer over a (possibly packed) sequence: `x` is [rows, F] with step t's
 * batchSizes[t] rows in turn. Returns the outputs in the same layout and the final states [B, *].
 */
function runDirection(
  mode: RNNMode, x: Tensor, batchSizes: readonly number[], h0: Tensor, c0: Tensor | null, w: LayerWeights, reverse: boolean,
): { out: Tensor; h: Tensor; c: Tensor | null } {
  const xp = linear(x, w.wIh, w.bIh);
  const T = batchSizes.length;
  const offsets: number[] = [];
  let acc = 0;
  for (const b of batchSizes) {
    offsets.push(acc);
    acc += b;
  }
  const outs: Tensor[] = new Array<Tensor>(T);
  if (!reverse) {
    let h = h0;
    let c = c0;
    const doneH: Tensor[] = [];
    const doneC: Tensor[] = [];
    let cur = batchSizes[0] ?? h0.shape[0]!;
    if (cur < h.shape[0]!) {
      doneH.push(h.narrow(0, cur, h.shape[0]! - cur));
      if (c) doneC.push(c.narrow(0, cur, c.shape[0]! - cur));
      h = h.narrow(0, 0, cur);
      if (c) c = c.narrow(0, 0, cur);
    }
    for (let t = 0; t < T; t++) {
      const b = batchSizes[t]!;
      if (b < cur) {
        doneH.push(h.narrow(0, b, cur - b));
        h = h.narrow(0, 0, b);
        if (c) {
          doneC.push(c.narrow(0, b, cur - b));
          c = c.narrow(0, 0, b);
        }
        cur = b;
      }
      [h, c] = cellStep(mode, xp.narrow(0, offsets[t]!, b), h, c, w);
      outs[t] = h;
    }
    const hN = doneH.length ? cat([h, ...doneH.reverse()], 0) : h;
    const cN = c ? (doneC.length ? cat([c, ...doneC.reverse()], 0) : c) : null;
    return { out: T === 1 ? outs[0]! : cat(outs, 0), h: hN, c: cN };
  }
  let h: Tensor | null = null;
  let c: Tensor | null = null;
  let cur = 0;
  for (let t = T - 1; t >= 0; t--) {
    const b = batchSizes[t]!;
    if (b > cur) {
      const hNew = h0.narrow(0, cur, b - cur);
      h = h ? cat([h, hNew], 0) : hNew;
      if (c0) {
        const cNew = c0.narrow(0, cur, b - cur);
        c = c ? cat([c, cNew], 0) : cNew;
      }
      cur = b;
    }
    [h, c] = cellStep(mode, xp.narrow(0, offsets[t]!, b), h!, c, w);
    outs[t] = h;
  }
  if (!h) return { out: xp.narrow(1, 0, 0), h: h0, c: c0 };
  if (cur < h0.shape[0]!) {
    h = cat([h, h0.narrow(0, cur, h0.shape[0]! - cur)], 0);
    if (c0 && c) c = cat([c, c0.narrow(0, cur, c0.shape[0]! - cur)], 0);
  }
  return { out: T === 1 ? outs[0]! : cat(outs, 0), h, c };
}

export interface RNNOptions {
  inputSize?: number;
  hiddenSize?: number;
  numLayers?: number;
  nonlinearity?: Nonlinearity;
  bias?: boolean;
  batchFirst?: boolean;
  dropout?: number;
  bidirectional?: boolean;
  projSize?: number;
  device?: string;
  dtype?: DType;
}
type LSTMOptions = Omit<RNNOptions, 'nonlinearity'>;
type GRUOptions = Omit<RNNOptions, 'nonlinearity'>;

type Hidden = Tensor | [Tensor, Tensor];

/** PyTorch's `RNNBase`: the stacked, optionally bidirectional layers and their flat weights. */
export abstract class RNNBase extends Module {
  readonly mode: RNNMode;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  readonly projSize: number;

  protected constructor(mode: RNNMode, name: string, o: Required<Omit<RNNOptions, 'inputSize' | 'hiddenSize' | 'nonlinearity'>> & { inputSize?: number; hiddenSize?: number }) {
    super();
    this.mode = mode;
    this.inputSize = need(name, 'inputSize', o.inputSize);
    this.hiddenSize = need(name, 'hiddenSize', o.hiddenSize);
    this.numLayers = o.numLayers;
    this.bias = o.bias;
    this.batchFirst = o.batchFirst;
    this.dropout = o.dropout;
    this.bidirectional = o.bidirectional;
    this.projSize = o.projSize;
    if (typeof o.dropout !== 'number' || !(o.dropout >= 0 && o.dropout <= 1)) {
      throw new Error('dropout should be a number in range [0, 1] representing the probability of an element being zeroed');
    }
    if (!Number.isInteger(this.hiddenSize) || this.hiddenSize <= 0) throw new Error('hidden_size must be greater than zero');
    if (!Number.isInteger(this.numLayers) || this.numLayers <= 0) throw new Error('num_layers must be greater than zero');
    if (this.projSize < 0) throw new Error('proj_size should be a positive integer or zero to disable projections');
    if (this.projSize >= this.hiddenSize) throw new Error('proj_size has to be smaller than hidden_size');
    if (this.projSize > 0 && mode !== 'LSTM') throw new Error('proj_size argument is only supported for LSTM, not RNN or GRU');
    const gate = mode === 'LSTM' ? 4 * this.hiddenSize : mode === 'GRU' ? 3 * this.hiddenSize : this.hiddenSize;
    const real = this.projSize > 0 ? this.projSize : this.hiddenSize;
    const dirs = this.bidirectional ? 2 : 1;
    const f = { dtype: o.dtype, device: o.device };
    for (let layer = 0; layer < this.numLayers; layer++) {
      for (let d = 0; d < dirs; d++) {
        const inSize = layer === 0 ? this.inputSize : real * dirs;
        const sfx = `_l${layer}${d === 1 ? '_reverse' : ''}`;
        this.registerParameter(`weight_ih${sfx}`, new Parameter(empty([gate, inSize], f)));
        this.registerParameter(`weight_hh${sfx}`, new Parameter(empty([gate, real], f)));
        if (this.bias) {
          this.registerParameter(`bias_ih${sfx}`, new Parameter(empty([gate], f)));
          this.registerParameter(`bias_hh${sfx}`, new Parameter(empty([gate], f)));
        }
        if (this.projSize > 0) this.registerParameter(`weight_hr${sfx}`, new Parameter(empty([this.projSize, this.hiddenSize], f)));
      }
    }
    this.resetParameters();
  }

  /** Every weight ~ U(−1/√hidden, 1/√hidden), in registration order, as PyTorch. */
  resetParameters(): void {
    const stdv = 1 / Math.sqrt(this.hiddenSize);
    for (const p of this.parameters()) init.uniform_(p, -stdv, stdv);
  }
  /** A no-op here (cuDNN's weight compaction in PyTorch). */
  flattenParameters(): void {}

  /** The weights of each layer and direction, PyTorch's `all_weights`. */
  get allWeights(): Parameter[][] {
    const dirs = this.bidirectional ? 2 : 1;
    const out: Parameter[][] = [];
    const own = this as unknown as Record<string, Parameter | undefined>;
    for (let layer = 0; layer < this.numLayers; layer++) {
      for (let d = 0; d < dirs; d++) {
        const sfx = `_l${layer}${d === 1 ? '_reverse' : ''}`;
        out.push(['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh', 'weight_hr'].map((n) => own[n + sfx]).filter((p): p is Parameter => p !== undefined));
      }
    }
    return out;
  }

  private weightsOf(layer: number, d: number): LayerWeights {
    const own = this as unknown as Record<string, Parameter | undefined>;
    const sfx = `_l${layer}${d === 1 ? '_reverse' : ''}`;
    return { wIh: own[`weight_ih${sfx}`]!, wHh: own[`weight_hh${sfx}`]!, bIh: own[`bias_ih${sfx}`] ?? null, bHh: own[`bias_hh${sfx}`] ?? null, wHr: own[`weight_hr${sfx}`] ?? null };
  }

  private checkHidden(h: Tensor, expected: number[], what: string): void {
    if (h.shape.join() !== expected.join()) throw new Error(`Expected ${what} size ${tupleStr(expected)}, got ${sizeStr(h.shape)}`);
  }

  /** The stacked layers on time-major data [rows, F] with batch sizes per step; hx [L·D, B, H]. */
  protected run(input: Tensor | PackedSequence, hx: Hidden | null | undefined): [Tensor | PackedSequence, Hidden] {
    const isLSTM = this.mode === 'LSTM';
    const dirs = this.bidirectional ? 2 : 1;
    const real = this.projSize > 0 ? this.projSize : this.hiddenSize;
    let data: Tensor;
    let batchSizes: number[];
    let B: number;
    let T = 0;
    let batched = true;
    let packed: PackedSequence | null = null;
    if (input instanceof PackedSequence) {
      packed = input;
      data = input.data;
      batchSizes = input.batchSizesList();
      B = batchSizes[0] ?? 0;
    } else {
      let x = input;
      if (x.ndim !== 2 && x.ndim !== 3) throw new Error(`${this.typeName}: Expected input to be 2-D or 3-D but received ${x.ndim}-D tensor`);
      batched = x.ndim === 3;
      if (!batched) x = x.unsqueeze(1);
      else if (this.batchFirst) x = x.transpose(0, 1);
      T = x.shape[0]!;
      B = x.shape[1]!;
      data = x.reshape([T * B, x.shape[2]!]);
      batchSizes = new Array<number>(T).fill(B);
    }
    if (data.ndim !== 2) throw new Error(`input must have 2 dimensions, got ${data.ndim}`);
    if (data.shape[1] !== this.inputSize) throw new Error(`input.size(-1) must be equal to input_size. Expected ${this.inputSize}, got ${data.shape[1]}`);
    // Initial states, in the sorted batch order for packed input.
    const hShape = [this.numLayers * dirs, B, real];
    const cShape = [this.numLayers * dirs, B, this.hiddenSize];
    let h0: Tensor;
    let c0: Tensor | null = null;
    if (hx === null || hx === undefined) {
      h0 = zeros(hShape, { dtype: data.dtype, device: data.device });
      if (isLSTM) c0 = zeros(cShape, { dtype: data.dtype, device: data.device });
    } else {
      if (isLSTM !== Array.isArray(hx)) throw new Error(isLSTM ? 'LSTM expects hx as a tuple (h_0, c_0)' : `${this.typeName} expects hx as a tensor`);
      let [h, c] = Array.isArray(hx) ? hx : [hx, null];
      if (!batched) {
        if (h.ndim !== 2) throw new Error(`For unbatched 2-D input, hx${isLSTM ? ' and cx' : ''} should also be 2-D but got ${h.ndim}-D tensor`);
        h = h.unsqueeze(1);
        if (c) c = c.unsqueeze(1);
      } else if (h.ndim !== 3) {
        throw new Error(`For batched 3-D input, hx${isLSTM ? ' and cx' : ''} should also be 3-D but got ${h.ndim}-D tensor`);
      }
      if (packed?.sortedIndices) {
        h = h.indexSelect(1, packed.sortedIndices);
        if (c) c = c.indexSelect(1, packed.sortedIndices);
      }
      this.checkHidden(h, hShape, isLSTM ? 'hidden[0]' : 'hidden');
      if (c) this.checkHidden(c, cShape, 'hidden[1]');
      h0 = h;
      c0 = c;
    }
    const hN: Tensor[] = [];
    const cN: Tensor[] = [];
    let layerIn = data;
    for (let layer = 0; layer < this.numLayers; layer++) {
      const outs: Tensor[] = [];
      for (let d = 0; d < dirs; d++) {
        const k = layer * dirs + d;
        const r = runDirection(this.mode, layerIn, batchSizes, h0.select(0, k), c0 ? c0.select(0, k) : null, this.weightsOf(layer, d), d === 1);
        outs.push(r.out);
        hN.push(r.h);
        if (r.c) cN.push(r.c);
      }
      layerIn = dirs === 1 ? outs[0]! : cat(outs, 1);
      if (this.dropout > 0 && this.training && layer < this.numLayers - 1) layerIn = dropoutFn(layerIn, this.dropout, true);
    }
    let h = stack(hN, 0);
    let c = isLSTM ? stack(cN, 0) : null;
    let output: Tensor | PackedSequence;
    if (packed) {
      output = new PackedSequence(layerIn, packed.batchSizes, packed.sortedIndices, packed.unsortedIndices);
      if (packed.unsortedIndices) {
        h = h.indexSelect(1, packed.unsortedIndices);
        if (c) c = c.indexSelect(1, packed.unsortedIndices);
      }
    } else {
      let out = layerIn.reshape([T, B, layerIn.shape[1]!]);
      if (!batched) {
        out = out.squeeze(1);
        h = h.squeeze(1);
        if (c) c = c.squeeze(1);
      } else if (this.batchFirst) out = out.transpose(0, 1);
      output = out;
    }
    return [output, isLSTM ? [h, c!] : h];
  }

  override extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (this.projSize !== 0) s += `, proj_size=${this.projSize}`;
    if (this.numLayers !== 1) s += `, num_layers=${this.numLayers}`;
    if (this.bias !== true) s += `, bias=${tf(this.bias)}`;
    if (this.batchFirst !== false) s += `, batch_first=${tf(this.batchFirst)}`;
    if (this.dropout !== 0) s += `, dropout=${pyFloat(this.dropout)}`;
    if (this.bidirectional !== false) s += `, bidirectional=${tf(this.bidirectional)}`;
    return s;
  }
}

const baseDefaults = () => ({
  inputSize: undefined as number | undefined, hiddenSize: undefined as number | undefined, numLayers: 1, bias: true, batchFirst: false, dropout: 0,
  bidirectional: false, projSize: 0, device: 'cpu', dtype: 'float32' as DType,
});

// As PyTorch 1.13: nonlinearity is keyword-only; the positional order is that of LSTM and GRU.
type RNNCtorArgs = PyArgs<[inputSize: number, hiddenSize: number, numLayers: number, bias: boolean, batchFirst: boolean, dropout: number, bidirectional: boolean], RNNOptions>;
type LSTMCtorArgs = PyArgs<
  [inputSize: number, hiddenSize: number, numLayers: number, bias: boolean, batchFirst: boolean, dropout: number, bidirectional: boolean, projSize: number],
  LSTMOptions
>;
type GRUCtorArgs = PyArgs<[inputSize: number, hiddenSize: number, numLayers: number, bias: boolean, batchFirst: boolean, dropout: number, bidirectional: boolean], GRUOptions>;

/**
 * `nn.RNN(inputSize, hiddenSize, numLayers = 1, bias = true, batchFirst = false, dropout = 0, bidirectional = false, { nonlinearity = 'tanh' })`:
 * h_t = tanh(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh) (or relu).
 */
export class RNN extends RNNBase {
  readonly nonlinearity: Nonlinearity;
  constructor(...args: RNNCtorArgs) {
    const o = pyArgs('RNN', args, ['inputSize', 'hiddenSize', 'numLayers', 'bias', 'batchFirst', 'dropout', 'bidirectional'], {
      ...baseDefaults(), nonlinearity: 'tanh' as Nonlinearity,
    });
    if (o.nonlinearity !== 'tanh' && o.nonlinearity !== 'relu') throw new Error(`Unknown nonlinearity '${String(o.nonlinearity)}'. Select from 'tanh' or 'relu'.`);
    const { nonlinearity, ...rest } = o;
    super(nonlinearity === 'tanh' ? 'RNN_TANH' : 'RNN_RELU', 'RNN', rest);
    this.nonlinearity = nonlinearity;
  }
  /** `[output, h_n]`: output [T, B, D·H] (batchFirst: [B, T, D·H]) or packed; h_n [L·D, B, H]. */
  override forward(input: Tensor, hx?: Tensor | null): [Tensor, Tensor];
  override forward(input: PackedSequence, hx?: Tensor | null): [PackedSequence, Tensor];
  override forward(input: Tensor | PackedSequence, hx?: Tensor | null): [Tensor | PackedSequence, Tensor] {
    return this.run(input, hx) as [Tensor | PackedSequence, Tensor];
  }
}

/** `nn.LSTM(inputSize, hiddenSize, numLayers = 1, bias = true, batchFirst = false, dropout = 0, bidirectional = false, projSize = 0)`. */
export class LSTM extends RNNBase {
  constructor(...args: LSTMCtorArgs) {
    const o = pyArgs('LSTM', args, ['inputSize', 'hiddenSize', 'numLayers', 'bias', 'batchFirst', 'dropout', 'bidirectional', 'projSize'], baseDefaults());
    super('LSTM', 'LSTM', o);
  }
  /** `[output, [h_n, c_n]]`: h_n [L·D, B, projSize or H], c_n [L·D, B, H]. */
  override forward(input: Tensor, hx?: [Tensor, Tensor] | null): [Tensor, [Tensor, Tensor]];
  override forward(input: PackedSequence, hx?: [Tensor, Tensor] | null): [PackedSequence, [Tensor, Tensor]];
  override forward(input: Tensor | PackedSequence, hx?: [Tensor, Tensor] | null): [Tensor | PackedSequence, [Tensor, Tensor]] {
    return this.run(input, hx) as [Tensor | PackedSequence, [Tensor, Tensor]];
  }
}

/** `nn.GRU(inputSize, hiddenSize, numLayers = 1, bias = true, batchFirst = false, dropout = 0, bidirectional = false)`. */
export class GRU extends RNNBase {
  constructor(...args: GRUCtorArgs) {
    super('GRU', 'GRU', pyArgs('GRU', args, ['inputSize', 'hiddenSize', 'numLayers', 'bias', 'batchFirst', 'dropout', 'bidirectional'], baseDefaults()));
  }
  /** `[output, h_n]`. */
  override forward(input: Tensor, hx?: Tensor | null): [Tensor, Tensor];
  override forward(input: PackedSequence, hx?: Tensor | null): [PackedSequence, Tensor];
  override forward(input: Tensor | PackedSequence, hx?: Tensor | null): [Tensor | PackedSequence, Tensor] {
    return this.run(input, hx) as [Tensor | PackedSequence, Tensor];
  }
}

// ---- cells -------------------------------------------------------------------------------------------

export interface RNNCellOptions {
  inputSize?: number;
  hiddenSize?: number;
  bias?: boolean;
  nonlinearity?: Nonlinearity;
  device?: string;
  dtype?: DType;
}

abstract class RNNCellBase extends Module {
  weight_ih: Parameter;
  weight_hh: Parameter;
  bias_ih: Parameter | null;
  bias_hh: Parameter | null;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly bias: boolean;
  protected constructor(name: string, gates: number, o: { inputSize?: number; hiddenSize?: number; bias: boolean; device: string; dtype: DType }) {
    super();
    this.inputSize = need(name, 'inputSize', o.inputSize);
    this.hiddenSize = need(name, 'hiddenSize', o.hiddenSize);
    this.bias = o.bias;
    const f = { dtype: o.dtype, device: o.device };
    this.weight_ih = new Parameter(empty([gates * this.hiddenSize, this.inputSize], f));
    this.weight_hh = new Parameter(empty([gates * this.hiddenSize, this.hiddenSize], f));
    this.bias_ih = o.bias ? new Parameter(empty([gates * this.hiddenSize], f)) : null;
    this.bias_hh = o.bias ? new Parameter(empty([gates * this.hiddenSize], f)) : null;
    this.resetParameters();
  }
  resetParameters(): void {
    const stdv = this.hiddenSize > 0 ? 1 / Math.sqrt(this.hiddenSize) : 0;
    for (const p of this.parameters()) init.uniform_(p, -stdv, stdv);
  }
  protected weights(): LayerWeights {
    return { wIh: this.weight_ih, wHh: this.weight_hh, bIh: this.bias_ih, bHh: this.bias_hh, wHr: null };
  }
  /** Input [B, F] or [F] (unbatched): the batched input and whether to squeeze the result. */
  protected prepare(x: Tensor, hx: readonly (Tensor | null | undefined)[]): { x: Tensor; hs: Tensor[]; batched: boolean } {
    if (x.ndim !== 1 && x.ndim !== 2) throw new Error(`${this.typeName}: Expected input to be 1-D or 2-D but received ${x.ndim}-D tensor`);
    const batched = x.ndim === 2;
    const xb = batched ? x : x.unsqueeze(0);
    if (xb.shape[1] !== this.inputSize) throw new Error(`input has inconsistent input_size: got ${xb.shape[1]} expected ${this.inputSize}`);
    const B = xb.shape[0]!;
    const hs = hx.map((h, i) => {
      if (h === null || h === undefined) return zeros([B, this.hiddenSize], { dtype: xb.dtype, device: xb.device });
      if (h.ndim !== x.ndim) throw new Error(`${this.typeName}: Expected hidden to be ${x.ndim}-D but received ${h.ndim}-D tensor`);
      const hb = batched ? h : h.unsqueeze(0);
      if (hb.shape[0] !== B) throw new Error(`Input batch size ${B} doesn't match hidden${i} batch size ${hb.shape[0]}`);
      if (hb.shape[1] !== this.hiddenSize) throw new Error(`hidden${i} has inconsistent hidden_size: got ${hb.shape[1]}, expected ${this.hiddenSize}`);
      return hb;
    });
    return { x: xb, hs, batched };
  }
  override extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (this.bias !== true) s += `, bias=${tf(this.bias)}`;
    const nl = (this as unknown as { nonlinearity?: string }).nonlinearity;
    if (nl !== undefined && nl !== 'tanh') s += `, nonlinearity=${nl}`;
    return s;
  }
}

/** `nn.RNNCell(inputSize, hiddenSize, bias = true, nonlinearity = 'tanh')`: one step, h' = tanh(W_ih x + b_ih + W_hh h + b_hh). */
export class RNNCell extends RNNCellBase {
  readonly nonlinearity: Nonlinearity;
  constructor(...args: PyArgs<[inputSize: number, hiddenSize: number, bias: boolean, nonlinearity: Nonlinearity], RNNCellOptions>) {
    const o = pyArgs('RNNCell', args, ['inputSize', 'hiddenSize', 'bias', 'nonlinearity'], {
      inputSize: undefined as number | undefined, hiddenSize: undefined as number | undefined, bias: true, nonlinearity: 'tanh' as Nonlinearity, device: 'cpu', dtype: 'float32' as DType,
    });
    if (o.nonlinearity !== 'tanh' && o.nonlinearity !== 'relu') throw new Error(`Unknown nonlinearity: ${String(o.nonlinearity)}`);
    super('RNNCell', 1, o);
    this.nonlinearity = o.nonlinearity;
  }
  override forward(x: Tensor, hx?: Tensor | null): Tensor {
    const p = this.prepare(x, [hx]);
    const [h] = cellStep(this.nonlinearity === 'tanh' ? 'RNN_TANH' : 'RNN_RELU', linear(p.x, this.weight_ih, this.bias_ih), p.hs[0]!, null, this.weights());
    return p.batched ? h : h.squeeze(0);
  }
}

type CellArgs = PyArgs<[inputSize: number, hiddenSize: number, bias: boolean], Omit<RNNCellOptions, 'nonlinearity'>>;
const cellDefaults = () => ({ inputSize: undefined as number | undefined, hiddenSize: undefined as number | undefined, bias: true, device: 'cpu', dtype: 'float32' as DType });

/** `nn.LSTMCell(inputSize, hiddenSize, bias = true)`: `forward(x, [h, c]?)` gives `[h', c']`. */
export class LSTMCell extends RNNCellBase {
  constructor(...args: CellArgs) {
    super('LSTMCell', 4, pyArgs('LSTMCell', args, ['inputSize', 'hiddenSize', 'bias'], cellDefaults()));
  }
  override forward(x: Tensor, hx?: [Tensor, Tensor] | null): [Tensor, Tensor] {
    const p = this.prepare(x, hx ? [hx[0], hx[1]] : [null, null]);
    const [h, c] = cellStep('LSTM', linear(p.x, this.weight_ih, this.bias_ih), p.hs[0]!, p.hs[1]!, this.weights());
    return p.batched ? [h, c!] : [h.squeeze(0), c!.squeeze(0)];
  }
}

/** `nn.GRUCell(inputSize, hiddenSize, bias = true)`. */
export class GRUCell extends RNNCellBase {
  constructor(...args: CellArgs) {
    super('GRUCell', 3, pyArgs('GRUCell', args, ['inputSize', 'hiddenSize', 'bias'], cellDefaults()));
  }
  override forward(x: Tensor, hx?: Tensor | null): Tensor {
    const p = this.prepare(x, [hx]);
    const [h] = cellStep('GRU', linear(p.x, this.weight_ih, this.bias_ih), p.hs[0]!, null, this.weights());
    return p.batched ? h : h.squeeze(0);
  }
}
