// AdamW: Adam with decoupled weight decay (the params shrink by lr * weight_decay before the Adam
// update instead of the decay entering the gradient). PyTorch 1.13's _single_tensor_adamw.
import type { Tensor } from '@kindling/tensor';
import * as autograd from '@kindling/autograd';
import { adamUpdate, initAdamState, validateAdamLike } from './adam.js';
import { type Closure, mergeOptions, Optimizer, type OptimizerOptions, type ParamState, type Params, refuseUnsupported, type StateValue } from './optimizer.js';
import { stepFromDict, stepToDict } from './step-count.js';

export interface AdamWOptions extends OptimizerOptions {
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
  /** Accepted for PyTorch compatibility; Kindling always runs the per-tensor loop. */
  foreach: boolean | null;
  capturable: boolean;
}

export class AdamW extends Optimizer<AdamWOptions> {
  constructor(params: Params<AdamWOptions>, lrOrOptions?: number | Partial<AdamWOptions>, options?: Partial<AdamWOptions>) {
    const o = mergeOptions(lrOrOptions, options);
    refuseUnsupported('AdamW', o);
    super(params, {
      lr: o.lr ?? 1e-3,
      betas: o.betas ?? [0.9, 0.999],
      eps: o.eps ?? 1e-8,
      weightDecay: o.weightDecay ?? 1e-2,
      amsgrad: o.amsgrad ?? false,
      foreach: o.foreach ?? null,
      maximize: o.maximize ?? false,
      capturable: false,
    });
  }

  protected validate(g: AdamWOptions): void {
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
          const grad = maximize ? param.grad!.neg() : param.grad!;
          const expAvg = state['exp_avg'] as Tensor;
          const expAvgSq = state['exp_avg_sq'] as Tensor;
          const step = (state['step'] as number) + 1;
          state['step'] = step;
          // Decoupled weight decay.
          param.mul_(1 - lr * weightDecay);
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
