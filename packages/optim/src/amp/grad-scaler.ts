// GradScaler (handbook 13.4): loss scaling for mixed-precision training, PyTorch 1.13's
// torch.cuda.amp.GradScaler. Multiply the loss by a scale before backward so small float16 gradients
// do not flush to zero; unscale the gradients before the optimizer sees them; skip the step when an
// unscaled gradient is inf/NaN and back the scale off; grow it again after `growthInterval` clean steps.
//
// One difference from PyTorch: PyTorch 1.13 disables the scaler (with a warning) when CUDA is not
// available and only scales CUDA tensors. Kindling's works on every device with the same arithmetic
// (float32 scale, float64 reciprocal rounded to float32, float32 growth/backoff), so it is usable and
// testable on cpu and webgpu as well.
import { Tensor, full, zeros } from '@kindling/tensor';
import * as autograd from '@kindling/autograd';
import type { Optimizer } from '../optimizer.js';

export interface GradScalerOptions {
  /** The first scale. Default 2**16. */
  initScale?: number;
  /** The factor the scale grows by after `growthInterval` steps without inf/NaN. Default 2. */
  growthFactor?: number;
  /** The factor the scale shrinks by when a step finds inf/NaN gradients. Default 0.5. */
  backoffFactor?: number;
  /** Steps without inf/NaN between two growths. Default 2000. */
  growthInterval?: number;
  /** false: every method is a pass-through (scale returns its input, step calls optimizer.step()). Default true. */
  enabled?: boolean;
}

/** `scaler.state_dict()`: PyTorch's keys, so a state moves between Kindling and PyTorch. */
export interface GradScalerStateDict {
  scale?: number;
  growth_factor?: number;
  backoff_factor?: number;
  growth_interval?: number;
  _growth_tracker?: number;
}

/** What `scale()` accepts: a tensor, or (nested) arrays of tensors, as PyTorch's iterables. */
export type Scalable = Tensor | readonly Scalable[];

const enum Stage {
  Ready,
  Unscaled,
  Stepped,
}

interface OptimizerState {
  stage: Stage;
  /** One float32 flag per device type the gradients live on: 1 when an unscaled gradient was inf/NaN. */
  foundInfPerDevice: Map<string, Tensor>;
}

export class GradScaler {
  private _enabled: boolean;
  private _initScale: number;
  private _growthFactor: number;
  private _backoffFactor: number;
  private _growthInterval: number;
  private _initGrowthTracker = 0;
  /** The scale: a float32 tensor of one element on the device of the first scaled output (made lazily). */
  private _scale: Tensor | null = null;
  /** Clean steps since the last backoff or growth (an int32 tensor beside the scale). */
  private _growthTracker: Tensor | null = null;
  private _perOptimizerStates = new Map<Optimizer, OptimizerState>();

  constructor(opts: GradScalerOptions = {}) {
    this._enabled = opts.enabled ?? true;
    this._initScale = opts.initScale ?? 2 ** 16;
    this._growthFactor = opts.growthFactor ?? 2.0;
    this._backoffFactor = opts.backoffFactor ?? 0.5;
    this._growthInterval = opts.growthInterval ?? 2000;
    if (this._enabled) {
      if (!(this._growthFactor > 1.0)) throw new Error('The growth factor must be > 1.0.');
      if (!(this._backoffFactor < 1.0)) throw new Error('The backoff factor must be < 1.0.');
      if (!Number.isInteger(this._growthInterval) || this._growthInterval <= 0) {
        throw new Error('growth_interval must be a positive integer.');
      }
    }
  }

  private stateOf(optimizer: Optimizer): OptimizerState {
    let s = this._perOptimizerStates.get(optimizer);
    if (!s) {
      s = { stage: Stage.Ready, foundInfPerDevice: new Map() };
      this._perOptimizerStates.set(optimizer, s);
    }
    return s;
  }

  private lazyInit(like: Tensor): void {
    if (this._scale) return;
    this._scale = full([1], this._initScale, { dtype: 'float32', device: like.device });
    this._growthTracker = full([1], this._initGrowthTracker, { dtype: 'int32', device: like.device });
  }

  private checkScale(funcname: string): Tensor {
    if (!this._scale) {
      throw new Error(`Attempted ${funcname} but _scale is None.  This may indicate your script did not use scaler.scale(loss or outputs) earlier in the iteration.`);
    }
    return this._scale;
  }

  /**
   * `scaler.scale(outputs)`: the outputs (usually the loss) multiplied by the scale. Arrays of tensors
   * are scaled element by element, keeping their nesting.
   */
  scale<S extends Scalable>(outputs: S): S {
    if (!this._enabled) return outputs;
    const one = (t: Tensor): Tensor => {
      this.lazyInit(t);
      const s = this._scale!;
      return t.mul(s.device.equals(t.device) ? s : s.to(t.device));
    };
    const apply = (v: Scalable): Scalable => {
      if (v instanceof Tensor) return one(v);
      if (Array.isArray(v)) return v.map(apply);
      throw new TypeError('outputs must be a Tensor or an iterable of Tensors');
    };
    return apply(outputs) as S;
  }

  /** Multiply every gradient of `optimizer` by `invScale` in place; return a found-inf flag per device type. */
  private unscaleGrads(optimizer: Optimizer, invScale: Tensor, allowFp16: boolean): Map<string, Tensor> {
    const found = new Map<string, Tensor>();
    autograd.noGrad(() => {
      for (const group of optimizer.paramGroups) {
        for (const p of group.params) {
          const g = p.grad;
          if (!g) continue;
          if (!allowFp16 && g.dtype === 'float16') throw new Error('Attempting to unscale FP16 gradients.');
          const key = g.device.toString();
          let flag = found.get(key);
          if (!flag) {
            flag = zeros([1], { dtype: 'float32', device: g.device });
            found.set(key, flag);
          }
          // _amp_foreach_non_finite_check_and_unscale_: flag any inf/NaN, and multiply every gradient anyway.
          flag.copy_(flag.maximum(g.isfinite().all().logicalNot().to('float32').reshape([1])));
          g.mul_(invScale.device.equals(g.device) ? invScale : invScale.to(g.device));
        }
      }
    });
    return found;
  }

  /**
   * `scaler.unscale_(optimizer)`: divide the optimizer's gradients by the scale now (to clip them, say).
   * step() then does not unscale again. Once per optimizer between two update() calls.
   */
  unscale_(optimizer: Optimizer): void {
    if (!this._enabled) return;
    const scale = this.checkScale('unscale_');
    const state = this.stateOf(optimizer);
    if (state.stage === Stage.Unscaled) throw new Error('unscale_() has already been called on this optimizer since the last update().');
    if (state.stage === Stage.Stepped) throw new Error('unscale_() is being called after step().');
    // The reciprocal in float64, then rounded to float32, as PyTorch does.
    const invScale = autograd.noGrad(() => scale.to('float64').reciprocal().to('float32'));
    state.foundInfPerDevice = this.unscaleGrads(optimizer, invScale, false);
    state.stage = Stage.Unscaled;
  }

  /**
   * `scaler.step(optimizer)`: unscale the gradients (unless unscale_ did), then run `optimizer.step()`
   * only if none of them is inf/NaN. Returns what optimizer.step() returned, or undefined when skipped.
   */
  step(optimizer: Optimizer, ...args: unknown[]): unknown {
    if (!this._enabled) return (optimizer.step as (...a: unknown[]) => unknown)(...args);
    if (args.some((a) => typeof a === 'function') || args.some((a) => a !== null && typeof a === 'object' && 'closure' in a)) {
      throw new Error('Closure use is not currently supported if GradScaler is enabled.');
    }
    this.checkScale('step');
    const state = this.stateOf(optimizer);
    if (state.stage === Stage.Stepped) throw new Error('step() has already been called since the last update().');
    if (state.stage === Stage.Ready) this.unscale_(optimizer);
    if (state.foundInfPerDevice.size === 0) throw new Error('No inf checks were recorded for this optimizer.');
    let retval: unknown;
    let found = 0;
    for (const f of state.foundInfPerDevice.values()) found += f.item() as number;
    if (!found) retval = (optimizer.step as (...a: unknown[]) => unknown)(...args);
    state.stage = Stage.Stepped;
    return retval;
  }

  /**
   * `scaler.update(newScale?)`: at the end of the iteration, back the scale off if any optimizer's step
   * found inf/NaN, else count a clean step and grow the scale every `growthInterval` of them. With
   * `newScale` (a number or a one-element float32 tensor), set the scale to it instead.
   */
  update(newScale?: number | Tensor): void {
    if (!this._enabled) return;
    const scale = this.checkScale('update');
    const tracker = this._growthTracker!;
    autograd.noGrad(() => {
      if (newScale !== undefined) {
        if (typeof newScale === 'number') scale.fill_(newScale);
        else {
          const reason = 'new_scale should be a float or a 1-element torch.cuda.FloatTensor with requires_grad=False.';
          if (!(newScale instanceof Tensor) || newScale.dtype !== 'float32' || newScale.numel() !== 1 || newScale.requiresGrad) {
            throw new Error(reason);
          }
          scale.copy_(newScale.reshape([1]));
        }
      } else {
        const infs: Tensor[] = [];
        for (const s of this._perOptimizerStates.values()) for (const f of s.foundInfPerDevice.values()) infs.push(f);
        if (infs.length === 0) throw new Error('No inf checks were recorded prior to update.');
        let foundInf = 0;
        for (const f of infs) foundInf += f.item() as number;
        // _amp_update_scale_: float32 arithmetic on the scale, an int32 tracker.
        if (foundInf) {
          scale.mul_(this._backoffFactor);
          tracker.fill_(0);
        } else {
          const successful = (tracker.item() as number) + 1;
          if (successful === this._growthInterval) {
            const grown = scale.mul(this._growthFactor);
            if (grown.isfinite().all().item()) scale.copy_(grown);
            tracker.fill_(0);
          } else tracker.fill_(successful);
        }
      }
    });
    this._perOptimizerStates = new Map();
  }

  /** `scaler.get_scale()`: the current scale as a number (1.0 when disabled). */
  getScale(): number {
    if (!this._enabled) return 1.0;
    return this._scale ? (this._scale.item() as number) : this._initScale;
  }
  getGrowthFactor(): number {
    return this._growthFactor;
  }
  setGrowthFactor(v: number): void {
    this._growthFactor = v;
  }
  getBackoffFactor(): number {
    return this._backoffFactor;
  }
  setBackoffFactor(v: number): void {
    this._backoffFactor = v;
  }
  getGrowthInterval(): number {
    return this._growthInterval;
  }
  setGrowthInterval(v: number): void {
    this._growthInterval = v;
  }
  /** The clean-step counter (PyTorch's `_get_growth_tracker()`). */
  getGrowthTracker(): number {
    if (!this._enabled) return 0;
    return this._growthTracker ? (this._growthTracker.item() as number) : this._initGrowthTracker;
  }
  isEnabled(): boolean {
    return this._enabled;
  }

  /** `scaler.state_dict()`: empty when disabled, as in PyTorch. */
  stateDict(): GradScalerStateDict {
    if (!this._enabled) return {};
    return {
      scale: this.getScale(),
      growth_factor: this._growthFactor,
      backoff_factor: this._backoffFactor,
      growth_interval: this._growthInterval,
      _growth_tracker: this.getGrowthTracker(),
    };
  }

  /** `scaler.load_state_dict(state)`, from stateDict() here or PyTorch's `scaler.state_dict()`. */
  loadStateDict(state: GradScalerStateDict): void {
    if (!this._enabled) return;
    if (!state || Object.keys(state).length === 0) {
      throw new Error('The source state dict is empty, possibly because it was saved from a disabled instance of GradScaler.');
    }
    const need = ['scale', 'growth_factor', 'backoff_factor', 'growth_interval', '_growth_tracker'] as const;
    for (const k of need) {
      if (typeof state[k] !== 'number') throw new Error(`GradScaler state dict is missing '${k}' (a number)`);
    }
    this._initScale = state.scale!;
    if (this._scale) this._scale.fill_(state.scale!);
    this._growthFactor = state.growth_factor!;
    this._backoffFactor = state.backoff_factor!;
    this._growthInterval = state.growth_interval!;
    this._initGrowthTracker = state._growth_tracker!;
    if (this._growthTracker) this._growthTracker.fill_(state._growth_tracker!);
  }
}
