// Activation modules (handbook 6.1): thin wrappers over nn.functional, printing as PyTorch prints them.
import { type DType, full, type Tensor, getDefaultDtype } from '@kindling/tensor';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { pyFloat } from '../pyrepr.js';
import { type PyArgs, pyArgs } from '../args.js';
import * as F from '../functional/activation.js';

const inplaceRepr = (inplace: boolean) => (inplace ? 'inplace=True' : '');
const inplaceSuffix = (inplace: boolean) => (inplace ? ', inplace=True' : '');
type InplaceArgs = PyArgs<[inplace: boolean], F.InplaceOptions>;

/** An activation whose only option is `inplace`. */
abstract class InplaceActivation extends Module {
  readonly inplace: boolean;
  constructor(...args: InplaceArgs) {
    super();
    this.inplace = pyArgs(new.target.name, args, ['inplace'], { inplace: false }).inplace;
  }
  override extraRepr(): string {
    return inplaceRepr(this.inplace);
  }
}

export class ReLU extends InplaceActivation {
  override forward(x: Tensor): Tensor {
    return F.relu(x, { inplace: this.inplace });
  }
}
export class ReLU6 extends InplaceActivation {
  override forward(x: Tensor): Tensor {
    return F.relu6(x, { inplace: this.inplace });
  }
}
export class SELU extends InplaceActivation {
  override forward(x: Tensor): Tensor {
    return F.selu(x, { inplace: this.inplace });
  }
}
export class SiLU extends InplaceActivation {
  override forward(x: Tensor): Tensor {
    return F.silu(x, { inplace: this.inplace });
  }
}
/** Swish is SiLU. */
export const Swish = SiLU;
export class Mish extends InplaceActivation {
  override forward(x: Tensor): Tensor {
    return F.mish(x, { inplace: this.inplace });
  }
}
export class Hardswish extends InplaceActivation {
  override forward(x: Tensor): Tensor {
    return F.hardswish(x, { inplace: this.inplace });
  }
  override extraRepr(): string {
    return ''; // PyTorch 1.13 does not print it
  }
}
export class Hardsigmoid extends InplaceActivation {
  override forward(x: Tensor): Tensor {
    return F.hardsigmoid(x, { inplace: this.inplace });
  }
  override extraRepr(): string {
    return '';
  }
}

export class LeakyReLU extends Module {
  readonly negativeSlope: number;
  readonly inplace: boolean;
  constructor(...args: PyArgs<[negativeSlope: number, inplace: boolean], F.LeakyReluOptions>) {
    super();
    ({ negativeSlope: this.negativeSlope, inplace: this.inplace } = pyArgs('LeakyReLU', args, ['negativeSlope', 'inplace'], { negativeSlope: 0.01, inplace: false }));
  }
  override forward(x: Tensor): Tensor {
    return F.leakyRelu(x, { negativeSlope: this.negativeSlope, inplace: this.inplace });
  }
  override extraRepr(): string {
    return `negative_slope=${this.negativeSlope}${inplaceSuffix(this.inplace)}`;
  }
}

export interface PReLUOptions {
  numParameters?: number;
  init?: number;
  dtype?: DType;
  device?: string;
}
/** PReLU: one learnable slope (or one per channel), initialised to `init` (0.25). */
export class PReLU extends Module {
  weight: Parameter;
  readonly numParameters: number;
  constructor(...args: PyArgs<[numParameters: number, init: number], PReLUOptions>) {
    super();
    const o = pyArgs('PReLU', args, ['numParameters', 'init'], { numParameters: 1, init: 0.25, dtype: getDefaultDtype(), device: undefined as string | undefined });
    this.numParameters = o.numParameters;
    this.weight = new Parameter(full([o.numParameters], o.init, { dtype: o.dtype, device: o.device }));
  }
  override forward(x: Tensor): Tensor {
    return F.prelu(x, this.weight);
  }
  override extraRepr(): string {
    return `num_parameters=${this.numParameters}`;
  }
}

export class RReLU extends Module {
  readonly lower: number;
  readonly upper: number;
  readonly inplace: boolean;
  constructor(...args: PyArgs<[lower: number, upper: number, inplace: boolean], Omit<F.RreluOptions, 'training'>>) {
    super();
    ({ lower: this.lower, upper: this.upper, inplace: this.inplace } = pyArgs('RReLU', args, ['lower', 'upper', 'inplace'], { lower: 1 / 8, upper: 1 / 3, inplace: false }));
  }
  override forward(x: Tensor): Tensor {
    return F.rrelu(x, { lower: this.lower, upper: this.upper, training: this.training, inplace: this.inplace });
  }
  override extraRepr(): string {
    return `lower=${pyFloat(this.lower)}, upper=${pyFloat(this.upper)}${inplaceSuffix(this.inplace)}`;
  }
}

export class ELU extends Module {
  readonly alpha: number;
  readonly inplace: boolean;
  constructor(...args: PyArgs<[alpha: number, inplace: boolean], F.EluOptions>) {
    super();
    ({ alpha: this.alpha, inplace: this.inplace } = pyArgs('ELU', args, ['alpha', 'inplace'], { alpha: 1, inplace: false }));
  }
  override forward(x: Tensor): Tensor {
    return F.elu(x, { alpha: this.alpha, inplace: this.inplace });
  }
  override extraRepr(): string {
    return `alpha=${pyFloat(this.alpha)}${inplaceSuffix(this.inplace)}`;
  }
}
export class CELU extends Module {
  readonly alpha: number;
  readonly inplace: boolean;
  constructor(...args: PyArgs<[alpha: number, inplace: boolean], F.EluOptions>) {
    super();
    ({ alpha: this.alpha, inplace: this.inplace } = pyArgs('CELU', args, ['alpha', 'inplace'], { alpha: 1, inplace: false }));
  }
  override forward(x: Tensor): Tensor {
    return F.celu(x, { alpha: this.alpha, inplace: this.inplace });
  }
  override extraRepr(): string {
    return `alpha=${pyFloat(this.alpha)}${inplaceSuffix(this.inplace)}`;
  }
}

export class GELU extends Module {
  readonly approximate: 'none' | 'tanh';
  constructor(...args: PyArgs<[approximate: 'none' | 'tanh'], F.GeluOptions>) {
    super();
    this.approximate = pyArgs('GELU', args, ['approximate'], { approximate: 'none' as 'none' | 'tanh' }).approximate;
  }
  override forward(x: Tensor): Tensor {
    return F.gelu(x, { approximate: this.approximate });
  }
  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

export class Sigmoid extends Module {
  override forward(x: Tensor): Tensor {
    return x.sigmoid();
  }
}
export class Tanh extends Module {
  override forward(x: Tensor): Tensor {
    return x.tanh();
  }
}
export class LogSigmoid extends Module {
  override forward(x: Tensor): Tensor {
    return F.logsigmoid(x);
  }
}
export class Softsign extends Module {
  override forward(x: Tensor): Tensor {
    return F.softsign(x);
  }
}
export class Tanhshrink extends Module {
  override forward(x: Tensor): Tensor {
    return F.tanhshrink(x);
  }
}

/** Softmax-like modules take `dim` (null: PyTorch's legacy implicit dim). */
abstract class DimActivation extends Module {
  readonly dim: number | null;
  constructor(...args: PyArgs<[dim: number | null], { dim?: number | null }>) {
    super();
    this.dim = pyArgs(new.target.name, args, ['dim'], { dim: null as number | null }).dim;
  }
  override extraRepr(): string {
    return `dim=${this.dim ?? 'None'}`;
  }
}
export class Softmax extends DimActivation {
  override forward(x: Tensor): Tensor {
    return F.softmax(x, { dim: this.dim });
  }
}
export class LogSoftmax extends DimActivation {
  override forward(x: Tensor): Tensor {
    return F.logSoftmax(x, { dim: this.dim });
  }
}
export class Softmin extends DimActivation {
  override forward(x: Tensor): Tensor {
    return F.softmin(x, { dim: this.dim });
  }
}
/** Softmax over the channels of (N, C, H, W) or (C, H, W) input. */
export class Softmax2d extends Module {
  override forward(x: Tensor): Tensor {
    if (x.ndim !== 3 && x.ndim !== 4) throw new Error(`Softmax2d: expected input to be 3D or 4D, got ${x.ndim}D instead`);
    return x.softmax(-3);
  }
}

export class Softplus extends Module {
  readonly beta: number;
  readonly threshold: number;
  constructor(...args: PyArgs<[beta: number, threshold: number], F.SoftplusOptions>) {
    super();
    ({ beta: this.beta, threshold: this.threshold } = pyArgs('Softplus', args, ['beta', 'threshold'], { beta: 1, threshold: 20 }));
  }
  override forward(x: Tensor): Tensor {
    return F.softplus(x, { beta: this.beta, threshold: this.threshold });
  }
  override extraRepr(): string {
    return `beta=${this.beta}, threshold=${this.threshold}`;
  }
}

export class Hardtanh extends Module {
  readonly minVal: number;
  readonly maxVal: number;
  readonly inplace: boolean;
  constructor(...args: PyArgs<[minVal: number, maxVal: number, inplace: boolean], F.HardtanhOptions>) {
    super();
    ({ minVal: this.minVal, maxVal: this.maxVal, inplace: this.inplace } = pyArgs('Hardtanh', args, ['minVal', 'maxVal', 'inplace'], { minVal: -1, maxVal: 1, inplace: false }));
    if (!(this.maxVal > this.minVal)) throw new Error(`Hardtanh: max_val (${this.maxVal}) must be greater than min_val (${this.minVal})`);
  }
  override forward(x: Tensor): Tensor {
    return F.hardtanh(x, { minVal: this.minVal, maxVal: this.maxVal, inplace: this.inplace });
  }
  override extraRepr(): string {
    return `min_val=${pyFloat(this.minVal)}, max_val=${pyFloat(this.maxVal)}${inplaceSuffix(this.inplace)}`;
  }
}

abstract class ShrinkActivation extends Module {
  readonly lambd: number;
  constructor(...args: PyArgs<[lambd: number], { lambd?: number }>) {
    super();
    this.lambd = pyArgs(new.target.name, args, ['lambd'], { lambd: 0.5 }).lambd;
  }
  override extraRepr(): string {
    return pyFloat(this.lambd);
  }
}
export class Softshrink extends ShrinkActivation {
  override forward(x: Tensor): Tensor {
    return F.softshrink(x, this.lambd);
  }
}
export class Hardshrink extends ShrinkActivation {
  override forward(x: Tensor): Tensor {
    return F.hardshrink(x, this.lambd);
  }
}

export class Threshold extends Module {
  readonly threshold: number;
  readonly value: number;
  readonly inplace: boolean;
  constructor(...args: PyArgs<[threshold: number, value: number, inplace: boolean], F.ThresholdOptions>) {
    super();
    const o = pyArgs('Threshold', args, ['threshold', 'value', 'inplace'], { threshold: NaN, value: NaN, inplace: false });
    if (Number.isNaN(o.threshold) || Number.isNaN(o.value)) throw new TypeError("Threshold() missing required arguments: 'threshold' and 'value'");
    ({ threshold: this.threshold, value: this.value, inplace: this.inplace } = o);
  }
  override forward(x: Tensor): Tensor {
    return F.threshold(x, this.threshold, this.value, this.inplace);
  }
  override extraRepr(): string {
    return `threshold=${pyFloat(this.threshold)}, value=${pyFloat(this.value)}${inplaceSuffix(this.inplace)}`;
  }
}

export class GLU extends Module {
  readonly dim: number;
  constructor(...args: PyArgs<[dim: number], { dim?: number }>) {
    super();
    this.dim = pyArgs('GLU', args, ['dim'], { dim: -1 }).dim;
  }
  override forward(x: Tensor): Tensor {
    return F.glu(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}
