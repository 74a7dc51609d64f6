// Adadelta (rho, eps, weight decay, maximize): PyTorch 1.13's _single_tensor_adadelta.
import { type Tensor, zerosLike } from '@kindling/tensor';
import * as autograd from '@kindling/autograd';
import { check, type Closure, mergeOptions, Optimizer, type OptimizerOptions, type Params } from './optimizer.js';
import { addcmul_ } from './pointwise.js';

export interface AdadeltaOptions extends OptimizerOptions {
  rho: number;
  eps: number;
  weightDecay: number;
  maximize: boolean;
  /** Accepted for PyTorch compatibility; Kindling always runs the per-tensor loop. */
  foreach: boolean | null;
}

export class Adadelta extends Optimizer<AdadeltaOptions> {
  constructor(params: Params<AdadeltaOptions>, lrOrOptions?: number | Partial<AdadeltaOptions>, options?: Partial<AdadeltaOptions>) {
    const o = mergeOptions(lrOrOptions, options);
    super(params, {
      lr: o.lr ?? 1.0,
      rho: o.rho ?? 0.9,
      eps: o.eps ?? 1e-6,
      weightDecay: o.weightDecay ?? 0,
      maximize: o.maximize ?? false,
      foreach: o.foreach ?? null,
    });
  }

  protected validate(g: AdadeltaOptions): void {
    check(g.lr >= 0, 'learning rate', g.lr);
    check(g.rho >= 0 && g.rho <= 1, 'rho value', g.rho);
    check(g.eps >= 0, 'epsilon value', g.eps);
    check(g.weightDecay >= 0, 'weight_decay value', g.weightDecay);
  }

  step<L extends Tensor | number>(closure?: Closure<L>): L | undefined {
    const loss = this.evaluate(closure);
    autograd.noGrad(() => {
      for (const group of this.paramGroups) {
        const { lr, rho, eps, weightDecay, maximize } = group;
        for (const param of this.withGrad(group)) {
          const state = this.stateOf(param);
          if (state['step'] === undefined) {
            state['step'] = 0;
            state['square_avg'] = zerosLike(param);
            state['acc_delta'] = zerosLike(param);
          }
          state['step'] = (state['step'] as number) + 1;
          let grad = maximize ? param.grad!.neg() : param.grad!;
          if (weightDecay !== 0) grad = grad.add(param, { alpha: weightDecay });
          const squareAvg = state['square_avg'] as Tensor;
          const accDelta = state['acc_delta'] as Tensor;
          addcmul_(squareAvg.mul_(rho), grad, grad, 1 - rho);
          const std = squareAvg.add(eps).sqrt_();
          const delta = accDelta.add(eps).sqrt_().div_(std).mul_(grad);
          addcmul_(accDelta.mul_(rho), delta, delta, 1 - rho);
          param.add_(delta, { alpha: -lr });
        }
      }
    });
    return loss;
  }
}
