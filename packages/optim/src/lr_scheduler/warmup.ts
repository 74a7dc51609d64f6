// Warm-up schedules over the first totalIters epochs: ConstantLR (a constant factor, then back to
// the base lr), LinearLR (a factor moving linearly) and PolynomialLR (decay to zero by a power law;
// in PyTorch 1.13 as in 2.x).
import { type AnyOptimizer, groupsOf, LRScheduler, type SchedulerOptions } from './scheduler.js';

export interface ConstantLROptions extends SchedulerOptions {
  /** Default 1/3. */
  factor?: number;
  /** Default 5. */
  totalIters?: number;
}

/** lr × factor until `totalIters`, then lr. */
export class ConstantLR extends LRScheduler {
  factor: number;
  totalIters: number;

  constructor(optimizer: AnyOptimizer, options: ConstantLROptions = {}) {
    super(optimizer);
    const factor = options.factor ?? 1 / 3;
    if (factor > 1.0 || factor < 0) throw new RangeError('Constant multiplicative factor expected to be between 0 and 1.');
    this.factor = factor;
    this.totalIters = options.totalIters ?? 5;
    this.init(options.lastEpoch, options.verbose);
  }

  getLr(): number[] {
    const groups = groupsOf(this.optimizer);
    if (this.lastEpoch === 0) return groups.map((g) => g.lr * this.factor);
    if (this.lastEpoch !== this.totalIters) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * (1.0 / this.factor));
  }

  protected override closedFormLr(): number[] {
    const reached = this.lastEpoch >= this.totalIters ? 1 : 0;
    return this.baseLrs.map((b) => b * (this.factor + reached * (1 - this.factor)));
  }
}

export interface LinearLROptions extends SchedulerOptions {
  /** Default 1/3. */
  startFactor?: number;
  /** Default 1. */
  endFactor?: number;
  /** Default 5. */
  totalIters?: number;
}

/** lr × a factor going linearly from startFactor to endFactor over totalIters epochs. */
export class LinearLR extends LRScheduler {
  startFactor: number;
  endFactor: number;
  totalIters: number;

  constructor(optimizer: AnyOptimizer, options: LinearLROptions = {}) {
    super(optimizer);
    const start = options.startFactor ?? 1 / 3;
    const end = options.endFactor ?? 1.0;
    if (start > 1.0 || start < 0) throw new RangeError('Starting multiplicative factor expected to be between 0 and 1.');
    if (end > 1.0 || end < 0) throw new RangeError('Ending multiplicative factor expected to be between 0 and 1.');
    this.startFactor = start;
    this.endFactor = end;
    this.totalIters = options.totalIters ?? 5;
    this.init(options.lastEpoch, options.verbose);
  }

  getLr(): number[] {
    const groups = groupsOf(this.optimizer);
    if (this.lastEpoch === 0) return groups.map((g) => g.lr * this.startFactor);
    if (this.lastEpoch > this.totalIters) return groups.map((g) => g.lr);
    const { startFactor: s, endFactor: e, totalIters: n } = this;
    return groups.map((g) => g.lr * (1.0 + (e - s) / (n * s + (this.lastEpoch - 1) * (e - s))));
  }

  protected override closedFormLr(): number[] {
    const { startFactor: s, endFactor: e, totalIters: n } = this;
    return this.baseLrs.map((b) => b * (s + ((e - s) * Math.min(n, this.lastEpoch)) / n));
  }
}

export interface PolynomialLROptions extends SchedulerOptions {
  /** Epochs until the lr reaches zero. Default 5. */
  totalIters?: number;
  /** Default 1 (linear). */
  power?: number;
}

/** lr × (1 - epoch/totalIters)^power, reaching zero at totalIters. */
export class PolynomialLR extends LRScheduler {
  totalIters: number;
  power: number;

  constructor(optimizer: AnyOptimizer, options: PolynomialLROptions = {}) {
    super(optimizer);
    this.totalIters = options.totalIters ?? 5;
    this.power = options.power ?? 1.0;
    this.init(options.lastEpoch, options.verbose);
  }

  getLr(): number[] {
    const groups = groupsOf(this.optimizer);
    if (this.lastEpoch === 0 || this.lastEpoch > this.totalIters) return groups.map((g) => g.lr);
    const n = this.totalIters;
    const decay = ((1.0 - this.lastEpoch / n) / (1.0 - (this.lastEpoch - 1) / n)) ** this.power;
    return groups.map((g) => g.lr * decay);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * (1.0 - Math.min(this.totalIters, this.lastEpoch) / this.totalIters) ** this.power);
  }
}
