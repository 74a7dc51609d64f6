import { type Tensor, ShapeError } from '@kindling/tensor';
import { encodeShared } from '../codec.js';
import { Dataset } from '../dataset.js';
import { type DatasetRecipe, toRecipe } from '../recipe.js';

/**
 * `TensorDataset(*tensors)`: sample `i` is `[t0[i], t1[i], …]`, views into the tensors (no copy).
 * In worker threads the tensors are shared memory, copied once for all workers.
 */
export class TensorDataset extends Dataset<Tensor[]> {
  readonly tensors: readonly Tensor[];

  constructor(...tensors: Tensor[]) {
    super();
    if (tensors.length === 0) throw new TypeError('TensorDataset needs at least one tensor');
    const n = tensors[0]!.shape[0];
    for (const t of tensors) {
      if (t.ndim === 0 || t.shape[0] !== n) {
        throw new ShapeError(
          `Size mismatch between tensors: TensorDataset needs tensors with the same first dimension, got shapes ${tensors.map((x) => `[${x.shape.join(', ')}]`).join(', ')}`,
        );
      }
    }
    this.tensors = tensors;
  }

  get length(): number {
    return this.tensors[0]!.shape[0]!;
  }

  getItem(index: number): Tensor[] {
    return this.tensors.map((t) => t.index(index));
  }

  [toRecipe](): DatasetRecipe {
    return { kind: 'tensors', tensors: this.tensors.map(encodeShared) };
  }
}
