// CyclicLR (handbook 9.1): the lr cycles between baseLr and maxLr (triangular, triangular2 halving
// the amplitude each cycle, exp_range decaying it by gamma^iteration, or a custom scale function),
// stepped per batch; with cycleMomentum the momentum cycles the opposite way.
import { type AnyOptimizer, groupsOf, LRScheduler, perGroup, type SchedulerOptions } from './scheduler.js';

export type CyclicMode = 'triangular' | 'triangular2' | 'exp_range';

export interface CyclicLROptions extends SchedulerOptions {
  baseLr: number | readonly number[];
  maxLr: number | readonly number[];
  /** Iterations in the rising half of a cycle. Default 2000. */
  stepSizeUp?: number;
  /** Iterations in the falling half. Default stepSizeUp. */
  stepSizeDown?: number | null;
  /** Default 'triangular'. */
  mode?: CyclicMode;
  /** exp_range's decay per iteration. Default 1. */
  gamma?: number;
  /** A custom amplitude scale, replacing mode's. */
  scaleFn?: ((x: number) => number) | null;
  /** What scaleFn is given: the cycle number or the iteration. Default 'cycle'. */
  scaleMode?: 'cycle' | 'iterations';
  /** Default true: needs an optimizer with momentum (SGD, RMSprop). */
  cycleMomentum?: boolean;
  /** Default 0.8. */
  baseMomentum?: number | readonly number[];
  /** Default 0.9. */
  maxMomentum?: number | readonly number[];
}

export class CyclicLR extends LRScheduler {
  maxLrs: number[];
  totalSize: number;
  stepRatio: number;
  mode: CyclicMode | string;
  gamma: number;
  scaleMode: 'cycle' | 'iterations';
  cycleMomentum: boolean;
  baseMomentums?: number[];
  maxMomentums?: number[];
  /** Not state: a function. */
  private readonly scaleFnCustom: ((x: number) => number) | null;

  constructor(optimizer: AnyOptimizer, baseLr: number | readonly number[] | CyclicLROptions, maxLr?: number | readonly number[], options?: Omit<CyclicLROptions, 'baseLr' | 'maxLr'>) {
    super(optimizer);
    const o: CyclicLROptions =
      typeof baseLr === 'number' || Array.isArray(baseLr) ? { ...options, baseLr: baseLr as number, maxLr: maxLr as number } : (baseLr as CyclicLROptions);
    const lastEpoch = o.lastEpoch ?? -1;
    const baseLrs = perGroup('base_lr', optimizer, o.baseLr);
    if (lastEpoch === -1) groupsOf(optimizer).forEach((g, i) => (g.lr = baseLrs[i]!));
    this.maxLrs = perGroup('max_lr', optimizer, o.maxLr);
    const up = o.stepSizeUp ?? 2000;
    const down = o.stepSizeDown ?? up;
    this.totalSize = up + down;
    this.stepRatio = up / this.totalSize;
    const mode = o.mode ?? 'triangular';
    this.scaleFnCustom = o.scaleFn ?? null;
    if (!['triangular', 'triangular2', 'exp_range'].includes(mode) && this.scaleFnCustom === null) {
      throw new RangeError('mode is invalid and scale_fn is None');
    }
    this.mode = mode;
    this.gamma = o.gamma ?? 1.0;
    this.scaleMode = this.scaleFnCustom ? (o.scaleMode ?? 'cycle') : mode === 'exp_range' ? 'iterations' : 'cycle';
    this.cycleMomentum = o.cycleMomentum ?? true;
    if (this.cycleMomentum) {
      if (!('momentum' in optimizer.defaults)) throw new Error('optimizer must support momentum with `cycle_momentum` option enabled');
      const baseMomentums = perGroup('base_momentum', optimizer, o.baseMomentum ?? 0.8);
      if (lastEpoch === -1) groupsOf(optimizer).forEach((g, i) => (g['momentum'] = baseMomentums[i]!));
      this.baseMomentums = groupsOf(optimizer).map((g) => g['momentum'] as number);
      this.maxMomentums = perGroup('max_momentum', optimizer, o.maxMomentum ?? 0.9);
    }
    this.init(lastEpoch, o.verbose);
    this.baseLrs = baseLrs;
  }

  /** The amplitude scale at x (the cycle number or the iteration, per scaleMode). */
  scaleFn(x: number): number {
    if (this.scaleFnCustom) return this.scaleFnCustom(x);
    if (this.mode === 'triangular') return 1.0;
    if (this.mode === 'triangular2') return 1 / 2.0 ** (x - 1);
    return this.gamma ** x;
  }

  getLr(): number[] {
    const cycle = Math.floor(1 + this.lastEpoch / this.totalSize);
    const x = 1.0 + this.lastEpoch / this.totalSize - cycle;
    const scaleFactor = x <= this.stepRatio ? x / this.stepRatio : (x - 1) / (this.stepRatio - 1);
    const at = this.scaleMode === 'cycle' ? cycle : this.lastEpoch;
    const lrs = this.baseLrs.map((base, i) => base + (this.maxLrs[i]! - base) * scaleFactor * this.scaleFn(at));
    if (this.cycleMomentum) {
      const groups = groupsOf(this.optimizer);
      this.baseMomentums!.forEach((base, i) => {
        const max = this.maxMomentums![i]!;
        groups[i]!['momentum'] = max - (max - base) * scaleFactor * this.scaleFn(at);
      });
    }
    return lrs;
  }

  /** A custom scale function is code, not state: it stays out of the state dict. */
  protected override stateExclude(): readonly string[] {
    return ['scaleFnCustom'];
  }
}
