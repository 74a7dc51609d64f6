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
          adamUpdate(param, state, grad, expAvg, expAvgSq, step, { lr, beta1, beta2, eps, amsgrad });
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

/**
 * The moment update and parameter step Adam and AdamW share (PyTorch 1.13's single-tensor code,
 * in its operation order); they differ only in how weight decay is applied before it.
 */
export function adamUpdate(
  param: Tensor,
  state: ParamState,
  grad: Tensor,
  expAvg: Tensor,
  expAvgSq: Tensor,
  step: number,
  o: { lr: number; beta1: number; beta2: number; eps: number; amsgrad: boolean },
): void {
  // Decay the first and second moment running averages.
  expAvg.mul_(o.beta1).add_(grad, { alpha: 1 - o.beta1 });
  addcmul_(expAvgSq.mul_(o.beta2), grad, grad, 1 - o.beta2);
  const biasCorrection1 = 1 - o.beta1 ** step;
  const biasCorrection2 = 1 - o.beta2 ** step;
  const stepSize = o.lr / biasCorrection1;
  const biasCorrection2Sqrt = Math.sqrt(biasCorrection2);
  let second = expAvgSq;
  if (o.amsgrad) {
    // Keep the running maximum of the second moment and normalize by it.
    if (!state['max_exp_avg_sq']) state['max_exp_avg_sq'] = zerosLike(param);
    second = maximumInto(state['max_exp_avg_sq'] as Tensor, expAvgSq);
  }
  const denom = second.sqrt().div(biasCorrection2Sqrt).add_(o.eps);
  addcdiv_(param, expAvg, denom, -stepSize);
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
