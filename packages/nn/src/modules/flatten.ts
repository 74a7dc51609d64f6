// nn.Flatten / nn.Unflatten: shape changes as modules, for use inside Sequential.
import type { Tensor } from '@kindling/tensor';
import { Module } from '../module.js';
import { type PyArgs, need, pyArgs } from '../args.js';

/** `nn.Flatten(startDim = 1, endDim = -1)`: keeps the batch dim by default. */
export class Flatten extends Module {
  readonly startDim: number;
  readonly endDim: number;
  constructor(...args: PyArgs<[startDim: number, endDim: number], { startDim?: number; endDim?: number }>) {
    super();
    ({ startDim: this.startDim, endDim: this.endDim } = pyArgs('Flatten', args, ['startDim', 'endDim'], { startDim: 1, endDim: -1 }));
  }
  override forward(x: Tensor): Tensor {
    return x.flatten(this.startDim, this.endDim);
  }
  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}

/** `nn.Unflatten(dim, unflattenedSize)`: splits one dim into several (one may be −1). */
export class Unflatten extends Module {
  readonly dim: number;
  readonly unflattenedSize: readonly number[];
  constructor(...args: PyArgs<[dim: number, unflattenedSize: readonly number[]], { dim?: number; unflattenedSize?: readonly number[] }>) {
    super();
    const o = pyArgs('Unflatten', args, ['dim', 'unflattenedSize'], { dim: undefined as number | undefined, unflattenedSize: undefined as readonly number[] | undefined });
    this.dim = need('Unflatten', 'dim', o.dim);
    this.unflattenedSize = [...need('Unflatten', 'unflattenedSize', o.unflattenedSize)];
  }
  override forward(x: Tensor): Tensor {
    return x.unflatten(this.dim, this.unflattenedSize);
  }
  override extraRepr(): string {
    const s = this.unflattenedSize;
    return `dim=${this.dim}, unflattened_size=(${s.join(', ')}${s.length === 1 ? ',' : ''})`;
  }
}
