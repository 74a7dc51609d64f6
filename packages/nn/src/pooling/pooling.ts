// Pooling layers (handbook 5.3).
import type { Tensor } from '@kindling/tensor';
import { Module } from '../module.js';
import { type PyArgs, need, pyArgs } from '../args.js';
import * as F from '../functional/pooling.js';
import { type IntOrTuple, ntuple } from '../functional/window.js';
import { pyValue } from '../conv/repr.js';

/** The last element of an argument tuple, when it is an options object. */
type LastOptions<A extends readonly unknown[]> = A extends readonly [...unknown[], infer O] ? (O extends object ? O : never) : never;
/** `[values, indices]` when constructed with `returnIndices: true`, else the values. */
export type WithIndices<A extends readonly unknown[]> = LastOptions<A> extends { returnIndices: true } ? [Tensor, Tensor] : Tensor;

export interface MaxPoolModuleOptions {
  kernelSize?: IntOrTuple;
  stride?: IntOrTuple | null;
  padding?: IntOrTuple;
  dilation?: IntOrTuple;
  returnIndices?: boolean;
  ceilMode?: boolean;
}
export type MaxPoolCtorArgs = PyArgs<
  [kernelSize: IntOrTuple, stride: IntOrTuple | null, padding: IntOrTuple, dilation: IntOrTuple, returnIndices: boolean, ceilMode: boolean],
  MaxPoolModuleOptions
>;

abstract class MaxPoolNd<A extends MaxPoolCtorArgs> extends Module {
  readonly kernelSize: IntOrTuple;
  readonly stride: IntOrTuple;
  readonly padding: IntOrTuple;
  readonly dilation: IntOrTuple;
  readonly returnIndices: boolean;
  readonly ceilMode: boolean;
  protected constructor(name: string, args: A) {
    super();
    const o = pyArgs(name, args, ['kernelSize', 'stride', 'padding', 'dilation', 'returnIndices', 'ceilMode'], {
      kernelSize: undefined as IntOrTuple | undefined, stride: null as IntOrTuple | null, padding: 0 as IntOrTuple, dilation: 1 as IntOrTuple, returnIndices: false, ceilMode: false,
    });
    this.kernelSize = need(name, 'kernelSize', o.kernelSize);
    this.stride = o.stride ?? this.kernelSize;
    this.padding = o.padding;
    this.dilation = o.dilation;
    this.returnIndices = o.returnIndices;
    this.ceilMode = o.ceilMode;
  }
  protected abstract pool(x: Tensor): [Tensor, Tensor];
  override forward(x: Tensor): WithIndices<A> {
    const r = this.pool(x);
    return (this.returnIndices ? r : r[0]) as WithIndices<A>;
  }
  protected get poolArgs(): F.MaxPoolOptions {
    return { stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode };
  }
  override extraRepr(): string {
    return `kernel_size=${pyValue(this.kernelSize)}, stride=${pyValue(this.stride)}, padding=${pyValue(this.padding)}, dilation=${pyValue(this.dilation)}, ceil_mode=${pyValue(this.ceilMode)}`;
  }
}

/** `nn.MaxPool1d(kernelSize, stride = kernelSize, padding = 0, dilation = 1, returnIndices = false, ceilMode = false)`. */
export class MaxPool1d<A extends MaxPoolCtorArgs = MaxPoolCtorArgs> extends MaxPoolNd<A> {
  constructor(...args: A) {
    super('MaxPool1d', args);
  }
  protected pool(x: Tensor): [Tensor, Tensor] {
    return F.maxPool1dWithIndices(x, this.kernelSize, this.poolArgs);
  }
}
/** `nn.MaxPool2d(kernelSize, stride = kernelSize, padding = 0, dilation = 1, returnIndices = false, ceilMode = false)`. */
export class MaxPool2d<A extends MaxPoolCtorArgs = MaxPoolCtorArgs> extends MaxPoolNd<A> {
  constructor(...args: A) {
    super('MaxPool2d', args);
  }
  protected pool(x: Tensor): [Tensor, Tensor] {
    return F.maxPool2dWithIndices(x, this.kernelSize, this.poolArgs);
  }
}
/** `nn.MaxPool3d(kernelSize, stride = kernelSize, padding = 0, dilation = 1, returnIndices = false, ceilMode = false)`. */
export class MaxPool3d<A extends MaxPoolCtorArgs = MaxPoolCtorArgs> extends MaxPoolNd<A> {
  constructor(...args: A) {
    super('MaxPool3d', args);
  }
  protected pool(x: Tensor): [Tensor, Tensor] {
    return F.maxPool3dWithIndices(x, this.kernelSize, this.poolArgs);
  }
}

export interface AvgPoolModuleOptions {
  kernelSize?: IntOrTuple;
  stride?: IntOrTuple | null;
  padding?: IntOrTuple;
  ceilMode?: boolean;
  countIncludePad?: boolean;
  divisorOverride?: number | null;
}
type AvgPoolCtorArgs = PyArgs<
  [kernelSize: IntOrTuple, stride: IntOrTuple | null, padding: IntOrTuple, ceilMode: boolean, countIncludePad: boolean, divisorOverride: number | null],
  AvgPoolModuleOptions
>;
type AvgPool1dCtorArgs = PyArgs<[kernelSize: IntOrTuple, stride: IntOrTuple | null, padding: IntOrTuple, ceilMode: boolean, countIncludePad: boolean], Omit<AvgPoolModuleOptions, 'divisorOverride'>>;

abstract class AvgPoolNd extends Module {
  readonly kernelSize: IntOrTuple;
  readonly stride: IntOrTuple;
  readonly padding: IntOrTuple;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  readonly divisorOverride: number | null;
  /** `tupleDims`: store the sizes as tuples of that length (AvgPool1d), else as given. */
  protected constructor(name: string, args: AvgPoolCtorArgs, tupleDims = 0) {
    super();
    const o = pyArgs(name, args, ['kernelSize', 'stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride'], {
      kernelSize: undefined as IntOrTuple | undefined, stride: null as IntOrTuple | null, padding: 0 as IntOrTuple, ceilMode: false, countIncludePad: true,
      divisorOverride: null as number | null,
    });
    const t = (v: IntOrTuple, n: string) => (tupleDims ? ntuple(n, v, tupleDims, name) : v);
    this.kernelSize = t(need(name, 'kernelSize', o.kernelSize), 'kernel_size');
    this.stride = o.stride === null || o.stride === undefined ? this.kernelSize : t(o.stride, 'stride');
    this.padding = t(o.padding, 'padding');
    this.ceilMode = o.ceilMode;
    this.countIncludePad = o.countIncludePad;
    this.divisorOverride = o.divisorOverride;
  }
  protected get poolArgs(): F.AvgPoolOptions {
    return { stride: this.stride, padding: this.padding, ceilMode: this.ceilMode, countIncludePad: this.countIncludePad, divisorOverride: this.divisorOverride };
  }
  override extraRepr(): string {
    return `kernel_size=${pyValue(this.kernelSize)}, stride=${pyValue(this.stride)}, padding=${pyValue(this.padding)}`;
  }
}

/** `nn.AvgPool1d(kernelSize, stride = kernelSize, padding = 0, ceilMode = false, countIncludePad = true)`; sizes are kept as 1-tuples, as PyTorch's `_single`. */
export class AvgPool1d extends AvgPoolNd {
  constructor(...args: AvgPool1dCtorArgs) {
    super('AvgPool1d', args as AvgPoolCtorArgs, 1);
  }
  override forward(x: Tensor): Tensor {
    const { divisorOverride: _, ...o } = this.poolArgs;
    return F.avgPool1d(x, this.kernelSize, o);
  }
}
/** `nn.AvgPool2d(kernelSize, stride = kernelSize, padding = 0, ceilMode = false, countIncludePad = true, divisorOverride = null)`. */
export class AvgPool2d extends AvgPoolNd {
  constructor(...args: AvgPoolCtorArgs) {
    super('AvgPool2d', args);
  }
  override forward(x: Tensor): Tensor {
    return F.avgPool2d(x, this.kernelSize, this.poolArgs);
  }
}
/** `nn.AvgPool3d(kernelSize, stride = kernelSize, padding = 0, ceilMode = false, countIncludePad = true, divisorOverride = null)`. */
export class AvgPool3d extends AvgPoolNd {
  constructor(...args: AvgPoolCtorArgs) {
    super('AvgPool3d', args);
  }
  override forward(x: Tensor): Tensor {
    return F.avgPool3d(x, this.kernelSize, this.poolArgs);
  }
}

// ---- adaptive ------------------------------------------------------------------------------------

export interface AdaptivePoolOptions {
  outputSize?: F.AdaptiveSize;
  returnIndices?: boolean;
}
type AdaptiveAvgCtorArgs = PyArgs<[outputSize: F.AdaptiveSize], Omit<AdaptivePoolOptions, 'returnIndices'>>;
export type AdaptiveMaxCtorArgs = PyArgs<[outputSize: F.AdaptiveSize, returnIndices: boolean], AdaptivePoolOptions>;

abstract class AdaptiveAvgPoolNd extends Module {
  readonly outputSize: F.AdaptiveSize;
  protected constructor(name: string, args: AdaptiveAvgCtorArgs) {
    super();
    const o = pyArgs(name, args, ['outputSize'], { outputSize: undefined as F.AdaptiveSize | undefined });
    if (o.outputSize === undefined) throw new TypeError(`${name}.__init__() missing 1 required positional argument: 'output_size'`);
    this.outputSize = o.outputSize;
  }
  override extraRepr(): string {
    return `output_size=${pyValue(this.outputSize)}`;
  }
}
/** `nn.AdaptiveAvgPool1d(outputSize)`. */
export class AdaptiveAvgPool1d extends AdaptiveAvgPoolNd {
  constructor(...args: AdaptiveAvgCtorArgs) {
    super('AdaptiveAvgPool1d', args);
  }
  override forward(x: Tensor): Tensor {
    return F.adaptiveAvgPool1d(x, this.outputSize);
  }
}
/** `nn.AdaptiveAvgPool2d(outputSize)`: any input size to `outputSize`; `(1, 1)` is global average pooling. */
export class AdaptiveAvgPool2d extends AdaptiveAvgPoolNd {
  constructor(...args: AdaptiveAvgCtorArgs) {
    super('AdaptiveAvgPool2d', args);
  }
  override forward(x: Tensor): Tensor {
    return F.adaptiveAvgPool2d(x, this.outputSize);
  }
}
/** `nn.AdaptiveAvgPool3d(outputSize)`. */
export class AdaptiveAvgPool3d extends AdaptiveAvgPoolNd {
  constructor(...args: AdaptiveAvgCtorArgs) {
    super('AdaptiveAvgPool3d', args);
  }
  override forward(x: Tensor): Tensor {
    return F.adaptiveAvgPool3d(x, this.outputSize);
  }
}

abstract class AdaptiveMaxPoolNd<A extends AdaptiveMaxCtorArgs> extends Module {
  readonly outputSize: F.AdaptiveSize;
  readonly returnIndices: boolean;
  protected constructor(name: string, args: A) {
    super();
    const o = pyArgs(name, args, ['outputSize', 'returnIndices'], { outputSize: undefined as F.AdaptiveSize | undefined, returnIndices: false });
    if (o.outputSize === undefined) throw new TypeError(`${name}.__init__() missing 1 required positional argument: 'output_size'`);
    this.outputSize = o.outputSize;
    this.returnIndices = o.returnIndices;
  }
  protected abstract pool(x: Tensor): [Tensor, Tensor];
  override forward(x: Tensor): WithIndices<A> {
    const r = this.pool(x);
    return (this.returnIndices ? r : r[0]) as WithIndices<A>;
  }
  override extraRepr(): string {
    return `output_size=${pyValue(this.outputSize)}`;
  }
}
/** `nn.AdaptiveMaxPool1d(outputSize, returnIndices = false)`. */
export class AdaptiveMaxPool1d<A extends AdaptiveMaxCtorArgs = AdaptiveMaxCtorArgs> extends AdaptiveMaxPoolNd<A> {
  constructor(...args: A) {
    super('AdaptiveMaxPool1d', args);
  }
  protected pool(x: Tensor): [Tensor, Tensor] {
    return F.adaptiveMaxPool1d(x, this.outputSize, { returnIndices: true });
  }
}
/** `nn.AdaptiveMaxPool2d(outputSize, returnIndices = false)`. */
export class AdaptiveMaxPool2d<A extends AdaptiveMaxCtorArgs = AdaptiveMaxCtorArgs> extends AdaptiveMaxPoolNd<A> {
  constructor(...args: A) {
    super('AdaptiveMaxPool2d', args);
  }
  protected pool(x: Tensor): [Tensor, Tensor] {
    return F.adaptiveMaxPool2d(x, this.outputSize, { returnIndices: true });
  }
}
/** `nn.AdaptiveMaxPool3d(outputSize, returnIndices = false)`. */
export class AdaptiveMaxPool3d<A extends AdaptiveMaxCtorArgs = AdaptiveMaxCtorArgs> extends AdaptiveMaxPoolNd<A> {
  constructor(...args: A) {
    super('AdaptiveMaxPool3d', args);
  }
  protected pool(x: Tensor): [Tensor, Tensor] {
    return F.adaptiveMaxPool3d(x, this.outputSize, { returnIndices: true });
  }
}

// ---- unpooling -------------------------------------------------------------------------------------

export interface MaxUnpoolModuleOptions {
  kernelSize?: IntOrTuple;
  stride?: IntOrTuple | null;
  padding?: IntOrTuple;
}
type MaxUnpoolCtorArgs = PyArgs<[kernelSize: IntOrTuple, stride: IntOrTuple | null, padding: IntOrTuple], MaxUnpoolModuleOptions>;

abstract class MaxUnpoolNd extends Module {
  readonly kernelSize: IntOrTuple;
  readonly stride: IntOrTuple;
  readonly padding: IntOrTuple;
  /** Sizes are kept as d-tuples, as PyTorch's `_pair`/`_triple`. */
  protected constructor(name: string, d: number, args: MaxUnpoolCtorArgs) {
    super();
    const o = pyArgs(name, args, ['kernelSize', 'stride', 'padding'], { kernelSize: undefined as IntOrTuple | undefined, stride: null as IntOrTuple | null, padding: 0 as IntOrTuple });
    this.kernelSize = ntuple('kernel_size', need(name, 'kernelSize', o.kernelSize), d, name);
    this.stride = o.stride === null || o.stride === undefined ? this.kernelSize : ntuple('stride', o.stride, d, name);
    this.padding = ntuple('padding', o.padding, d, name);
  }
  protected abstract unpool(x: Tensor, indices: Tensor, outputSize: readonly number[] | null): Tensor;
  /** `forward(input, indices, outputSize?)`; outputSize may also come as `{ outputSize }`. */
  override forward(x: Tensor, indices: Tensor, outputSize?: readonly number[] | null | { outputSize?: readonly number[] | null }): Tensor {
    const size = outputSize && !Array.isArray(outputSize) ? ((outputSize as { outputSize?: readonly number[] | null }).outputSize ?? null) : ((outputSize as readonly number[] | null | undefined) ?? null);
    return this.unpool(x, indices, size);
  }
  override extraRepr(): string {
    return `kernel_size=${pyValue(this.kernelSize)}, stride=${pyValue(this.stride)}, padding=${pyValue(this.padding)}`;
  }
}
/** `nn.MaxUnpool1d(kernelSize, stride = kernelSize, padding = 0)`. */
export class MaxUnpool1d extends MaxUnpoolNd {
  constructor(...args: MaxUnpoolCtorArgs) {
    super('MaxUnpool1d', 1, args);
  }
  protected unpool(x: Tensor, indices: Tensor, outputSize: readonly number[] | null): Tensor {
    return F.maxUnpool1d(x, indices, this.kernelSize, this.stride, this.padding, outputSize);
  }
}
/** `nn.MaxUnpool2d(kernelSize, stride = kernelSize, padding = 0)`: the inverse of MaxPool2d given its indices (non-maxima zero). */
export class MaxUnpool2d extends MaxUnpoolNd {
  constructor(...args: MaxUnpoolCtorArgs) {
    super('MaxUnpool2d', 2, args);
  }
  protected unpool(x: Tensor, indices: Tensor, outputSize: readonly number[] | null): Tensor {
    return F.maxUnpool2d(x, indices, this.kernelSize, this.stride, this.padding, outputSize);
  }
}
/** `nn.MaxUnpool3d(kernelSize, stride = kernelSize, padding = 0)`. */
export class MaxUnpool3d extends MaxUnpoolNd {
  constructor(...args: MaxUnpoolCtorArgs) {
    super('MaxUnpool3d', 3, args);
  }
  protected unpool(x: Tensor, indices: Tensor, outputSize: readonly number[] | null): Tensor {
    return F.maxUnpool3d(x, indices, this.kernelSize, this.stride, this.padding, outputSize);
  }
}
