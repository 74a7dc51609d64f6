// Step decays (handbook 9.1): StepLR (every stepSize epochs), MultiStepLR (at milestones) and
// ExponentialLR (every epoch). Each multiplies the current lr, so other changes to it compose.
import { type AnyOptimizer, groupsOf, LRScheduler, type SchedulerOptions } from './scheduler.js';

export interface StepLROptions extends SchedulerOptions {
  stepSize: number;
  /** Multiplicative factor of the decay. Default 0.1. */
  gamma?: number;
}

/** lr × gamma every `stepSize` epochs. */
export class StepLR extends LRScheduler {
  stepSize: number;
  gamma: number;

  constructor(optimizer: AnyOptimizer, stepSize: number | StepLROptions, options?: Omit<StepLROptions, 'stepSize'>) {
    super(optimizer);
    const o: StepLROptions = typeof stepSize === 'number' ? { ...options, stepSize } : stepSize;
    this.stepSize = o.stepSize;
    this.gamma = o.gamma ?? 0.1;
    this.init(o.lastEpoch, o.verbose);
  }

  getLr(): number[] {
    const groups = groupsOf(this.optimizer);
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }
}

export interface MultiStepLROptions extends SchedulerOptions {
  /** Epochs at which to decay; a repeated milestone decays that many times. */
  milestones: readonly number[];
  /** Default 0.1. */
  gamma?: number;
}

/** lr × gamma at each milestone epoch. */
export class MultiStepLR extends LRScheduler {
  /** Milestone → how many times it was given (PyTorch keeps a Counter; its state dict has the same shape). */
  milestones: Record<string, number>;
  gamma: number;

  constructor(optimizer: AnyOptimizer, milestones: readonly number[] | MultiStepLROptions, options?: Omit<MultiStepLROptions, 'milestones'>) {
    super(optimizer);
    const o: MultiStepLROptions = Array.isArray(milestones) ? { ...options, milestones } : (milestones as MultiStepLROptions);
    this.milestones = {};
    for (const m of o.milestones) this.milestones[m] = (this.milestones[m] ?? 0) + 1;
    this.gamma = o.gamma ?? 0.1;
    this.init(o.lastEpoch, o.verbose);
  }

  getLr(): number[] {
    const groups = groupsOf(this.optimizer);
    const count = this.milestones[this.lastEpoch];
    if (count === undefined) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma ** count);
  }

  protected override closedFormLr(): number[] {
    // bisect_right over the sorted milestones, repeats included.
    let passed = 0;
    for (const [m, n] of Object.entries(this.milestones)) if (Number(m) <= this.lastEpoch) passed += n;
    return this.baseLrs.map((b) => b * this.gamma ** passed);
  }
}

export interface ExponentialLROptions extends SchedulerOptions {
  gamma: number;
}

/** lr × gamma every epoch. */
export class ExponentialLR extends LRScheduler {
  gamma: number;

  constructor(optimizer: AnyOptimizer, gamma: number | ExponentialLROptions, options?: SchedulerOptions) {
    super(optimizer);
    const o: ExponentialLROptions = typeof gamma === 'number' ? { ...options, gamma } : gamma;
    this.gamma = o.gamma;
    this.init(o.lastEpoch, o.verbose);
  }

  getLr(): number[] {
    const groups = groupsOf(this.optimizer);
    if (this.lastEpoch === 0) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** this.lastEpoch);
  }
}
