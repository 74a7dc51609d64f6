import { type Tensor, zeros } from '@kindling/tensor';
import { type PyArgs, pyArgs } from '../args.js';

/** `F.one_hot(indices, numClasses = -1)`: int64 one-hot vectors in a new last dim (-1: max + 1). */
export function oneHot(indices: Tensor, ...args: PyArgs<[numClasses: number], { numClasses?: number }>): Tensor {
  const { numClasses } = pyArgs('one_hot', args, ['numClasses'], { numClasses: -1 });
  if (indices.dtype !== 'int64') throw new Error('one_hot is only applicable to index tensor.');
  if (indices.numel() === 0) {
    if (numClasses <= 0) throw new Error('Can not infer total number of classes from empty tensor.');
    return zeros([...indices.shape, numClasses], { dtype: 'int64', device: indices.device });
  }
  if (Number(indices.min().item()) < 0) throw new Error('Class values must be non-negative.');
  const max = Number(indices.max().item());
  const n = numClasses < 0 ? max + 1 : numClasses;
  if (max >= n) throw new Error('Class values must be smaller than num_classes.');
  return zeros([...indices.shape, n], { dtype: 'int64', device: indices.device }).scatter(-1, indices.unsqueeze(-1), 1);
}
