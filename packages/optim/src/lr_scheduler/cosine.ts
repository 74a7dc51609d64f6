// Cosine annealing (handbook 9.1). CosineAnnealingLR follows PyTorch's recursive form, which
// multiplies the current lr by a ratio of cosines and so composes with other changes to the lr; it
// is not the closed form eta_min + (base - eta_min)(1 + cos(pi t / T_max)) / 2, which step(epoch)
// uses. CosineAnnealingWarmRestarts restarts every T_i epochs (T_i growing by T_mult) and accepts
// fractional epochs, so it can be stepped per batch with step(epoch + i / iters).
import { type AnyOptimizer, groupsOf, LRScheduler, type SchedulerOptions } from './scheduler.js';

export interface CosineAnnealingLROptions extends SchedulerOptions {
  /** Half-period in epochs. */
  T_max: number;
  /** Minimum lr. Default 0. */
  etaMin?: number;
}

export class CosineAnnealingLR extends LRScheduler {
  T_max: number;
  etaMin: number;

  constructor(optimizer: AnyOptimizer, T_max: number | CosineAnnealingLROptions, options?: Omit<CosineAnnealingLROptions, 'T_max'>) {
    super(optimizer);
    const o: CosineAnnealingLROptions = typeof T_max === 'number' ? { ...options, T_max } : T_max;
    this.T_max = o.T_max;
    this.etaMin = o.etaMin ?? 0;
    this.init(o.lastEpoch, o.verbose);
  }

  getLr(): number[] {
    const groups = groupsOf(this.optimizer);
    const { T_max: T, etaMin, lastEpoch: e } = this;
    if (e === 0) return groups.map((g) => g.lr);
    if (this._stepCount === 1 && e > 0) {
      // Resuming at a later epoch: start from the closed form.
      return this.baseLrs.map((b) => etaMin + ((b - etaMin) * (1 + Math.cos((e * Math.PI) / T))) / 2);
    }
    if (pyMod(e - 1 - T, 2 * T) === 0) {
      // At the bottom of the cosine the ratio below would divide by zero: step up by the increment.
      return groups.map((g, i) => g.lr + ((this.baseLrs[i]! - etaMin) * (1 - Math.cos(Math.PI / T))) / 2);
    }
    return groups.map((g) => ((1 + Math.cos((Math.PI * e) / T)) / (1 + Math.cos((Math.PI * (e - 1)) / T))) * (g.lr - etaMin) + etaMin);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => this.etaMin + ((b - this.etaMin) * (1 + Math.cos((Math.PI * this.lastEpoch) / this.T_max))) / 2);
  }
}

export interface CosineAnnealingWarmRestartsOptions extends SchedulerOptions {
  /** Epochs until the first restart: a positive integer. */
  T_0: number;
  /** Growth of the period after each restart: an integer >= 1. Default 1. */
  T_mult?: number;
  /** Minimum lr. Default 0. */
  etaMin?: number;
}

export class CosineAnnealingWarmRestarts extends LRScheduler {
  T_0: number;
  T_i: number;
  T_mult: number;
  etaMin: number;
  T_cur: number;

  constructor(
    optimizer: AnyOptimizer,
    T_0: number | CosineAnnealingWarmRestartsOptions,
    options?: Omit<CosineAnnealingWarmRestartsOptions, 'T_0'>,
  ) {
    super(optimizer);
    const o: CosineAnnealingWarmRestartsOptions = typeof T_0 === 'number' ? { ...options, T_0 } : T_0;
    if (!(Number.isInteger(o.T_0) && o.T_0 > 0)) throw new RangeError(`Expected positive integer T_0, but got ${o.T_0}`);
    const mult = o.T_mult ?? 1;
    if (!(Number.isInteger(mult) && mult >= 1)) throw new RangeError(`Expected integer T_mult >= 1, but got ${mult}`);
    this.T_0 = o.T_0;
    this.T_i = o.T_0;
    this.T_mult = mult;
    this.etaMin = o.etaMin ?? 0;
    this.T_cur = o.lastEpoch ?? -1;
    this.init(o.lastEpoch, o.verbose);
  }

  getLr(): number[] {
    return this.baseLrs.map((b) => this.etaMin + ((b - this.etaMin) * (1 + Math.cos((Math.PI * this.T_cur) / this.T_i))) / 2);
  }

  /**
   * `step()` advances one epoch; `step(epoch)` jumps to a (possibly fractional) epoch, e.g.
   * `step(epoch + i / iters)` after batch i, and finds the restart period it falls in.
   */
  override step(epoch?: number): void {
    if (epoch === undefined && this.lastEpoch < 0) epoch = 0;
    if (epoch === undefined) {
      epoch = this.lastEpoch + 1;
      this.T_cur = this.T_cur + 1;
      if (this.T_cur >= this.T_i) {
        this.T_cur = this.T_cur - this.T_i;
        this.T_i = this.T_i * this.T_mult;
      }
    } else {
      if (epoch < 0) throw new RangeError(`Expected non-negative epoch, but got ${epoch}`);
      if (epoch >= this.T_0) {
        if (this.T_mult === 1) {
          this.T_cur = pyMod(epoch, this.T_0);
        } else {
          // Python's math.log(x, base) is log(x) / log(base).
          const n = Math.trunc(Math.log((epoch / this.T_0) * (this.T_mult - 1) + 1) / Math.log(this.T_mult));
          this.T_cur = epoch - (this.T_0 * (this.T_mult ** n - 1)) / (this.T_mult - 1);
          this.T_i = this.T_0 * this.T_mult ** n;
        }
      } else {
        this.T_i = this.T_0;
        this.T_cur = epoch;
      }
    }
    this.lastEpoch = Math.floor(epoch);
    this._getLrCalledWithinStep = true;
    let values: number[];
    try {
      values = this.getLr();
    } finally {
      this._getLrCalledWithinStep = false;
    }
    this.applyLrs(values, epoch);
  }
}

/** Python's `%`: the result takes the divisor's sign. */
function pyMod(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}
