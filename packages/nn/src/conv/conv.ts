// Convolution layers (handbook 5.2): Conv1d/2d/3d, ConvTranspose1d/2d/3d, Unfold, Fold.
import { type DType, empty, type Tensor } from '@kindling/tensor';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { type PyArgs, need, pyArgs } from '../args.js';
import { resetLinearLike } from '../modules/linear.js';
import * as F from '../functional/conv.js';
import { pad } from '../functional/padding.js';
import { ntuple } from '../functional/window.js';
import { pyValue } from './repr.js';

type IntOrTuple = F.IntOrTuple;
export type PaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';

export interface ConvOptions {
  inChannels?: number;
  outChannels?: number;
  kernelSize?: IntOrTuple;
  stride?: IntOrTuple;
  padding?: F.ConvPadding;
  dilation?: IntOrTuple;
  groups?: number;
  bias?: boolean;
  paddingMode?: PaddingMode;
  device?: string;
  dtype?: DType;
}
export interface ConvTransposeOptions {
  inChannels?: number;
  outChannels?: number;
  kernelSize?: IntOrTuple;
  stride?: IntOrTuple;
  padding?: IntOrTuple;
  outputPadding?: IntOrTuple;
  groups?: number;
  bias?: boolean;
  dilation?: IntOrTuple;
  paddingMode?: PaddingMode;
  device?: string;
  dtype?: DType;
}

type ConvCtorArgs = PyArgs<
  [inChannels: number, outChannels: number, kernelSize: IntOrTuple, stride: IntOrTuple, padding: F.ConvPadding, dilation: IntOrTuple, groups: number, bias: boolean, paddingMode: PaddingMode],
  ConvOptions
>;
type ConvTransposeCtorArgs = PyArgs<
  [inChannels: number, outChannels: number, kernelSize: IntOrTuple, stride: IntOrTuple, padding: IntOrTuple, outputPadding: IntOrTuple, groups: number, bias: boolean, dilation: IntOrTuple, paddingMode: PaddingMode],
  ConvTransposeOptions
>;

const MODES = ['zeros', 'reflect', 'replicate', 'circular'];

/** PyTorch's `_ConvNd`: the weight [out, in/groups, *k] (transposed: [in, out/groups, *k]) and bias. */
abstract class ConvNd extends Module {
  weight: Parameter;
  bias: Parameter | null;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: number[] | 'same' | 'valid';
  readonly dilation: number[];
  readonly transposed: boolean;
  readonly outputPadding: number[];
  readonly groups: number;
  readonly paddingMode: PaddingMode;
  /** F.pad's amounts for non-zeros padding modes: last dim first, (left, right) each. */
  protected readonly reversedPaddingRepeatedTwice: number[];

  protected constructor(
    d: number, name: string, transposed: boolean,
    o: {
      inChannels?: number; outChannels?: number; kernelSize?: IntOrTuple; stride: IntOrTuple; padding: F.ConvPadding; dilation: IntOrTuple;
      outputPadding: IntOrTuple; groups: number; bias: boolean; paddingMode: PaddingMode; device: string; dtype: DType;
    },
  ) {
    super();
    this.inChannels = need(name, 'inChannels', o.inChannels);
    this.outChannels = need(name, 'outChannels', o.outChannels);
    const k = need(name, 'kernelSize', o.kernelSize);
    if (!Number.isInteger(o.groups) || o.groups <= 0) throw new Error('groups must be a positive integer');
    if (this.inChannels % o.groups !== 0) throw new Error('in_channels must be divisible by groups');
    if (this.outChannels % o.groups !== 0) throw new Error('out_channels must be divisible by groups');
    if (!MODES.includes(o.paddingMode)) {
      throw new Error(`padding_mode must be one of {'circular', 'reflect', 'replicate', 'zeros'}, but got padding_mode='${o.paddingMode}'`);
    }
    this.kernelSize = ntuple('kernel_size', k, d, name);
    this.stride = ntuple('stride', o.stride, d, name);
    this.dilation = ntuple('dilation', o.dilation, d, name);
    this.outputPadding = ntuple('output_padding', o.outputPadding, d, name);
    if (typeof o.padding === 'string') {
      if (o.padding !== 'same' && o.padding !== 'valid') throw new Error(`Invalid padding string '${o.padding}', should be one of {'same', 'valid'}`);
      if (o.padding === 'same' && this.stride.some((s) => s !== 1)) throw new Error("padding='same' is not supported for strided convolutions");
      this.padding = o.padding;
    } else {
      this.padding = ntuple('padding', o.padding, d, name);
    }
    this.transposed = transposed;
    this.groups = o.groups;
    this.paddingMode = o.paddingMode;
    const rp = new Array<number>(2 * d).fill(0);
    for (let i = 0; i < d; i++) {
      const j = d - 1 - i; // F.pad order: last dim first
      if (this.padding === 'same') {
        const total = this.dilation[i]! * (this.kernelSize[i]! - 1);
        rp[2 * j] = Math.floor(total / 2);
        rp[2 * j + 1] = total - Math.floor(total / 2);
      } else if (this.padding !== 'valid') {
        rp[2 * j] = rp[2 * j + 1] = this.padding[i]!;
      }
    }
    this.reversedPaddingRepeatedTwice = rp;
    Object.defineProperty(this, 'reversedPaddingRepeatedTwice', { enumerable: false });
    const f = { dtype: o.dtype, device: o.device };
    const wShape = transposed
      ? [this.inChannels, this.outChannels / o.groups, ...this.kernelSize]
      : [this.outChannels, this.inChannels / o.groups, ...this.kernelSize];
    this.weight = new Parameter(empty(wShape, f));
    this.bias = o.bias ? new Parameter(empty([this.outChannels], f)) : null;
    this.resetParameters();
  }

  /** kaiming_uniform_(a = √5) for the weight, U(±1/√fan_in) for the bias, as PyTorch. */
  resetParameters(): void {
    resetLinearLike(this.weight, this.bias);
  }

  override extraRepr(): string {
    const t = pyValue;
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${t(this.kernelSize)}, stride=${t(this.stride)}`;
    if (typeof this.padding === 'string') s += `, padding=${this.padding}`;
    else if (this.padding.some((p) => p !== 0)) s += `, padding=${t(this.padding)}`;
    if (this.dilation.some((v) => v !== 1)) s += `, dilation=${t(this.dilation)}`;
    if (this.outputPadding.some((v) => v !== 0)) s += `, output_padding=${t(this.outputPadding)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ', bias=False';
    if (this.paddingMode !== 'zeros') s += `, padding_mode=${this.paddingMode}`;
    return s;
  }
}

function convDefaults() {
  return {
    inChannels: undefined as number | undefined, outChannels: undefined as number | undefined, kernelSize: undefined as IntOrTuple | undefined,
    stride: 1 as IntOrTuple, padding: 0 as F.ConvPadding, dilation: 1 as IntOrTuple, groups: 1, bias: true, paddingMode: 'zeros' as PaddingMode,
    device: 'cpu', dtype: 'float32' as DType,
  };
}
const CONV_NAMES = ['inChannels', 'outChannels', 'kernelSize', 'stride', 'padding', 'dilation', 'groups', 'bias', 'paddingMode'] as const;

abstract class Conv extends ConvNd {
  protected constructor(d: number, name: string, args: ConvCtorArgs) {
    const o = pyArgs(name, args, [...CONV_NAMES], convDefaults());
    super(d, name, false, { ...o, outputPadding: 0 });
  }
  protected abstract conv(x: Tensor, padding: F.ConvPadding): Tensor;
  override forward(x: Tensor): Tensor {
    if (this.paddingMode !== 'zeros') {
      const mode = this.paddingMode;
      return this.conv(pad(x, this.reversedPaddingRepeatedTwice, mode), 0);
    }
    return this.conv(x, this.padding);
  }
}

/** `nn.Conv1d(inChannels, outChannels, kernelSize, stride = 1, padding = 0, dilation = 1, groups = 1, bias = true, paddingMode = 'zeros')`. */
export class Conv1d extends Conv {
  constructor(...args: ConvCtorArgs) {
    super(1, 'Conv1d', args);
  }
  protected conv(x: Tensor, padding: F.ConvPadding): Tensor {
    return F.conv1d(x, this.weight, this.bias, this.stride, padding, this.dilation, this.groups);
  }
}
/** `nn.Conv2d(inChannels, outChannels, kernelSize, stride = 1, padding = 0, dilation = 1, groups = 1, bias = true, paddingMode = 'zeros')`: [N, C, H, W] → [N, out, H', W']. */
export class Conv2d extends Conv {
  constructor(...args: ConvCtorArgs) {
    super(2, 'Conv2d', args);
  }
  protected conv(x: Tensor, padding: F.ConvPadding): Tensor {
    return F.conv2d(x, this.weight, this.bias, this.stride, padding, this.dilation, this.groups);
  }
}
/** `nn.Conv3d(inChannels, outChannels, kernelSize, stride = 1, padding = 0, dilation = 1, groups = 1, bias = true, paddingMode = 'zeros')`. */
export class Conv3d extends Conv {
  constructor(...args: ConvCtorArgs) {
    super(3, 'Conv3d', args);
  }
  protected conv(x: Tensor, padding: F.ConvPadding): Tensor {
    return F.conv3d(x, this.weight, this.bias, this.stride, padding, this.dilation, this.groups);
  }
}

export interface ConvTransposeForwardOptions {
  outputSize?: readonly number[] | null;
}

abstract class ConvTranspose extends ConvNd {
  protected constructor(d: number, name: string, args: ConvTransposeCtorArgs) {
    const o = pyArgs(name, args, ['inChannels', 'outChannels', 'kernelSize', 'stride', 'padding', 'outputPadding', 'groups', 'bias', 'dilation', 'paddingMode'], {
      ...convDefaults(), padding: 0 as IntOrTuple, outputPadding: 0 as IntOrTuple,
    });
    if (o.paddingMode !== 'zeros') throw new Error(`Only "zeros" padding mode is supported for ${name}`);
    super(d, name, true, o);
  }
  protected abstract convT(x: Tensor, outputPadding: number[]): Tensor;
  /** PyTorch's `_output_padding`: the output_padding that gives `outputSize` (spatial, or with N/C in front). */
  protected outputPaddingFor(x: Tensor, outputSize: readonly number[] | null | undefined): number[] {
    if (!outputSize) return this.outputPadding;
    const d = this.kernelSize.length;
    const nonSpatial = x.ndim === d + 2 ? 2 : 1;
    let size = [...outputSize];
    if (size.length === nonSpatial + d) size = size.slice(nonSpatial);
    if (size.length !== d) {
      throw new Error(`ConvTranspose${d}D: for ${x.ndim}D input, output_size must have ${d} or ${nonSpatial + d} elements (got ${outputSize.length})`);
    }
    const pad = this.padding as number[];
    const min = size.map((_, i) => (x.shape[i + nonSpatial]! - 1) * this.stride[i]! - 2 * pad[i]! + this.dilation[i]! * (this.kernelSize[i]! - 1) + 1);
    const max = min.map((m, i) => m + this.stride[i]! - 1);
    size.forEach((s, i) => {
      if (s < min[i]! || s > max[i]!) {
        throw new Error(`requested an output size of [${size.join(', ')}], but valid sizes range from [${min.join(', ')}] to [${max.join(', ')}] (for an input of torch.Size([${x.shape.slice(nonSpatial).join(', ')}]))`);
      }
    });
    return size.map((s, i) => s - min[i]!);
  }
  override forward(x: Tensor, outputSize?: readonly number[] | null | ConvTransposeForwardOptions): Tensor {
    const size = outputSize && !Array.isArray(outputSize) ? (outputSize as ConvTransposeForwardOptions).outputSize : (outputSize as readonly number[] | null | undefined);
    return this.convT(x, this.outputPaddingFor(x, size));
  }
}

/** `nn.ConvTranspose1d(inChannels, outChannels, kernelSize, stride = 1, padding = 0, outputPadding = 0, groups = 1, bias = true, dilation = 1)`. */
export class ConvTranspose1d extends ConvTranspose {
  constructor(...args: ConvTransposeCtorArgs) {
    super(1, 'ConvTranspose1d', args);
  }
  protected convT(x: Tensor, op: number[]): Tensor {
    return F.convTranspose1d(x, this.weight, this.bias, this.stride, this.padding as number[], op, this.groups, this.dilation);
  }
}
/** `nn.ConvTranspose2d(inChannels, outChannels, kernelSize, stride = 1, padding = 0, outputPadding = 0, groups = 1, bias = true, dilation = 1)`; `forward(x, outputSize?)`. */
export class ConvTranspose2d extends ConvTranspose {
  constructor(...args: ConvTransposeCtorArgs) {
    super(2, 'ConvTranspose2d', args);
  }
  protected convT(x: Tensor, op: number[]): Tensor {
    return F.convTranspose2d(x, this.weight, this.bias, this.stride, this.padding as number[], op, this.groups, this.dilation);
  }
}
/** `nn.ConvTranspose3d(inChannels, outChannels, kernelSize, stride = 1, padding = 0, outputPadding = 0, groups = 1, bias = true, dilation = 1)`. */
export class ConvTranspose3d extends ConvTranspose {
  constructor(...args: ConvTransposeCtorArgs) {
    super(3, 'ConvTranspose3d', args);
  }
  protected convT(x: Tensor, op: number[]): Tensor {
    return F.convTranspose3d(x, this.weight, this.bias, this.stride, this.padding as number[], op, this.groups, this.dilation);
  }
}

// ---- Unfold / Fold ----------------------------------------------------------------------------------

export interface UnfoldModuleOptions {
  kernelSize?: IntOrTuple;
  dilation?: IntOrTuple;
  padding?: IntOrTuple;
  stride?: IntOrTuple;
}

/** `nn.Unfold(kernelSize, dilation = 1, padding = 0, stride = 1)`: sliding blocks of [N, C, H, W] as [N, C·∏k, L]. */
export class Unfold extends Module {
  readonly kernelSize: IntOrTuple;
  readonly dilation: IntOrTuple;
  readonly padding: IntOrTuple;
  readonly stride: IntOrTuple;
  constructor(...args: PyArgs<[kernelSize: IntOrTuple, dilation: IntOrTuple, padding: IntOrTuple, stride: IntOrTuple], UnfoldModuleOptions>) {
    super();
    const o = pyArgs('Unfold', args, ['kernelSize', 'dilation', 'padding', 'stride'], {
      kernelSize: undefined as IntOrTuple | undefined, dilation: 1 as IntOrTuple, padding: 0 as IntOrTuple, stride: 1 as IntOrTuple,
    });
    this.kernelSize = need('Unfold', 'kernelSize', o.kernelSize);
    this.dilation = o.dilation;
    this.padding = o.padding;
    this.stride = o.stride;
  }
  override forward(x: Tensor): Tensor {
    return F.unfold(x, this.kernelSize, this.dilation, this.padding, this.stride);
  }
  override extraRepr(): string {
    return `kernel_size=${pyValue(this.kernelSize)}, dilation=${pyValue(this.dilation)}, padding=${pyValue(this.padding)}, stride=${pyValue(this.stride)}`;
  }
}

/** `nn.Fold(outputSize, kernelSize, dilation = 1, padding = 0, stride = 1)`: sums [N, C·∏k, L] columns into [N, C, *outputSize]. */
export class Fold extends Module {
  readonly outputSize: IntOrTuple;
  readonly kernelSize: IntOrTuple;
  readonly dilation: IntOrTuple;
  readonly padding: IntOrTuple;
  readonly stride: IntOrTuple;
  constructor(...args: PyArgs<[outputSize: IntOrTuple, kernelSize: IntOrTuple, dilation: IntOrTuple, padding: IntOrTuple, stride: IntOrTuple], UnfoldModuleOptions & { outputSize?: IntOrTuple }>) {
    super();
    const o = pyArgs('Fold', args, ['outputSize', 'kernelSize', 'dilation', 'padding', 'stride'], {
      outputSize: undefined as IntOrTuple | undefined, kernelSize: undefined as IntOrTuple | undefined, dilation: 1 as IntOrTuple, padding: 0 as IntOrTuple, stride: 1 as IntOrTuple,
    });
    this.outputSize = need('Fold', 'outputSize', o.outputSize);
    this.kernelSize = need('Fold', 'kernelSize', o.kernelSize);
    this.dilation = o.dilation;
    this.padding = o.padding;
    this.stride = o.stride;
  }
  override forward(x: Tensor): Tensor {
    return F.fold(x, this.outputSize, this.kernelSize, this.dilation, this.padding, this.stride);
  }
  override extraRepr(): string {
    return `output_size=${pyValue(this.outputSize)}, kernel_size=${pyValue(this.kernelSize)}, dilation=${pyValue(this.dilation)}, padding=${pyValue(this.padding)}, stride=${pyValue(this.stride)}`;
  }
}
