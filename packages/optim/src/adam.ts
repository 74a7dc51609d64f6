// Adam (with AMSGrad, weight decay as L2, maximize): PyTorch 1.13's _single_tensor_adam.
import { type Tensor, zerosLike } from '@kindling/tensor';
import * as autograd from '@kindling/autograd';
import { check, checkBetas, type Closure, mergeOptions, Optimizer, type OptimizerOptions, type ParamState, type Params, refuseUnsupported, type StateValue } from './optimizer.js';
import { addcdiv_, addcmul_, maximumInto } from './pointwise.js';
import { stepFromDict, stepToDict } from './step-count.js';

export interface AdamOptions extends OptimizerOptions {
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
  /** Accepted for PyTorch compatibility; Kindling always runs the per-tensor loop. */
  foreach: boolean | null;
  capturable: boolean;
  differentiable: boolean;
  fused: boolean;
}

export class Adam extends Optimizer<AdamOptions> {
  constructor(params: Params<AdamOptions>, lrOrOptions?: number | Partial<AdamOptions>, options?: Partial<AdamOptions>) {
    const o = mergeOptions(lrOrOptions, options);
    refuseUnsupported('Adam', o);
    super(params, {
      lr: o.lr ?? 1e-3,
      betas: o.betas ?? [0.9, 0.999],
      eps: o.eps ?? 1e-8,
      weightDecay: o.weightDecay ?? 0,
      amsgrad: o.amsgrad ?? false,
      maximize: o.maximize ?? false,
      foreach: o.foreach ?? null,
      capturable: false,
      differentiable: false,
      fused: false,
    });
  }

  protected validate(g: AdamOptions): void {
    validateAdamLike(g);
  }

  step<L extends Tensor | number>(closure?: Closure<L>): L | undefined {
    const loss = this.evaluate(closure);
    autograd.noGrad(() => {
      for (const group of this.paramGroups) {
        const [beta1, beta2] = group.betas;
        const { lr, eps, weightDecay, amsgrad, maximize } = group;
        for (const param of this.withGrad(group)) {
          const state = this.stateOf(param);
          if (state['step'] === undefined) initAdamState(state, param, amsgrad);
          let grad = maximize ? param.grad!.neg() : param.grad!;
          const expAvg = state['exp_avg'] as Tensor;
          const expAvgSq = state['exp_avg_sq'] as Tensor;
          const step = (state['step'] as number) + 1;
          state['step'] = step;
          if (weightDecay !== 0) grad = grad.add(param, { alpha: weightDecay });
          // Decay the first and second moment running averages.
          expAvg.mul_(beta1).add_(grad, { alpha: 1 - beta1 });
          addcmul_(expAvgSq.mul_(beta2), grad, grad, 1 - beta2);
          const biasCorrection1 = 1 - beta1 ** step;
          const biasCorrection2 = 1 - beta2 ** step;
          const stepSize = lr / biasCorrection1;
          const biasCorrection2Sqrt = Math.sqrt(biasCorrection2);
          let second = expAvgSq;
          if (amsgrad) {
            // Keep the running maximum of the second moment and normalize by it.
            if (!state['max_exp_avg_sq']) state['max_exp_avg_sq'] = zerosLike(param);
            second = maximumInto(state['max_exp_avg_sq'] as Tensor, expAvgSq);
          }
          const denom = second.sqrt().div(biasCorrection2Sqrt).add_(eps);
          addcdiv_(param, expAvg, denom, -stepSize);
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

/** The checks Adam, AdamW, NAdam and RAdam share, in PyTorch's order and words. */
export function validateAdamLike(g: OptimizerOptions & { eps: number; betas: [number, number]; weightDecay: number }): void {
  check(g.lr >= 0, 'learning rate', g.lr);
  check(g.eps >= 0, 'epsilon value', g.eps);
  checkBetas(g.betas);
  check(g.weightDecay >= 0, 'weight_decay value', g.weightDecay);
}

/** Lazy state of Adam and AdamW: step count and zeroed moments (and the AMSGrad maximum). */
export function initAdamState(state: ParamState, param: Tensor, amsgrad: boolean): void {
  state['step'] = 0;
  state['exp_avg'] = zerosLike(param);
  state['exp_avg_sq'] = zerosLike(param);
  if (amsgrad) state['max_exp_avg_sq'] = zerosLike(param);
}
