// Batch normalisation in training as one autograd node over the fused ops (batch_norm_elemt forward,
// batch_norm_backward backward), as PyTorch's NativeBatchNormBackward0: autograd would otherwise
// record and keep about ten full-size intermediates per layer. The batch statistics are computed
// outside the node (they feed the running averages too); the backward op's input gradient already
// includes their dependence on x. When the backward pass itself is recorded (createGraph), the
// gradients are written in recorded ops, statistics recomputed from x, so higher derivatives work.
import { type Tensor, dispatch, dispatch1, getOp } from '@kindling/tensor';
import { Function, type FunctionCtx, isGradEnabled } from '@kindling/autograd';

class NativeBatchNorm extends Function {
  static override forward(ctx: FunctionCtx, x: Tensor, weight: Tensor | null, bias: Tensor | null, mean: Tensor, invstd: Tensor, eps: number): Tensor {
    ctx.saveForBackward(x, mean, invstd, ...(weight ? [weight] : []));
    ctx['eps'] = eps;
    const inputs = [x, mean, invstd, ...(weight ? [weight] : []), ...(bias ? [bias] : [])];
    return dispatch1('batch_norm_elemt', inputs, { weight: !!weight, bias: !!bias });
  }

  static override backward(ctx: FunctionCtx, grad: Tensor | null): (Tensor | null)[] {
    if (!grad) return [null, null, null, null, null, null];
    const [x, mean, invstd, weight = null] = ctx.savedTensors as [Tensor, Tensor, Tensor, Tensor?];
    const [needX, needW, needB] = ctx.needsInputGrad as [boolean, boolean, boolean];
    if (isGradEnabled()) return [...recordedGradients(grad, x, weight, ctx['eps'] as number, [needX, needW, needB]), null, null, null];
    const [dx, dw, db] = dispatch('batch_norm_backward', [grad, x, mean, invstd, ...(weight ? [weight] : [])], { weight: !!weight });
    if (!needW) dw!.dispose();
    if (!needB) db!.dispose();
    return [needX ? dx! : null, needW ? dw! : null, needB ? db! : null, null, null, null];
  }
}

/**
 * The gradients as recorded tensor ops of x, for createGraph: the statistics and the backward op taken
 * through their decompositions (the same formulas the ops define), recorded, so x's statistics are
 * differentiated too.
 */
function recordedGradients(g: Tensor, x: Tensor, weight: Tensor | null, eps: number, need: [boolean, boolean, boolean]): (Tensor | null)[] {
  const [mean, variance] = getOp('batch_norm_stats').decompose!([x], {}) as [Tensor, Tensor];
  const invstd = variance.add(eps).rsqrt();
  const grads = getOp('batch_norm_backward').decompose!([g, x, mean, invstd, ...(weight ? [weight] : [])], { weight: !!weight });
  return grads.map((t, i) => (need[i] ? t : null));
}

/**
 * Normalise x [N, C, *] with its batch statistics `mean` and `invstd` ([C], not requiring grad), then
 * scale and shift: one differentiable node for x, weight and bias.
 */
export function batchNormTrain(x: Tensor, weight: Tensor | null, bias: Tensor | null, mean: Tensor, invstd: Tensor, eps: number): Tensor {
  return NativeBatchNorm.apply(x, weight, bias, mean, invstd, eps) as Tensor;
}
