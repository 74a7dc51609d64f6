// The LRScheduler base (PyTorch 1.13's _LRScheduler): base lrs from the groups' `initialLr`, the
// chainable step() that reads and writes `group.lr`, the closed form for step(epoch), getLastLr(),
// and state dicts with PyTorch's keys (the scheduler's fields, snake_case).
import { Optimizer, type OptimizerOptions, type ParamGroup, type StateValue } from '../optimizer.js';
import { pyExp4, warnOnce } from '../format.js';
import { toCamel, toSnake } from '../keys.js';

export type AnyOptimizer = Optimizer<OptimizerOptions>;

/** A scheduler's state dict: its fields under PyTorch's names (`last_epoch`, `base_lrs`, `_step_count`, ...). */
export type SchedulerStateDict = { [key: string]: StateValue };

/** Options every LRScheduler takes. */
export interface SchedulerOptions {
  /** The index of the last epoch when resuming; -1 starts fresh. Default -1. */
  lastEpoch?: number;
  /** Print each lr change. Default false. */
  verbose?: boolean;
}

export const EPOCH_DEPRECATION_WARNING =
  'The epoch parameter in `scheduler.step()` was not necessary and is being deprecated where possible. Please use `scheduler.step()` to step the scheduler. During the deprecation, if epoch is different from None, the closed form is used instead of the new chainable form, where available. Please open an issue if you are unable to replicate your use case: https://github.com/pytorch/pytorch/issues/new/choose.';

type CountedStep = AnyOptimizer['step'] & { _withCounter?: boolean };

export function checkOptimizer(optimizer: unknown): asserts optimizer is AnyOptimizer {
  if (!(optimizer instanceof Optimizer)) {
    const name = optimizer === null || optimizer === undefined ? String(optimizer) : ((optimizer as object).constructor?.name ?? typeof optimizer);
    throw new TypeError(`${name} is not an Optimizer`);
  }
}

/** The groups of an optimizer with the bookkeeping keys schedulers add, readable by name. */
export function groupsOf(optimizer: AnyOptimizer): ParamGroup[] {
  return optimizer.paramGroups;
}

/** One value per param group: a list must have one per group, a single value is repeated. */
export function perGroup<T>(name: string, optimizer: AnyOptimizer, value: T | readonly T[]): T[] {
  const n = optimizer.paramGroups.length;
  if (Array.isArray(value)) {
    if (value.length !== n) throw new RangeError(`expected ${n} values for ${name}, got ${value.length}`);
    return [...(value as readonly T[])];
  }
  return new Array<T>(n).fill(value as T);
}

export abstract class LRScheduler {
  readonly optimizer: AnyOptimizer;
  baseLrs: number[] = [];
  lastEpoch = -1;
  verbose = false;
  _stepCount = 0;
  _getLrCalledWithinStep = false;
  _lastLr: number[] = [];

  protected constructor(optimizer: AnyOptimizer) {
    checkOptimizer(optimizer);
    this.optimizer = optimizer;
  }

  /**
   * PyTorch's `_LRScheduler.__init__`. Subclasses call it at the end of their constructor, once their
   * own fields are set, because it takes the first step (which reads them).
   */
  protected init(lastEpoch = -1, verbose = false): void {
    const groups = groupsOf(this.optimizer);
    if (lastEpoch === -1) {
      for (const g of groups) g['initialLr'] ??= g.lr;
    } else {
      groups.forEach((g, i) => {
        if (g['initialLr'] === undefined) {
          throw new Error(`param 'initial_lr' is not specified in param_groups[${i}] when resuming an optimizer`);
        }
      });
    }
    this.baseLrs = groups.map((g) => g['initialLr'] as number);
    this.lastEpoch = lastEpoch;
    countSteps(this.optimizer);
    this.verbose = verbose;
    this.initialStep();
  }

  /** Reset the step counters and take step 0 (sets the first lr). */
  initialStep(): void {
    this.optimizer._stepCount = 0;
    this._stepCount = 0;
    this.step();
  }

  /** The lrs the last step() set, one per param group. */
  getLastLr(): number[] {
    return [...this._lastLr];
  }

  /** The lrs for `lastEpoch`, computed from the current ones (the chainable form). */
  abstract getLr(): number[];

  /** The lrs for `lastEpoch` from the base lrs alone; step(epoch) uses it where it exists. */
  protected closedFormLr?(): number[];

  /**
   * Advance one epoch (or batch, for per-batch schedules) and set each group's lr. `step(epoch)` is
   * PyTorch's deprecated form: it jumps to `epoch` with the closed form where there is one.
   */
  step(epoch?: number): void {
    this.warnOrder();
    this._stepCount += 1;
    let values: number[];
    this._getLrCalledWithinStep = true;
    try {
      if (epoch === undefined) {
        this.lastEpoch += 1;
        values = this.getLr();
      } else {
        warnOnce(EPOCH_DEPRECATION_WARNING);
        this.lastEpoch = epoch;
        values = this.closedFormLr ? this.closedFormLr() : this.getLr();
      }
    } finally {
      this._getLrCalledWithinStep = false;
    }
    this.applyLrs(values, epoch);
  }

  protected applyLrs(values: readonly number[], epoch?: number): void {
    const groups = groupsOf(this.optimizer);
    groups.forEach((g, i) => {
      if (i >= values.length) return;
      g.lr = values[i]!;
      this.printLr(this.verbose, i, values[i]!, epoch);
    });
    this._lastLr = groups.map((g) => g.lr);
  }

  /** PyTorch's two warnings about the order of optimizer.step() and scheduler.step(). */
  protected warnOrder(): void {
    if (this._stepCount !== 1) return;
    if (!(this.optimizer.step as CountedStep)._withCounter) {
      warnOnce(
        'Seems like `optimizer.step()` has been overridden after learning rate scheduler initialization. Please, make sure to call `optimizer.step()` before `lr_scheduler.step()`. See more details at https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate',
      );
    } else if (this.optimizer._stepCount < 1) {
      warnOnce(
        'Detected call of `lr_scheduler.step()` before `optimizer.step()`. In PyTorch 1.1.0 and later, you should call them in the opposite order: `optimizer.step()` before `lr_scheduler.step()`.  Failure to do this will result in PyTorch skipping the first value of the learning rate schedule. See more details at https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate',
      );
    }
  }

  protected printLr(isVerbose: boolean, group: number, lr: number, epoch?: number): void {
    if (!isVerbose) return;
    if (epoch === undefined) {
      console.log(`Adjusting learning rate of group ${group} to ${pyExp4(lr)}.`);
    } else {
      const e = Number.isInteger(epoch) ? String(epoch).padStart(5, '0') : epoch.toFixed(2);
      console.log(`Epoch ${e}: adjusting learning rate of group ${group} to ${pyExp4(lr)}.`);
    }
  }

  /** Fields left out of the state dict besides the optimizer and functions. */
  protected stateExclude(): readonly string[] {
    return [];
  }

  /** The scheduler's state in PyTorch's layout: every field but the optimizer (and functions). */
  stateDict(): SchedulerStateDict {
    return fieldsToDict(this, ['optimizer', ...this.stateExclude()]);
  }

  /** Restore a state from stateDict() here or PyTorch's `scheduler.state_dict()`. */
  loadStateDict(stateDict: SchedulerStateDict): void {
    dictToFields(this, stateDict);
  }
}

/** Wrap optimizer.step once so it counts calls, as PyTorch's `with_counter` does. */
export function countSteps(optimizer: AnyOptimizer): void {
  const current = optimizer.step as CountedStep;
  if (current._withCounter) return;
  const counted = function (this: unknown, ...args: unknown[]) {
    optimizer._stepCount += 1;
    return (current as (...a: unknown[]) => unknown).apply(optimizer, args);
  } as CountedStep;
  counted._withCounter = true;
  optimizer.step = counted;
}

/** An object's own data fields as a state dict: snake_case keys, arrays and objects copied. */
export function fieldsToDict(obj: object, exclude: readonly string[]): SchedulerStateDict {
  const out: SchedulerStateDict = {};
  for (const [k, v] of Object.entries(obj)) {
    if (exclude.includes(k) || typeof v === 'function' || v === undefined) continue;
    out[toSnake(k)] = copy(v as StateValue);
  }
  return out;
}

/** Assign a state dict's entries to an object's fields (PyTorch's `__dict__.update`). */
export function dictToFields(obj: object, dict: SchedulerStateDict): void {
  for (const [k, v] of Object.entries(dict)) (obj as Record<string, unknown>)[toCamel(k)] = copy(v);
}

function copy(v: StateValue): StateValue {
  if (Array.isArray(v)) return v.map(copy);
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const out: { [key: string]: StateValue } = {};
    for (const [k, x] of Object.entries(v)) out[k] = copy(x as StateValue);
    return out;
  }
  return v;
}
