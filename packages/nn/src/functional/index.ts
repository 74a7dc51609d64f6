// nn.functional, imported as F: `import { functional as F } from '@kindling/nn'`.
import { type Tensor, zeros } from '@kindling/tensor';

export * from './activation.js';
export * from './dropout.js';
export * from './linear.js';
export * from './normalization.js';
export * from './embedding.js';
export * from './loss.js';

/** `F.one_hot(indices, numClasses = -1)`: int64 one-hot vectors in a new last dim. */
export function oneHot(indices: Tensor, numClasses = -1): Tensor {
  if (indices.dtype !== 'int64') throw new Error('one_hot is only applicable to index tensor.');
  const n = numClasses < 0 ? Number(indices.max().item()) + 1 : numClasses;
  if (indices.numel() > 0 && (Number(indices.min().item()) < 0 || Number(indices.max().item()) >= n)) {
    throw new Error('Class values must be smaller than num_classes.');
  }
  return zeros([...indices.shape, n], { dtype: 'int64', device: indices.device }).scatter(-1, indices.unsqueeze(-1), 1);
}
