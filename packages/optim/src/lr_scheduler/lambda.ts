// User-defined schedules (handbook 9.1): LambdaLR sets lr = base_lr × f(epoch); MultiplicativeLR
// multiplies the current lr by f(epoch) every epoch. One function, or one per param group.
import type { StateValue } from '../optimizer.js';
import { type AnyOptimizer, groupsOf, LRScheduler, type SchedulerOptions, type SchedulerStateDict } from './scheduler.js';

export type LrLambda = (epoch: number) => number;

export interface LambdaLROptions extends SchedulerOptions {
  lrLambda: LrLambda | readonly LrLambda[];
}

function lambdasFor(optimizer: AnyOptimizer, lrLambda: LrLambda | readonly LrLambda[]): LrLambda[] {
  const n = optimizer.paramGroups.length;
  if (!Array.isArray(lrLambda)) return new Array<LrLambda>(n).fill(lrLambda as LrLambda);
  if (lrLambda.length !== n) throw new RangeError(`Expected ${n} lr_lambdas, but got ${lrLambda.length}`);
  return [...lrLambda];
}

function options(lrLambda: LrLambda | readonly LrLambda[] | LambdaLROptions, rest?: SchedulerOptions): LambdaLROptions {
  return typeof lrLambda === 'function' || Array.isArray(lrLambda) ? { ...rest, lrLambda: lrLambda as LrLambda } : (lrLambda as LambdaLROptions);
}

/**
 * Functions are code, not state: like PyTorch (which saves only callable objects' `__dict__`), the
 * state dict holds null for each, or the own enumerable properties of a function that has some.
 */
function lambdasState(fns: readonly LrLambda[]): StateValue[] {
  return fns.map((f) => {
    const own = Object.entries(f);
    return own.length === 0 ? null : (Object.fromEntries(own) as { [key: string]: StateValue });
  });
}

function loadLambdas(fns: readonly LrLambda[], saved: StateValue | undefined): void {
  if (!Array.isArray(saved)) return;
  saved.forEach((s, i) => {
    if (s !== null && typeof s === 'object' && fns[i]) Object.assign(fns[i]!, s);
  });
}

/** lr = base_lr × lrLambda(epoch). */
export class LambdaLR extends LRScheduler {
  lrLambdas: LrLambda[];

  constructor(optimizer: AnyOptimizer, lrLambda: LrLambda | readonly LrLambda[] | LambdaLROptions, options_?: SchedulerOptions) {
    super(optimizer);
    const o = options(lrLambda, options_);
    this.lrLambdas = lambdasFor(optimizer, o.lrLambda);
    this.init(o.lastEpoch, o.verbose);
  }

  getLr(): number[] {
    return this.baseLrs.map((b, i) => b * this.lrLambdas[i]!(this.lastEpoch));
  }

  protected override stateExclude(): readonly string[] {
    return ['lrLambdas'];
  }
  override stateDict(): SchedulerStateDict {
    return { ...super.stateDict(), lr_lambdas: lambdasState(this.lrLambdas) };
  }
  override loadStateDict(stateDict: SchedulerStateDict): void {
    const { lr_lambdas: saved, ...rest } = stateDict;
    super.loadStateDict(rest);
    loadLambdas(this.lrLambdas, saved);
  }
}

/** lr = lr × lrLambda(epoch), from epoch 1 on. */
export class MultiplicativeLR extends LRScheduler {
  lrLambdas: LrLambda[];

  constructor(optimizer: AnyOptimizer, lrLambda: LrLambda | readonly LrLambda[] | LambdaLROptions, options_?: SchedulerOptions) {
    super(optimizer);
    const o = options(lrLambda, options_);
    this.lrLambdas = lambdasFor(optimizer, o.lrLambda);
    this.init(o.lastEpoch, o.verbose);
  }

  getLr(): number[] {
    const groups = groupsOf(this.optimizer);
    if (this.lastEpoch > 0) return groups.map((g, i) => g.lr * this.lrLambdas[i]!(this.lastEpoch));
    return groups.map((g) => g.lr);
  }

  protected override stateExclude(): readonly string[] {
    return ['lrLambdas'];
  }
  override stateDict(): SchedulerStateDict {
    return { ...super.stateDict(), lr_lambdas: lambdasState(this.lrLambdas) };
  }
  override loadStateDict(stateDict: SchedulerStateDict): void {
    const { lr_lambdas: saved, ...rest } = stateDict;
    super.loadStateDict(rest);
    loadLambdas(this.lrLambdas, saved);
  }
}
