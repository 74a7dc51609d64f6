// OneCycleLR (handbook 9.1-9.2): warm up from maxLr/divFactor to maxLr, then anneal to
// initialLr/finalDivFactor (three_phase: back down to initialLr first), stepped once per batch over
// totalSteps. With cycleMomentum the momentum (SGD) or beta1 (Adam and friends) moves the other way.
import { toCamel } from '../keys.js';
import { type AnyOptimizer, groupsOf, LRScheduler, perGroup, type SchedulerOptions } from './scheduler.js';

export interface OneCycleLROptions extends SchedulerOptions {
  maxLr: number | readonly number[];
  /** Total steps; or give epochs and stepsPerEpoch. */
  totalSteps?: number | null;
  epochs?: number | null;
  stepsPerEpoch?: number | null;
  /** Fraction of the steps spent warming up. Default 0.3. */
  pctStart?: number;
  /** Default 'cos'. */
  annealStrategy?: 'cos' | 'linear';
  /** Default true: needs momentum (SGD, RMSprop) or betas (Adam, AdamW, NAdam, RAdam). */
  cycleMomentum?: boolean;
  /** Default 0.85. */
  baseMomentum?: number | readonly number[];
  /** Default 0.95. */
  maxMomentum?: number | readonly number[];
  /** initialLr = maxLr / divFactor. Default 25. */
  divFactor?: number;
  /** minLr = initialLr / finalDivFactor. Default 1e4. */
  finalDivFactor?: number;
  /** Default false. */
  threePhase?: boolean;
}

/** One phase of the schedule, in PyTorch's layout (group keys named as in PyTorch's state dicts). */
export interface OneCyclePhase {
  end_step: number;
  start_lr: string;
  end_lr: string;
  start_momentum: string;
  end_momentum: string;
  [key: string]: number | string;
}

export class OneCycleLR extends LRScheduler {
  totalSteps: number;
  _schedulePhases: OneCyclePhase[];
  /** 'cos' or 'linear' (PyTorch 2 keeps the same under this name). */
  _annealFuncType: 'cos' | 'linear';
  cycleMomentum: boolean;
  /** Set when cycling: whether beta1 (Adam and friends) is cycled instead of momentum. */
  useBeta1?: boolean;

  constructor(optimizer: AnyOptimizer, maxLr: number | readonly number[] | OneCycleLROptions, options?: Omit<OneCycleLROptions, 'maxLr'>) {
    super(optimizer);
    const o: OneCycleLROptions =
      typeof maxLr === 'number' || Array.isArray(maxLr) ? { ...options, maxLr: maxLr as number } : (maxLr as OneCycleLROptions);
    const { totalSteps, epochs, stepsPerEpoch } = o;
    if (totalSteps == null && epochs == null && stepsPerEpoch == null) {
      throw new Error('You must define either total_steps OR (epochs AND steps_per_epoch)');
    } else if (totalSteps != null) {
      if (!(Number.isInteger(totalSteps) && totalSteps > 0)) throw new RangeError(`Expected positive integer total_steps, but got ${totalSteps}`);
      this.totalSteps = totalSteps;
    } else {
      if (!(Number.isInteger(epochs) && epochs! > 0)) throw new RangeError(`Expected positive integer epochs, but got ${epochs}`);
      if (!(Number.isInteger(stepsPerEpoch) && stepsPerEpoch! > 0)) {
        throw new RangeError(`Expected positive integer steps_per_epoch, but got ${stepsPerEpoch}`);
      }
      this.totalSteps = epochs! * stepsPerEpoch!;
    }
    const pct = o.pctStart ?? 0.3;
    const n = this.totalSteps;
    this._schedulePhases = o.threePhase
      ? [
          { end_step: pct * n - 1, start_lr: 'initial_lr', end_lr: 'max_lr', start_momentum: 'max_momentum', end_momentum: 'base_momentum' },
          { end_step: 2 * pct * n - 2, start_lr: 'max_lr', end_lr: 'initial_lr', start_momentum: 'base_momentum', end_momentum: 'max_momentum' },
          { end_step: n - 1, start_lr: 'initial_lr', end_lr: 'min_lr', start_momentum: 'max_momentum', end_momentum: 'max_momentum' },
        ]
      : [
          { end_step: pct * n - 1, start_lr: 'initial_lr', end_lr: 'max_lr', start_momentum: 'max_momentum', end_momentum: 'base_momentum' },
          { end_step: n - 1, start_lr: 'max_lr', end_lr: 'min_lr', start_momentum: 'base_momentum', end_momentum: 'max_momentum' },
        ];
    if (!(pct >= 0 && pct <= 1)) throw new RangeError(`Expected float between 0 and 1 pct_start, but got ${pct}`);
    const strategy = o.annealStrategy ?? 'cos';
    if (strategy !== 'cos' && strategy !== 'linear') {
      throw new RangeError(`anneal_strategy must by one of 'cos' or 'linear', instead got ${String(strategy)}`);
    }
    this._annealFuncType = strategy;
    const lastEpoch = o.lastEpoch ?? -1;
    const groups = groupsOf(optimizer);
    const maxLrs = perGroup('max_lr', optimizer, o.maxLr);
    const divFactor = o.divFactor ?? 25.0;
    const finalDivFactor = o.finalDivFactor ?? 1e4;
    if (lastEpoch === -1) {
      groups.forEach((g, i) => {
        g['initialLr'] = maxLrs[i]! / divFactor;
        g['maxLr'] = maxLrs[i]!;
        g['minLr'] = (g['initialLr'] as number) / finalDivFactor;
      });
    }
    this.cycleMomentum = o.cycleMomentum ?? true;
    if (this.cycleMomentum) {
      if (!('momentum' in optimizer.defaults) && !('betas' in optimizer.defaults)) {
        throw new Error('optimizer must support momentum with `cycle_momentum` option enabled');
      }
      this.useBeta1 = 'betas' in optimizer.defaults;
      const maxMomentums = perGroup('max_momentum', optimizer, o.maxMomentum ?? 0.95);
      const baseMomentums = perGroup('base_momentum', optimizer, o.baseMomentum ?? 0.85);
      if (lastEpoch === -1) {
        groups.forEach((g, i) => {
          if (this.useBeta1) g['betas'] = [maxMomentums[i]!, ...(g['betas'] as number[]).slice(1)];
          else g['momentum'] = maxMomentums[i]!;
          g['maxMomentum'] = maxMomentums[i]!;
          g['baseMomentum'] = baseMomentums[i]!;
        });
      }
    }
    this.init(lastEpoch, o.verbose);
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this._annealFuncType === 'linear') return (end - start) * pct + start;
    const cosOut = Math.cos(Math.PI * pct) + 1;
    return end + ((start - end) / 2.0) * cosOut;
  }

  getLr(): number[] {
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps) {
      throw new RangeError(`Tried to step ${stepNum + 1} times. The specified number of total steps is ${this.totalSteps}`);
    }
    const phases = this._schedulePhases;
    return groupsOf(this.optimizer).map((g) => {
      const at = (key: string) => g[toCamel(key)] as number;
      let startStep = 0;
      let lr = 0;
      let momentum = 0;
      for (let i = 0; i < phases.length; i++) {
        const phase = phases[i]!;
        const endStep = phase.end_step;
        if (stepNum <= endStep || i === phases.length - 1) {
          const pct = (stepNum - startStep) / (endStep - startStep);
          lr = this.anneal(at(phase.start_lr), at(phase.end_lr), pct);
          if (this.cycleMomentum) momentum = this.anneal(at(phase.start_momentum), at(phase.end_momentum), pct);
          break;
        }
        startStep = phase.end_step;
      }
      if (this.cycleMomentum) {
        if (this.useBeta1) g['betas'] = [momentum, ...(g['betas'] as number[]).slice(1)];
        else g['momentum'] = momentum;
      }
      return lr;
    });
  }
}
