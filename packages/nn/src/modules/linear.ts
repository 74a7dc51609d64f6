// Linear layers (handbook 5.1).
import { type DType, empty, type Tensor, getDefaultDtype } from '@kindling/tensor';
import { Module, type StateDict } from '../module.js';
import { Parameter } from '../parameter.js';
import * as init from '../init.js';
import { type PyArgs, need, pyArgs } from '../args.js';
import { bilinear, linear } from '../functional/linear.js';

export interface FactoryOptions {
  device?: string;
  dtype?: DType;
}
export interface LinearOptions extends FactoryOptions {
  inFeatures?: number;
  outFeatures?: number;
  bias?: boolean;
}

/** PyTorch's default: W ~ kaiming_uniform(a=√5), b ~ U(−1/√fan_in, 1/√fan_in), drawn in that order. */
export function resetLinearLike(weight: Tensor, bias: Tensor | null): void {
  init.kaimingUniform_(weight, { a: Math.sqrt(5) });
  if (bias) {
    const { fanIn } = init.calculateFanInAndFanOut(weight);
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    init.uniform_(bias, -bound, bound);
  }
}

/** `nn.Identity(*args, **kwargs)`: returns its input; the arguments are ignored, as in PyTorch. */
export class Identity extends Module {
  constructor(..._args: unknown[]) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return x;
  }
}

/** `nn.Linear(inFeatures, outFeatures, bias = true)`: y = x Wᵀ + b, W of shape [out, in]. */
export class Linear extends Module {
  weight: Parameter;
  bias: Parameter | null;
  readonly inFeatures: number;
  readonly outFeatures: number;
  constructor(...args: PyArgs<[inFeatures: number, outFeatures: number, bias: boolean], LinearOptions>) {
    super();
    const o = pyArgs('Linear', args, ['inFeatures', 'outFeatures', 'bias'], {
      inFeatures: undefined as number | undefined, outFeatures: undefined as number | undefined, bias: true, device: undefined as string | undefined, dtype: getDefaultDtype(),
    });
    this.inFeatures = need('Linear', 'inFeatures', o.inFeatures);
    this.outFeatures = need('Linear', 'outFeatures', o.outFeatures);
    const f = { dtype: o.dtype, device: o.device };
    this.weight = new Parameter(empty([this.outFeatures, this.inFeatures], f));
    this.bias = o.bias ? new Parameter(empty([this.outFeatures], f)) : null;
    this.resetParameters();
  }
  resetParameters(): void {
    resetLinearLike(this.weight, this.bias);
  }
  override forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }
  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias !== null ? 'True' : 'False'}`;
  }
}

/** `nn.LazyLinear(outFeatures)`: in_features comes from the first input; then it is a Linear. */
export class LazyLinear extends Module {
  weight: Parameter | null = null;
  bias: Parameter | null = null;
  inFeatures = 0;
  readonly outFeatures: number;
  private readonly useBias: boolean;
  private readonly factory: { device: string | undefined; dtype: DType };
  constructor(...args: PyArgs<[outFeatures: number, bias: boolean], Omit<LinearOptions, 'inFeatures'>>) {
    super();
    const o = pyArgs('LazyLinear', args, ['outFeatures', 'bias'], { outFeatures: undefined as number | undefined, bias: true, device: undefined as string | undefined, dtype: getDefaultDtype() });
    this.outFeatures = need('LazyLinear', 'outFeatures', o.outFeatures);
    this.useBias = o.bias;
    this.factory = { device: o.device, dtype: o.dtype };
  }
  /** Whether the parameters still wait for the first input. */
  hasUninitializedParams(): boolean {
    return this.weight === null;
  }
  private materialize(inFeatures: number, dtype: DType): void {
    this.inFeatures = inFeatures;
    const f = { dtype, device: this.factory.device };
    this.weight = new Parameter(empty([this.outFeatures, inFeatures], f));
    this.bias = this.useBias ? new Parameter(empty([this.outFeatures], f)) : null;
    resetLinearLike(this.weight, this.bias);
  }
  override forward(x: Tensor): Tensor {
    if (!this.weight) this.materialize(x.shape[x.ndim - 1] ?? 1, this.factory.dtype);
    return linear(x, this.weight!, this.bias);
  }
  /** Loading a checkpoint into an uninitialised LazyLinear takes in_features from it, as PyTorch. */
  protected override preLoadStateDict(stateDict: StateDict, prefix: string): void {
    const w = stateDict[`${prefix}weight`];
    if (!this.weight && w && w.ndim === 2) this.materialize(w.shape[1]!, this.factory.dtype);
  }
  protected override get typeName(): string {
    return this.weight ? 'Linear' : 'LazyLinear';
  }
  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.useBias ? 'True' : 'False'}`;
  }
}

export interface BilinearOptions extends FactoryOptions {
  in1Features?: number;
  in2Features?: number;
  outFeatures?: number;
  bias?: boolean;
}
/** `nn.Bilinear(in1, in2, out)`: y_k = x1ᵀ W_k x2 + b_k; W and b ~ U(−1/√in1, 1/√in1). */
export class Bilinear extends Module {
  weight: Parameter;
  bias: Parameter | null;
  readonly in1Features: number;
  readonly in2Features: number;
  readonly outFeatures: number;
  constructor(...args: PyArgs<[in1Features: number, in2Features: number, outFeatures: number, bias: boolean], BilinearOptions>) {
    super();
    const o = pyArgs('Bilinear', args, ['in1Features', 'in2Features', 'outFeatures', 'bias'], {
      in1Features: undefined as number | undefined, in2Features: undefined as number | undefined, outFeatures: undefined as number | undefined,
      bias: true, device: undefined as string | undefined, dtype: getDefaultDtype(),
    });
    this.in1Features = need('Bilinear', 'in1Features', o.in1Features);
    this.in2Features = need('Bilinear', 'in2Features', o.in2Features);
    this.outFeatures = need('Bilinear', 'outFeatures', o.outFeatures);
    const f = { dtype: o.dtype, device: o.device };
    this.weight = new Parameter(empty([this.outFeatures, this.in1Features, this.in2Features], f));
    this.bias = o.bias ? new Parameter(empty([this.outFeatures], f)) : null;
    this.resetParameters();
  }
  resetParameters(): void {
    const bound = 1 / Math.sqrt(this.weight.shape[1]!);
    init.uniform_(this.weight, -bound, bound);
    if (this.bias) init.uniform_(this.bias, -bound, bound);
  }
  override forward(x1: Tensor, x2: Tensor): Tensor {
    return bilinear(x1, x2, this.weight, this.bias);
  }
  override extraRepr(): string {
    return `in1_features=${this.in1Features}, in2_features=${this.in2Features}, out_features=${this.outFeatures}, bias=${this.bias !== null ? 'True' : 'False'}`;
  }
}
