import { full, type Tensor } from '@kindling/tensor';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import * as F from '../functional/activation.js';

const ip = (inplace: boolean) => (inplace ? 'inplace=True' : '');

export class ReLU extends Module {
  constructor(readonly inplace = false) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return F.relu(x, { inplace: this.inplace });
  }
  override extraRepr(): string {
    return ip(this.inplace);
  }
}
export class ReLU6 extends Module {
  constructor(readonly inplace = false) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return F.relu6(x, { inplace: this.inplace });
  }
  override extraRepr(): string {
    return ip(this.inplace);
  }
}
export class LeakyReLU extends Module {
  readonly negativeSlope: number;
  readonly inplace: boolean;
  constructor(negativeSlope: number | { negativeSlope?: number; inplace?: boolean } = 0.01, inplace = false) {
    super();
    this.negativeSlope = typeof negativeSlope === 'number' ? negativeSlope : negativeSlope.negativeSlope ?? 0.01;
    this.inplace = typeof negativeSlope === 'number' ? inplace : negativeSlope.inplace ?? false;
  }
  override forward(x: Tensor): Tensor {
    return F.leakyRelu(x, { negativeSlope: this.negativeSlope, inplace: this.inplace });
  }
  override extraRepr(): string {
    return `negative_slope=${this.negativeSlope}${this.inplace ? ', inplace=True' : ''}`;
  }
}
/** PReLU: one learnable slope (or one per channel), initialised to 0.25. */
export class PReLU extends Module {
  weight: Parameter;
  constructor(readonly numParameters = 1, init = 0.25) {
    super();
    this.weight = new Parameter(full([numParameters], init, { dtype: 'float32' }));
  }
  override forward(x: Tensor): Tensor {
    return F.prelu(x, this.weight);
  }
  override extraRepr(): string {
    return `num_parameters=${this.numParameters}`;
  }
}
export class ELU extends Module {
  readonly alpha: number;
  readonly inplace: boolean;
  constructor(alpha: number | { alpha?: number; inplace?: boolean } = 1, inplace = false) {
    super();
    this.alpha = typeof alpha === 'number' ? alpha : alpha.alpha ?? 1;
    this.inplace = typeof alpha === 'number' ? inplace : alpha.inplace ?? false;
  }
  override forward(x: Tensor): Tensor {
    return F.elu(x, { alpha: this.alpha, inplace: this.inplace });
  }
  override extraRepr(): string {
    return `alpha=${formatFloat(this.alpha)}${this.inplace ? ', inplace=True' : ''}`;
  }
}
export class CELU extends Module {
  constructor(readonly alpha = 1) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return F.celu(x, this.alpha);
  }
  override extraRepr(): string {
    return `alpha=${formatFloat(this.alpha)}`;
  }
}
export class SELU extends Module {
  constructor(readonly inplace = false) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return F.selu(x, { inplace: this.inplace });
  }
  override extraRepr(): string {
    return ip(this.inplace);
  }
}
export class GELU extends Module {
  readonly approximate: 'none' | 'tanh';
  constructor(opts: { approximate?: 'none' | 'tanh' } | 'none' | 'tanh' = {}) {
    super();
    this.approximate = typeof opts === 'string' ? opts : opts.approximate ?? 'none';
  }
  override forward(x: Tensor): Tensor {
    return F.gelu(x, { approximate: this.approximate });
  }
  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}
export class SiLU extends Module {
  constructor(readonly inplace = false) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return F.silu(x, { inplace: this.inplace });
  }
  override extraRepr(): string {
    return ip(this.inplace);
  }
}
/** Swish is SiLU. */
export const Swish = SiLU;
export class Mish extends Module {
  constructor(readonly inplace = false) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return F.mish(x, { inplace: this.inplace });
  }
  override extraRepr(): string {
    return ip(this.inplace);
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
export class Softmax extends Module {
  constructor(readonly dim?: number) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return F.softmax(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim ?? 'None'}`;
  }
}
export class LogSoftmax extends Module {
  constructor(readonly dim?: number) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return F.logSoftmax(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim ?? 'None'}`;
  }
}
export class Softmin extends Module {
  constructor(readonly dim?: number) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return F.softmin(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim ?? 'None'}`;
  }
}
export class Softplus extends Module {
  readonly beta: number;
  readonly threshold: number;
  constructor(beta: number | { beta?: number; threshold?: number } = 1, threshold = 20) {
    super();
    this.beta = typeof beta === 'number' ? beta : beta.beta ?? 1;
    this.threshold = typeof beta === 'number' ? threshold : beta.threshold ?? 20;
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
  constructor(minVal: number | { minVal?: number; maxVal?: number; inplace?: boolean } = -1, maxVal = 1, inplace = false) {
    super();
    this.minVal = typeof minVal === 'number' ? minVal : minVal.minVal ?? -1;
    this.maxVal = typeof minVal === 'number' ? maxVal : minVal.maxVal ?? 1;
    this.inplace = typeof minVal === 'number' ? inplace : minVal.inplace ?? false;
  }
  override forward(x: Tensor): Tensor {
    return F.hardtanh(x, { minVal: this.minVal, maxVal: this.maxVal, inplace: this.inplace });
  }
  override extraRepr(): string {
    return `min_val=${formatFloat(this.minVal)}, max_val=${formatFloat(this.maxVal)}${this.inplace ? ', inplace=True' : ''}`;
  }
}
export class Hardswish extends Module {
  constructor(readonly inplace = false) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return F.hardswish(x, { inplace: this.inplace });
  }
}
export class Hardsigmoid extends Module {
  constructor(readonly inplace = false) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return F.hardsigmoid(x, { inplace: this.inplace });
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
export class GLU extends Module {
  constructor(readonly dim = -1) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return F.glu(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** Python's repr of a float: `1.0`, `0.5`. */
export function formatFloat(x: number): string {
  return Number.isInteger(x) ? `${x}.0` : String(x);
}
