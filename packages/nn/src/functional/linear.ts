import { type Tensor, autocastOp } from '@kindling/tensor';
import { type PyArgs, pyArgs } from '../args.js';

/** `F.linear(x, W, b)` = x Wᵀ + b, W of shape [out, in]. */
export function linear(x: Tensor, weight: Tensor, ...args: PyArgs<[bias: Tensor | null | undefined], { bias?: Tensor | null }>): Tensor {
  const { bias } = pyArgs('linear', args, ['bias'], { bias: null as Tensor | null | undefined });
  const inF = weight.shape[weight.ndim - 1];
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== inF) {
    const rows = x.ndim === 0 ? 1 : x.numel() / (x.shape[x.ndim - 1] || 1);
    throw new Error(`mat1 and mat2 shapes cannot be multiplied (${rows}x${x.shape[x.ndim - 1] ?? 1} and ${weight.shape[1] ?? 1}x${weight.shape[0]})`);
  }
  // Under autocast, one lower-precision op (PyTorch's list has `linear`): bf16(x·wᵀ + b), accumulated in float32.
  return autocastOp('linear', [x, weight, bias] as const, (xi, w, b) => {
    const y = xi.matmul(w.ndim === 2 ? w.T : w);
    return b ? y.add(b) : y;
  });
}

/** `F.bilinear(x1, x2, W, b)`: y_k = x1ᵀ W_k x2 + b_k, W of shape [out, in1, in2]. */
export function bilinear(x1: Tensor, x2: Tensor, weight: Tensor, ...args: PyArgs<[bias: Tensor | null | undefined], { bias?: Tensor | null }>): Tensor {
  const { bias } = pyArgs('bilinear', args, ['bias'], { bias: null as Tensor | null | undefined });
  if (x1.shape[x1.ndim - 1] !== weight.shape[1]) throw new Error(`bilinear(): input1 size does not match weight size: got ${x1.shape[x1.ndim - 1]} but expected ${weight.shape[1]}`);
  if (x2.shape[x2.ndim - 1] !== weight.shape[2]) throw new Error(`bilinear(): input2 size does not match weight size: got ${x2.shape[x2.ndim - 1]} but expected ${weight.shape[2]}`);
  // (…, i) · (k, i, j) · (…, j): contract i first, then j.
  const left = x1.unsqueeze(-2).unsqueeze(-2).matmul(weight).squeeze(-2); // (…, k, j)
  const y = left.mul(x2.unsqueeze(-2)).sum(-1);
  return bias ? y.add(bias) : y;
}
