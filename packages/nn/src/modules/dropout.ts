import type { Tensor } from '@kindling/tensor';
import { Module } from '../module.js';
import * as F from '../functional/dropout.js';

abstract class DropoutBase extends Module {
  readonly p: number;
  readonly inplace: boolean;
  constructor(p: number | { p?: number; inplace?: boolean } = 0.5, inplace = false) {
    super();
    this.p = typeof p === 'number' ? p : p.p ?? 0.5;
    this.inplace = typeof p === 'number' ? inplace : p.inplace ?? false;
    if (this.p < 0 || this.p > 1) throw new Error(`dropout probability has to be between 0 and 1, but got ${this.p}`);
  }
  override extraRepr(): string {
    return `p=${this.p}, inplace=${this.inplace ? 'True' : 'False'}`;
  }
}
export class Dropout extends DropoutBase {
  override forward(x: Tensor): Tensor {
    return F.dropout(x, { p: this.p, training: this.training, inplace: this.inplace });
  }
}
export class Dropout1d extends DropoutBase {
  override forward(x: Tensor): Tensor {
    return F.dropout1d(x, { p: this.p, training: this.training, inplace: this.inplace });
  }
}
export class Dropout2d extends DropoutBase {
  override forward(x: Tensor): Tensor {
    return F.dropout2d(x, { p: this.p, training: this.training, inplace: this.inplace });
  }
}
export class Dropout3d extends DropoutBase {
  override forward(x: Tensor): Tensor {
    return F.dropout3d(x, { p: this.p, training: this.training, inplace: this.inplace });
  }
}
export class AlphaDropout extends DropoutBase {
  override forward(x: Tensor): Tensor {
    return F.alphaDropout(x, { p: this.p, training: this.training });
  }
}
