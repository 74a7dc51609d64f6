// RMSprop (centered, momentum, weight decay, maximize): PyTorch 1.13's _single_tensor_rmsprop.
import { type Tensor, zerosLike } from '@kindling/tensor';
import * as autograd from '@kindling/autograd';
import { check, type Closure, mergeOptions, Optimizer, type OptimizerOptions, type Params, refuseUnsupported } from './optimizer.js';
import { addcdiv_, addcmul, addcmul_ } from './pointwise.js';

export interface RMSpropOptions extends OptimizerOptions {
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
  maximize: boolean;
  /** Accepted for PyTorch compatibility; Kindling always runs the per-tensor loop. */
  foreach: boolean | null;
  differentiable: boolean;
}

export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params: Params<RMSpropOptions>, lrOrOptions?: number | Partial<RMSpropOptions>, options?: Partial<RMSpropOptions>) {
    const o = mergeOptions(lrOrOptions, options);
    refuseUnsupported('RMSprop', o);
    super(params, {
      lr: o.lr ?? 1e-2,
      momentum: o.momentum ?? 0,
      alpha: o.alpha ?? 0.99,
      eps: o.eps ?? 1e-8,
      centered: o.centered ?? false,
      weightDecay: o.weightDecay ?? 0,
      foreach: o.foreach ?? null,
      maximize: o.maximize ?? false,
      differentiable: false,
    });
  }

  protected validate(g: RMSpropOptions): void {
    check(g.lr >= 0, 'learning rate', g.lr);
    check(g.eps >= 0, 'epsilon value', g.eps);
    check(g.momentum >= 0, 'momentum value', g.momentum);
    check(g.weightDecay >= 0, 'weight_decay value', g.weightDecay);
    check(g.alpha >= 0, 'alpha value', g.alpha);
  }

  step<L extends Tensor | number>(closure?: Closure<L>): L | undefined {
    const loss = this.evaluate(closure);
    autograd.noGrad(() => {
      for (const group of this.paramGroups) {
        const { lr, alpha, eps, weightDecay, momentum, centered, maximize } = group;
        for (const param of this.withGrad(group)) {
          const state = this.stateOf(param);
          if (state['step'] === undefined) {
            state['step'] = 0;
            state['square_avg'] = zerosLike(param);
            if (momentum > 0) state['momentum_buffer'] = zerosLike(param);
            if (centered) state['grad_avg'] = zerosLike(param);
          }
          // RMSprop's step stays a plain number in PyTorch 1.13 too.
          state['step'] = (state['step'] as number) + 1;
          let grad = maximize ? param.grad!.neg() : param.grad!;
          if (weightDecay !== 0) grad = grad.add(param, { alpha: weightDecay });
          const squareAvg = state['square_avg'] as Tensor;
          addcmul_(squareAvg.mul_(alpha), grad, grad, 1 - alpha);
          let avg: Tensor;
          if (centered) {
            const gradAvg = (state['grad_avg'] ??= zerosLike(param)) as Tensor;
            gradAvg.mul_(alpha).add_(grad, { alpha: 1 - alpha });
            avg = addcmul(squareAvg, gradAvg, gradAvg, -1).sqrt_();
          } else {
            avg = squareAvg.sqrt();
          }
          avg = avg.add_(eps);
          if (momentum > 0) {
            const buf = (state['momentum_buffer'] ??= zerosLike(param)) as Tensor;
            addcdiv_(buf.mul_(momentum), grad, avg);
            param.add_(buf, { alpha: -lr });
          } else {
            addcdiv_(param, grad, avg, -lr);
          }
        }
      }
    });
    return loss;
  }
}
