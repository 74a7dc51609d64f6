// Adagrad (lr decay, initial accumulator, weight decay, maximize): PyTorch 1.13's
// _single_tensor_adagrad for dense gradients.
import { fullLike, type Tensor } from '@kindling/tensor';
import * as autograd from '@kindling/autograd';
import {
  check, type Closure, mergeOptions, Optimizer, type OptimizerOptions, type ParamGroupInput, type ParamState, type Params, type StateValue,
} from './optimizer.js';
import { addcdiv_, addcmul_ } from './pointwise.js';
import { stepFromDict, stepToDict } from './step-count.js';

export interface AdagradOptions extends OptimizerOptions {
  lrDecay: number;
  eps: number;
  weightDecay: number;
  initialAccumulatorValue: number;
  /** Accepted for PyTorch compatibility; Kindling always runs the per-tensor loop. */
  foreach: boolean | null;
  maximize: boolean;
}

export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params: Params<AdagradOptions>, lrOrOptions?: number | Partial<AdagradOptions>, options?: Partial<AdagradOptions>) {
    const o = mergeOptions(lrOrOptions, options);
    super(params, {
      lr: o.lr ?? 1e-2,
      lrDecay: o.lrDecay ?? 0,
      eps: o.eps ?? 1e-10,
      weightDecay: o.weightDecay ?? 0,
      initialAccumulatorValue: o.initialAccumulatorValue ?? 0,
      foreach: o.foreach ?? null,
      maximize: o.maximize ?? false,
    });
  }

  protected validate(g: AdagradOptions): void {
    check(g.lr >= 0, 'learning rate', g.lr);
    check(g.lrDecay >= 0, 'lr_decay value', g.lrDecay);
    check(g.weightDecay >= 0, 'weight_decay value', g.weightDecay);
    check(g.initialAccumulatorValue >= 0, 'initial_accumulator_value value', g.initialAccumulatorValue);
    check(g.eps >= 0, 'epsilon value', g.eps);
  }

  /** Adagrad creates its state up front (PyTorch does it in the constructor), also for later groups. */
  override addParamGroup(paramGroup: ParamGroupInput<AdagradOptions>): void {
    super.addParamGroup(paramGroup);
    const group = this.paramGroups[this.paramGroups.length - 1]!;
    for (const p of group.params) initState(this.stateOf(p), p, group.initialAccumulatorValue);
  }

  step<L extends Tensor | number>(closure?: Closure<L>): L | undefined {
    const loss = this.evaluate(closure);
    autograd.noGrad(() => {
      for (const group of this.paramGroups) {
        const { lr, weightDecay, lrDecay, eps, maximize } = group;
        for (const param of this.withGrad(group)) {
          const state = this.stateOf(param);
          if (state['sum'] === undefined) initState(state, param, group.initialAccumulatorValue);
          const step = (state['step'] as number) + 1;
          state['step'] = step;
          let grad = maximize ? param.grad!.neg() : param.grad!;
          if (weightDecay !== 0) grad = grad.add(param, { alpha: weightDecay });
          const clr = lr / (1 + (step - 1) * lrDecay);
          const stateSum = state['sum'] as Tensor;
          addcmul_(stateSum, grad, grad, 1);
          const std = stateSum.sqrt().add_(eps);
          addcdiv_(param, grad, std, -clr);
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

function initState(state: ParamState, param: Tensor, initialAccumulatorValue: number): void {
  state['step'] = 0;
  state['sum'] = fullLike(param, initialAccumulatorValue);
}
