// Dropout modules (handbook 5.5): active in train mode, the identity in eval mode.
import type { Tensor } from '@kindling/tensor';
import { Module } from '../module.js';
import { type PyArgs, pyArgs } from '../args.js';
import * as F from '../functional/dropout.js';

export interface DropoutModuleOptions {
  p?: number;
  inplace?: boolean;
}

abstract class DropoutBase extends Module {
  readonly p: number;
  readonly inplace: boolean;
  constructor(...args: PyArgs<[p: number, inplace: boolean], DropoutModuleOptions>) {
    super();
    ({ p: this.p, inplace: this.inplace } = pyArgs(new.target.name, args, ['p', 'inplace'], { p: 0.5, inplace: false }));
    if (!(this.p >= 0 && this.p <= 1)) throw new Error(`dropout probability has to be between 0 and 1, but got ${this.p}`);
  }
  protected get opts(): F.DropoutOptions {
    return { p: this.p, training: this.training, inplace: this.inplace };
  }
  override extraRepr(): string {
    return `p=${this.p}, inplace=${this.inplace ? 'True' : 'False'}`;
  }
}
export class Dropout extends DropoutBase {
  override forward(x: Tensor): Tensor {
    return F.dropout(x, this.opts);
  }
}
export class Dropout1d extends DropoutBase {
  override forward(x: Tensor): Tensor {
    return F.dropout1d(x, this.opts);
  }
}
export class Dropout2d extends DropoutBase {
  override forward(x: Tensor): Tensor {
    return F.dropout2d(x, this.opts);
  }
}
export class Dropout3d extends DropoutBase {
  override forward(x: Tensor): Tensor {
    return F.dropout3d(x, this.opts);
  }
}
export class AlphaDropout extends DropoutBase {
  override forward(x: Tensor): Tensor {
    return F.alphaDropout(x, this.opts);
  }
}
export class FeatureAlphaDropout extends DropoutBase {
  override forward(x: Tensor): Tensor {
    return F.featureAlphaDropout(x, this.opts);
  }
}
