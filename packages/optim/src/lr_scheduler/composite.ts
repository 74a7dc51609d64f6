// Schedulers made of schedulers (handbook 9.1): SequentialLR hands over from one to the next at
// milestones (warm-up then decay); ChainedScheduler steps several at once, so their multiplicative
// changes compose.
import { LRScheduler, type AnyOptimizer, groupsOf, fieldsToDict, dictToFields, type SchedulerStateDict } from './scheduler.js';

export interface SequentialLROptions {
  schedulers: readonly LRScheduler[];
  /** Epochs at which the next scheduler takes over: one fewer than schedulers. */
  milestones: readonly number[];
  lastEpoch?: number;
  verbose?: boolean;
}

function bisectRight(sorted: readonly number[], x: number): number {
  let i = 0;
  while (i < sorted.length && sorted[i]! <= x) i++;
  return i;
}

export class SequentialLR extends LRScheduler {
  _schedulers: LRScheduler[];
  _milestones: number[];

  constructor(
    optimizer: AnyOptimizer,
    schedulers: readonly LRScheduler[] | SequentialLROptions,
    milestones?: readonly number[],
    options: { lastEpoch?: number; verbose?: boolean } = {},
  ) {
    super(optimizer);
    const o: SequentialLROptions = Array.isArray(schedulers)
      ? { ...options, schedulers: schedulers as readonly LRScheduler[], milestones: milestones ?? [] }
      : (schedulers as SequentialLROptions);
    o.schedulers.forEach((s, i) => {
      if (s.optimizer !== optimizer) {
        throw new Error(
          `Sequential Schedulers expects all schedulers to belong to the same optimizer, but got schedulers at index ${i} to be different than the optimizer passed in.`,
        );
      }
      if (s.optimizer !== o.schedulers[0]!.optimizer) {
        throw new Error(`Sequential Schedulers expects all schedulers to belong to the same optimizer, but got schedulers at index 0 and ${i} to be different.`);
      }
    });
    if (o.milestones.length !== o.schedulers.length - 1) {
      throw new RangeError(
        `Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers ${o.schedulers.length} and the number of milestones to be equal to ${o.milestones.length}`,
      );
    }
    this._schedulers = [...o.schedulers];
    this._milestones = [...o.milestones];
    this.lastEpoch = (o.lastEpoch ?? -1) + 1;
    // Start over from the initial lrs with the first scheduler: each sub-scheduler already took its
    // own first step when it was built.
    for (const g of groupsOf(optimizer)) g.lr = g['initialLr'] as number;
    for (const s of this._schedulers) s.lastEpoch -= 1;
    this._schedulers[0]!.initialStep();
    this._lastLr = this._schedulers[0]!.getLastLr();
  }

  getLr(): number[] {
    return this.getLastLr();
  }

  override step(): void {
    this.lastEpoch += 1;
    const idx = bisectRight(this._milestones, this.lastEpoch);
    const scheduler = this._schedulers[idx]!;
    // At its milestone a scheduler restarts from epoch 0 (PyTorch's step(0): the closed form).
    if (idx > 0 && this._milestones[idx - 1] === this.lastEpoch) scheduler.step(0);
    else scheduler.step();
    this._lastLr = scheduler.getLastLr();
  }

  override stateDict(): SchedulerStateDict {
    return {
      ...fieldsToDict(this, ['optimizer', '_schedulers', 'baseLrs', 'verbose', '_stepCount', '_getLrCalledWithinStep']),
      _schedulers: this._schedulers.map((s) => s.stateDict()),
    };
  }

  override loadStateDict(stateDict: SchedulerStateDict): void {
    const { _schedulers: subs, ...rest } = stateDict;
    dictToFields(this, rest);
    if (Array.isArray(subs)) subs.forEach((s, i) => this._schedulers[i]?.loadStateDict(s as SchedulerStateDict));
  }
}

export class ChainedScheduler extends LRScheduler {
  _schedulers: LRScheduler[];

  constructor(schedulers: readonly LRScheduler[]) {
    if (schedulers.length === 0) throw new RangeError('ChainedScheduler expects at least one scheduler');
    super(schedulers[0]!.optimizer);
    for (let i = 1; i < schedulers.length; i++) {
      if (schedulers[i]!.optimizer !== schedulers[0]!.optimizer) {
        throw new Error(`ChainedScheduler expects all schedulers to belong to the same optimizer, but got schedulers at index 0 and ${i} to be different`);
      }
    }
    this._schedulers = [...schedulers];
    this._lastLr = groupsOf(this.optimizer).map((g) => g.lr);
  }

  getLr(): number[] {
    return this.getLastLr();
  }

  override step(): void {
    for (const s of this._schedulers) s.step();
    this._lastLr = groupsOf(this.optimizer).map((g) => g.lr);
  }

  override stateDict(): SchedulerStateDict {
    return {
      ...fieldsToDict(this, ['optimizer', '_schedulers', 'baseLrs', 'lastEpoch', 'verbose', '_stepCount', '_getLrCalledWithinStep']),
      _schedulers: this._schedulers.map((s) => s.stateDict()),
    };
  }

  override loadStateDict(stateDict: SchedulerStateDict): void {
    const { _schedulers: subs, ...rest } = stateDict;
    dictToFields(this, rest);
    if (Array.isArray(subs)) subs.forEach((s, i) => this._schedulers[i]?.loadStateDict(s as SchedulerStateDict));
  }
}
