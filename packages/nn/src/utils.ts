// nn.utils (handbook 14.2): gradient clipping and parameter/vector conversion.
import { cat, getDefaultDtype, stack, type Tensor, tensor } from '@kindling/tensor';
import { noGrad } from '@kindling/autograd';
import { pyFloat } from './pyrepr.js';

type Params = Iterable<Tensor> | Tensor;
const list = (p: Params): Tensor[] => (p instanceof Object && 'dtype' in p ? [p as Tensor] : [...(p as Iterable<Tensor>)]);

export interface ClipGradNormOptions {
  normType?: number | 'inf';
  errorIfNonfinite?: boolean;
}

/**
 * `clip_grad_norm_(parameters, maxNorm, normType = 2)`: scale all gradients in place so that their joint
 * p-norm is at most maxNorm; returns the total norm (before clipping), as PyTorch 1.13.
 */
export function clipGradNorm_(parameters: Params, maxNorm: number, normType: number | 'inf' | ClipGradNormOptions = 2, opts?: ClipGradNormOptions): Tensor {
  const o = typeof normType === 'object' ? normType : { ...opts, normType };
  const p = o.normType === 'inf' ? Infinity : (o.normType ?? 2);
  const grads = list(parameters).map((t) => t.grad).filter((g): g is Tensor => g !== null);
  if (grads.length === 0) return tensor(0, { dtype: getDefaultDtype() });
  return noGrad(() => {
    const total = p === Infinity
      ? (grads.length === 1 ? grads[0]!.abs().max() : stack(grads.map((g) => g.abs().max())).max())
      : stack(grads.map((g) => g.norm(p))).norm(p);
    if (o.errorIfNonfinite && !(total.isfinite().item() as boolean)) {
      throw new Error(`The total norm of order ${pyFloat(p)} for gradients from \`parameters\` is non-finite, so it cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, set \`error_if_nonfinite=False\``);
    }
    // maxNorm / (total + 1e-6), clamped to at most 1, written as PyTorch evaluates it (reciprocal · maxNorm).
    const coef = total.add(1e-6).reciprocal().mul(maxNorm).clamp(null, 1);
    for (const g of grads) g.mul_(coef);
    return total;
  });
}

/** `clip_grad_value_(parameters, clipValue)`: clamp every gradient element to [−clipValue, clipValue]. */
export function clipGradValue_(parameters: Params, clipValue: number): void {
  noGrad(() => {
    for (const p of list(parameters)) if (p.grad) p.grad.clamp_(-clipValue, clipValue);
  });
}

/** `parameters_to_vector`: all parameters flattened into one vector (differentiable, as PyTorch's view + cat). */
export function parametersToVector(parameters: Params): Tensor {
  return cat(list(parameters).map((p) => p.reshape(-1)));
}

/** `vector_to_parameters(vec, parameters)`: copy consecutive slices of vec into the parameters. */
export function vectorToParameters(vec: Tensor, parameters: Params): void {
  if (!(vec instanceof Object && 'dtype' in vec)) {
    throw new TypeError(`expected torch.Tensor, but got: ${Array.isArray(vec) ? 'list' : typeof vec}`);
  }
  const ps = list(parameters);
  const total = ps.reduce((n, p) => n + p.numel(), 0);
  if (vec.numel() !== total) throw new Error(`vector_to_parameters: vec has ${vec.numel()} elements but the parameters have ${total}`);
  let offset = 0;
  noGrad(() => {
    for (const p of ps) {
      const n = p.numel();
      p.copy_(vec.reshape(-1).narrow(0, offset, n).view(p.shape));
      offset += n;
    }
  });
}
export * as rnn from './utils/rnn.js';
