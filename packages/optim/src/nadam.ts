// NAdam: Adam with Nesterov momentum and a momentum schedule (momentum_decay). PyTorch 1.13's
// _single_tensor_nadam.
import { type Tensor, zerosLike } from '@kindling/tensor';
import * as autograd from '@kindling/autograd';
import { validateAdamLike } from './adam.js';
import { check, type Closure, mergeOptions, Optimizer, type OptimizerOptions, type ParamState, type Params, type StateValue } from './optimizer.js';
import { addcdiv_, addcmul_ } from './pointwise.js';
import { stepFromDict, stepToDict } from './step-count.js';

export interface NAdamOptions extends OptimizerOptions {
  betas: [number, number];
  eps: number;
  weightDecay: number;
  momentumDecay: number;
  /** Accepted for PyTorch compatibility; Kindling always runs the per-tensor loop. */
  foreach: boolean | null;
}

const SCALARS = ['step', 'mu_product'] as const;

export class NAdam extends Optimizer<NAdamOptions> {
  constructor(params: Params<NAdamOptions>, lrOrOptions?: number | Partial<NAdamOptions>, options?: Partial<NAdamOptions>) {
    const o = mergeOptions(lrOrOptions, options);
    super(params, {
      lr: o.lr ?? 2e-3,
      betas: o.betas ?? [0.9, 0.999],
      eps: o.eps ?? 1e-8,
      weightDecay: o.weightDecay ?? 0,
      momentumDecay: o.momentumDecay ?? 4e-3,
      foreach: o.foreach ?? null,
    });
  }

  protected validate(g: NAdamOptions): void {
    validateAdamLike(g);
    check(g.momentumDecay >= 0, 'momentum_decay value', g.momentumDecay);
  }

  step<L extends Tensor | number>(closure?: Closure<L>): L | undefined {
    const loss = this.evaluate(closure);
    autograd.noGrad(() => {
      for (const group of this.paramGroups) {
        const [beta1, beta2] = group.betas;
        const { lr, eps, weightDecay, momentumDecay } = group;
        for (const param of this.withGrad(group)) {
          const state = this.stateOf(param);
          if (state['step'] === undefined) {
            state['step'] = 0;
            state['mu_product'] = 1;
            state['exp_avg'] = zerosLike(param);
            state['exp_avg_sq'] = zerosLike(param);
          }
          const expAvg = state['exp_avg'] as Tensor;
          const expAvgSq = state['exp_avg_sq'] as Tensor;
          const step = (state['step'] as number) + 1;
          state['step'] = step;
          const biasCorrection2 = 1 - beta2 ** step;
          let grad = param.grad!;
          if (weightDecay !== 0) grad = grad.add(param, { alpha: weightDecay });
          const mu = beta1 * (1 - 0.5 * 0.96 ** (step * momentumDecay));
          const muNext = beta1 * (1 - 0.5 * 0.96 ** ((step + 1) * momentumDecay));
          // mu_product is a float32 tensor in PyTorch: each product rounds to float32 (and the
          // Python float factor is rounded to float32 first).
          const muProduct = Math.fround((state['mu_product'] as number) * Math.fround(mu));
          state['mu_product'] = muProduct;
          const muProductNext = Math.fround(Math.fround(muProduct * Math.fround(mu)) * Math.fround(muNext));
          expAvg.mul_(beta1).add_(grad, { alpha: 1 - beta1 });
          addcmul_(expAvgSq.mul_(beta2), grad, grad, 1 - beta2);
          const denom = expAvgSq.div(biasCorrection2).sqrt().add_(eps);
          addcdiv_(param, grad, denom, (-lr * (1 - mu)) / (1 - muProduct));
          addcdiv_(param, expAvg, denom, (-lr * muNext) / (1 - muProductNext));
        }
      }
    });
    return loss;
  }

  protected override packState(state: ParamState): { [key: string]: StateValue } {
    return stepToDict(state, SCALARS);
  }
  protected override unpackState(entry: { [key: string]: StateValue }): ParamState {
    return stepFromDict(entry, SCALARS);
  }
}
