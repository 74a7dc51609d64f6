// Dropout (handbook 5.5), drawing its masks exactly as PyTorch 1.13's CPU `_dropout_impl` does: a
// noise tensor of the input's shape (or (N, C, 1, …) for channel dropout) filled by bernoulli_(1 − p)
// from the default generator, so `torch.manualSeed(s)` gives PyTorch's masks.
import { type Tensor, empty } from '@kindling/tensor';
import { noGrad } from '@kindling/autograd';
import { type PyArgs, pyArgs } from '../args.js';

export interface DropoutOptions {
  p?: number;
  training?: boolean;
  inplace?: boolean;
}
type DropoutArgs = PyArgs<[p: number, training: boolean, inplace: boolean], DropoutOptions>;

function parse(fn: string, args: DropoutArgs, trainingDefault = true): Required<DropoutOptions> {
  const o = pyArgs(fn, args, ['p', 'training', 'inplace'], { p: 0.5, training: trainingDefault, inplace: false });
  if (!(o.p >= 0 && o.p <= 1)) throw new Error(`dropout probability has to be between 0 and 1, but got ${o.p}`);
  return o;
}

/** `at::native::_dropout_impl`: plain or channel-wise ("feature") noise, scaled or alpha-corrected. */
function dropoutImpl(x: Tensor, o: Required<DropoutOptions>, feature: boolean, alpha: boolean): Tensor {
  if (o.p === 0 || !o.training || x.numel() === 0) return x;
  if (o.p === 1) return o.inplace ? x.mul_(0) : x.mul(0);
  if (feature && x.ndim < 2) throw new Error('Feature dropout requires at least 2 dimensions in the input');
  const shape = feature ? [x.shape[0]!, x.shape[1]!, ...new Array<number>(x.ndim - 2).fill(1)] : [...x.shape];
  const noise = empty(shape, { dtype: x.dtype, device: x.device });
  let b: Tensor | null = null;
  noGrad(() => {
    noise.bernoulli_(1 - o.p);
    if (alpha) {
      const ALPHA = 1.7580993408473766;
      const a = 1 / Math.sqrt((ALPHA * ALPHA * o.p + 1) * (1 - o.p));
      b = noise.add(-1).mul_(ALPHA * a).add_(ALPHA * a * o.p);
      noise.mul_(a);
    } else {
      noise.div_(1 - o.p);
    }
  });
  let y = o.inplace ? x.mul_(noise) : x.mul(noise);
  if (b) y = o.inplace ? y.add_(b) : y.add(b);
  return y;
}

/** `F.dropout(x, p = 0.5, training = true, inplace = false)`: zero elements with probability p, scale the rest by 1/(1 − p). */
export function dropout(x: Tensor, ...args: DropoutArgs): Tensor {
  return dropoutImpl(x, parse('dropout', args), false, false);
}

/** Runs `impl` on x with a batch dim added when x has `unbatchedDims` dims, as PyTorch's dropout1d/3d. */
function withBatch(x: Tensor, unbatchedDims: number, o: Required<DropoutOptions>, impl: (t: Tensor) => Tensor): Tensor {
  if (x.ndim !== unbatchedDims) return impl(x);
  if (!o.inplace) return impl(x.unsqueeze(0)).squeeze(0);
  impl(x.unsqueeze(0));
  return x;
}

/** `F.dropout1d`: one draw per (N, C) of (N, C, L) input, or per C of (C, L). */
export function dropout1d(x: Tensor, ...args: DropoutArgs): Tensor {
  const o = parse('dropout1d', args);
  if (x.ndim !== 2 && x.ndim !== 3) {
    throw new Error(`dropout1d: Expected 2D or 3D input, but received a ${x.ndim}D input. Note that dropout1d exists to provide channel-wise dropout on inputs with 1 spatial dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D inputs).`);
  }
  return withBatch(x, 2, o, (t) => dropoutImpl(t, o, true, false));
}
/**
 * `F.dropout2d`: one draw per (N, C). PyTorch 1.13 treats 3-D input as (N, C, L) (with a warning
 * there), not as unbatched (C, H, W); we keep its behaviour so results agree.
 */
export function dropout2d(x: Tensor, ...args: DropoutArgs): Tensor {
  return dropoutImpl(x, parse('dropout2d', args), true, false);
}
/** `F.dropout3d`: one draw per (N, C) of (N, C, D, H, W), or per C of unbatched (C, D, H, W). */
export function dropout3d(x: Tensor, ...args: DropoutArgs): Tensor {
  const o = parse('dropout3d', args);
  return withBatch(x, 4, o, (t) => dropoutImpl(t, o, true, false));
}

/** `F.alpha_dropout` (for SELU): dropped units go to SELU's saturation value, with PyTorch's affine correction. Its `training` defaults to false, as PyTorch's. */
export function alphaDropout(x: Tensor, ...args: DropoutArgs): Tensor {
  return dropoutImpl(x, parse('alpha_dropout', args, false), false, true);
}
/** `F.feature_alpha_dropout`: alpha dropout of whole channels. */
export function featureAlphaDropout(x: Tensor, ...args: DropoutArgs): Tensor {
  return dropoutImpl(x, parse('feature_alpha_dropout', args, false), true, true);
}
