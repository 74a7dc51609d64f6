// RAdam: Adam with the variance of the adaptive learning rate rectified; plain momentum SGD for
// the first steps, while the variance estimate is not tractable. PyTorch 1.13's _single_tensor_radam.
import { type Tensor, zerosLike } from '@kindling/tensor';
import * as autograd from '@kindling/autograd';
import { validateAdamLike } from './adam.js';
import { type Closure, mergeOptions, Optimizer, type OptimizerOptions, type ParamState, type Params, type StateValue } from './optimizer.js';
import { addcmul_ } from './pointwise.js';
import { stepFromDict, stepToDict } from './step-count.js';

export interface RAdamOptions extends OptimizerOptions {
  betas: [number, number];
  eps: number;
  weightDecay: number;
  /** Accepted for PyTorch compatibility; Kindling always runs the per-tensor loop. */
  foreach: boolean | null;
}

export class RAdam extends Optimizer<RAdamOptions> {
  constructor(params: Params<RAdamOptions>, lrOrOptions?: number | Partial<RAdamOptions>, options?: Partial<RAdamOptions>) {
    const o = mergeOptions(lrOrOptions, options);
    super(params, {
      lr: o.lr ?? 1e-3,
      betas: o.betas ?? [0.9, 0.999],
      eps: o.eps ?? 1e-8,
      weightDecay: o.weightDecay ?? 0,
      foreach: o.foreach ?? null,
    });
  }

  protected validate(g: RAdamOptions): void {
    validateAdamLike(g);
  }

  step<L extends Tensor | number>(closure?: Closure<L>): L | undefined {
    const loss = this.evaluate(closure);
    autograd.noGrad(() => {
      for (const group of this.paramGroups) {
        const [beta1, beta2] = group.betas;
        const { lr, eps, weightDecay } = group;
        for (const param of this.withGrad(group)) {
          const state = this.stateOf(param);
          if (state['step'] === undefined) {
            state['step'] = 0;
            state['exp_avg'] = zerosLike(param);
            state['exp_avg_sq'] = zerosLike(param);
          }
          const expAvg = state['exp_avg'] as Tensor;
          const expAvgSq = state['exp_avg_sq'] as Tensor;
          const step = (state['step'] as number) + 1;
          state['step'] = step;
          const biasCorrection1 = 1 - beta1 ** step;
          const biasCorrection2 = 1 - beta2 ** step;
          let grad = param.grad!;
          if (weightDecay !== 0) grad = grad.add(param, { alpha: weightDecay });
          expAvg.mul_(beta1).add_(grad, { alpha: 1 - beta1 });
          addcmul_(expAvgSq.mul_(beta2), grad, grad, 1 - beta2);
          const biasCorrectedExpAvg = expAvg.div(biasCorrection1);
          // The maximum length of the approximated simple moving average, and its value at this step.
          const rhoInf = 2 / (1 - beta2) - 1;
          const rhoT = rhoInf - (2 * step * beta2 ** step) / biasCorrection2;
          if (rhoT > 5) {
            const rect = Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
            // `float / tensor` is `tensor.reciprocal() * float` in PyTorch: keep that rounding.
            const adaptiveLr = expAvgSq.sqrt().add_(eps).reciprocal().mul(Math.sqrt(biasCorrection2));
            param.add_(biasCorrectedExpAvg.mul(lr).mul(adaptiveLr).mul(rect), { alpha: -1 });
          } else {
            param.add_(biasCorrectedExpAvg.mul(lr), { alpha: -1 });
          }
        }
      }
    });
    return loss;
  }

  protected override packState(state: ParamState): { [key: string]: StateValue } {
    return stepToDict(state);
  }
  protected override unpackState(entry: { [key: string]: StateValue }): ParamState {
    return stepFromDict(entry);
  }
}
