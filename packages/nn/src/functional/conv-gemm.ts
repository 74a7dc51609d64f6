// The GEMM of a convolution, y[n] = W · cols[n] (W: [Cout, C·∏k], cols: [N, C·∏k, L]), with a weight
// gradient that is cheap. As a broadcast matmul, autograd would form every sample's W-gradient
// ([N, Cout, C·∏k], N times the weight) and then sum them; here it is the bmm_sum op, Σₙ g[n] · cols[n]ᵀ,
// which a backend adds up in place (no copy of either operand). When the backward pass itself is being recorded
// (createGraph), the gradients are the same matmul expressions, recorded, so higher derivatives work.
import { type Tensor, dispatch1 } from '@kindling/tensor';
import { Function, type FunctionCtx, isGradEnabled } from '@kindling/autograd';

class ConvGemm extends Function {
  static override forward(ctx: FunctionCtx, weight: Tensor, cols: Tensor): Tensor {
    ctx.saveForBackward(weight, cols);
    return weight.matmul(cols);
  }

  static override backward(ctx: FunctionCtx, grad: Tensor | null): (Tensor | null)[] {
    if (!grad) return [null, null];
    const [weight, cols] = ctx.savedTensors as [Tensor, Tensor];
    const gCols = ctx.needsInputGrad[1] ? weight.mT.matmul(grad) : null;
    let gWeight: Tensor | null = null;
    if (ctx.needsInputGrad[0]) {
      if (isGradEnabled()) gWeight = grad.matmul(cols.mT).sum(0);
      else gWeight = dispatch1('bmm_sum', [grad, cols.mT]);
    }
    return [gWeight, gCols];
  }
}

/** W · cols for W [Cout, C·∏k] and cols [N, C·∏k, L]: [N, Cout, L]. */
export function convGemm(weight: Tensor, cols: Tensor): Tensor {
  return ConvGemm.apply(weight, cols) as Tensor;
}
