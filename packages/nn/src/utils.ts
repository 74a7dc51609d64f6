// nn.utils (handbook 14.2): gradient clipping and parameter/vector conversion.
import { cat, stack, type Tensor } from '@kindling/tensor';
import { noGrad } from '@kindling/autograd';

type Params = Iterable<Tensor> | Tensor;
const list = (p: Params): Tensor[] => (p instanceof Object && 'dtype' in p ? [p as Tensor] : [...(p as Iterable<Tensor>)]);

/** `clip_grad_norm_`: scale all gradients so their joint p-norm is at most maxNorm; returns the total norm. */
export function clipGradNorm_(parameters: Params, maxNorm: number, normType: number | 'inf' = 2, opts?: { errorIfNonfinite?: boolean }): Tensor {
  const grads = list(parameters).map((p) => p.grad).filter((g): g is Tensor => g !== null);
  const p = normType === 'inf' ? Infinity : normType;
  return noGrad(() => {
    if (grads.length === 0) return stack([]).sum();
    const total = p === Infinity
      ? stack(grads.map((g) => g.abs().max())).max()
      : stack(grads.map((g) => g.norm(p))).norm(p);
    if (opts?.errorIfNonfinite && !(total.isfinite().item() as boolean)) {
      throw new Error(`The total norm of order ${p} for gradients from \`parameters\` is non-finite, so it cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, set \`error_if_nonfinite=False\``);
    }
    // PyTorch always multiplies, by the coefficient clamped to at most 1.
    const coef = total.add(1e-6).reciprocal().mul(maxNorm).clamp(null, 1);
    for (const g of grads) g.mul_(coef);
    return total;
  });
}

/** `clip_grad_value_`: clamp every gradient element to [−clipValue, clipValue]. */
export function clipGradValue_(parameters: Params, clipValue: number): void {
  noGrad(() => {
    for (const p of list(parameters)) if (p.grad) p.grad.clamp_(-clipValue, clipValue);
  });
}

/** All parameters flattened into one vector. */
export function parametersToVector(parameters: Params): Tensor {
  return cat(list(parameters).map((p) => p.reshape(-1)));
}

/** Copy a vector's slices back into the parameters (in place). */
export function vectorToParameters(vec: Tensor, parameters: Params): void {
  if (vec.ndim !== 1) throw new Error(`expected torch.Tensor, but got: ${vec.ndim}D tensor`);
  let offset = 0;
  noGrad(() => {
    for (const p of list(parameters)) {
      const n = p.numel();
      p.copy_(vec.narrow(0, offset, n).view(p.shape));
      offset += n;
    }
  });
}
