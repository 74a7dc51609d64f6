import { empty, type Tensor } from '@kindling/tensor';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import * as init from '../init.js';
import { bilinear, linear } from '../functional/linear.js';

interface FactoryOptions {
  bias?: boolean;
  device?: string;
  dtype?: Tensor['dtype'];
}

/** PyTorch's default: W ~ kaiming_uniform(a=√5), b ~ U(−1/√fan_in, 1/√fan_in). */
export function resetLinearLike(weight: Tensor, bias: Tensor | null, fanIn: number): void {
  init.kaimingUniform_(weight, { a: Math.sqrt(5) });
  if (bias) {
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    init.uniform_(bias, -bound, bound);
  }
}

export class Identity extends Module {
  constructor(..._args: unknown[]) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return x;
  }
}

export class Linear extends Module {
  weight!: Parameter;
  bias!: Parameter | null;
  constructor(
    public inFeatures: number,
    public outFeatures: number,
    opts?: FactoryOptions,
  ) {
    super();
    const f = { dtype: opts?.dtype ?? 'float32', device: opts?.device ?? 'cpu' } as const;
    this.weight = new Parameter(empty([outFeatures, inFeatures], f));
    this.bias = opts?.bias === false ? null : new Parameter(empty([outFeatures], f));
    this.resetParameters();
  }
  resetParameters(): void {
    resetLinearLike(this.weight, this.bias, this.inFeatures);
  }
  override forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }
  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias !== null ? 'True' : 'False'}`;
  }
}

/** `nn.LazyLinear(out)`: in_features is taken from the first input. */
export class LazyLinear extends Module {
  weight: Parameter | null = null;
  bias: Parameter | null = null;
  inFeatures = 0;
  private readonly useBias: boolean;
  constructor(
    public outFeatures: number,
    opts?: FactoryOptions,
  ) {
    super();
    this.useBias = opts?.bias !== false;
  }
  override forward(x: Tensor): Tensor {
    if (!this.weight) {
      this.inFeatures = x.shape[x.ndim - 1]!;
      const f = { dtype: x.dtype, device: x.device };
      this.weight = new Parameter(empty([this.outFeatures, this.inFeatures], f));
      this.bias = this.useBias ? new Parameter(empty([this.outFeatures], f)) : null;
      resetLinearLike(this.weight, this.bias, this.inFeatures);
    }
    return linear(x, this.weight, this.bias);
  }
  protected override get typeName(): string {
    return this.weight ? 'Linear' : 'LazyLinear';
  }
  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.useBias ? 'True' : 'False'}`;
  }
}

export class Bilinear extends Module {
  weight!: Parameter;
  bias!: Parameter | null;
  constructor(
    public in1Features: number,
    public in2Features: number,
    public outFeatures: number,
    opts?: FactoryOptions,
  ) {
    super();
    const f = { dtype: opts?.dtype ?? 'float32', device: opts?.device ?? 'cpu' } as const;
    this.weight = new Parameter(empty([outFeatures, in1Features, in2Features], f));
    this.bias = opts?.bias === false ? null : new Parameter(empty([outFeatures], f));
    const bound = 1 / Math.sqrt(in1Features);
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
