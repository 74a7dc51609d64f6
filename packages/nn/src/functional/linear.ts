import { type Tensor } from '@kindling/tensor';

/** `F.linear(x, W, b)` = x Wᵀ + b. */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  if (x.shape[x.ndim - 1] !== weight.shape[weight.ndim - 1]) {
    const rows = x.numel() / (x.shape[x.ndim - 1] ?? 1);
    throw new Error(`mat1 and mat2 shapes cannot be multiplied (${rows}x${x.shape[x.ndim - 1]} and ${weight.shape[1]}x${weight.shape[0]})`);
  }
  const y = x.matmul(weight.T);
  return bias ? y.add(bias) : y;
}

/** `F.bilinear(x1, x2, W, b)`: y_k = x1ᵀ W_k x2 + b_k. */
export function bilinear(x1: Tensor, x2: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  // (…, i) · (k, i, j) · (…, j): contract i first, then j.
  const left = x1.unsqueeze(-2).unsqueeze(-2).matmul(weight).squeeze(-2); // (…, k, j)
  const y = left.mul(x2.unsqueeze(-2)).sum(-1);
  return bias ? y.add(bias) : y;
}
