// SGD with momentum, dampening, Nesterov, weight decay and maximize: PyTorch 1.13's _single_tensor_sgd.
import type { Tensor } from '@kindling/tensor';
import * as autograd from '@kindling/autograd';
import { check, type Closure, mergeOptions, Optimizer, type OptimizerOptions, type Params, refuseUnsupported, required } from './optimizer.js';

export interface SGDOptions extends OptimizerOptions {
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
  /** Accepted for PyTorch compatibility; Kindling always runs the per-tensor loop. */
  foreach: boolean | null;
  differentiable: boolean;
}

export class SGD extends Optimizer<SGDOptions> {
  /** `lr` has no default (PyTorch 1.13): give it here or in every group. */
  constructor(params: Params<SGDOptions>, lrOrOptions?: number | Partial<SGDOptions>, options?: Partial<SGDOptions>) {
    const o = mergeOptions(lrOrOptions, options);
    refuseUnsupported('SGD', o);
    super(params, {
      lr: o.lr ?? required,
      momentum: o.momentum ?? 0,
      dampening: o.dampening ?? 0,
      weightDecay: o.weightDecay ?? 0,
      nesterov: o.nesterov ?? false,
      maximize: o.maximize ?? false,
      foreach: o.foreach ?? null,
      differentiable: false,
    });
  }

  protected validate(g: SGDOptions): void {
    check(g.lr >= 0, 'learning rate', g.lr);
    check(g.momentum >= 0, 'momentum value', g.momentum);
    check(g.weightDecay >= 0, 'weight_decay value', g.weightDecay);
    if (g.nesterov && (g.momentum <= 0 || g.dampening !== 0)) throw new RangeError('Nesterov momentum requires a momentum and zero dampening');
  }

  step<L extends Tensor | number>(closure?: Closure<L>): L | undefined {
    const loss = this.evaluate(closure);
    autograd.noGrad(() => {
      for (const group of this.paramGroups) {
        const { lr, momentum, dampening, weightDecay, nesterov, maximize } = group;
        for (const param of this.withGrad(group)) {
          let dp = maximize ? param.grad!.neg() : param.grad!;
          if (weightDecay !== 0) dp = dp.add(param, { alpha: weightDecay });
          const state = this.stateOf(param);
          if (momentum !== 0) {
            let buf = state['momentum_buffer'] as Tensor | null | undefined;
            if (!buf) {
              buf = dp.clone().detach();
            } else {
              buf.mul_(momentum).add_(dp, { alpha: 1 - dampening });
            }
            state['momentum_buffer'] = buf;
            dp = nesterov ? dp.add(buf, { alpha: momentum }) : buf;
          } else {
            // PyTorch records the (absent) buffer too, so state dicts have the same entries.
            state['momentum_buffer'] = state['momentum_buffer'] ?? null;
          }
          param.add_(dp, { alpha: -lr });
        }
      }
    });
    return loss;
  }
}
