// The Optimizer base class (handbook 8.2): param groups with per-group options, zeroGrad, step,
// and state dicts in PyTorch's layout, so states move between Kindling and PyTorch both ways.
import { Tensor } from '@kindling/tensor';
import * as autograd from '@kindling/autograd';
import { pyRepr, warnOnce } from './format.js';
import { toCamel, toSnake } from './keys.js';

/** The options every optimizer has. Concrete optimizers extend this with their own. */
export interface OptimizerOptions {
  lr: number;
}

/**
 * One parameter group: its tensors and its options. The options are live: `group.lr = 1e-4` changes
 * the next step, as `param_group['lr'] = 1e-4` does in PyTorch. Schedulers add their own bookkeeping
 * keys (`initialLr`, `maxLr`, ...), hence the index signature.
 */
export type ParamGroup<O extends OptimizerOptions = OptimizerOptions> = O & { params: Tensor[]; [key: string]: unknown };

/** A group as given to a constructor or `addParamGroup`: its params, and any options to override. */
export type ParamGroupInput<O extends OptimizerOptions = OptimizerOptions> = Partial<O> & {
  params: Iterable<Tensor> | Tensor;
  [key: string]: unknown;
};

/** What an optimizer is given: tensors (one group), or groups with per-group options. */
export type Params<O extends OptimizerOptions = OptimizerOptions> = Iterable<Tensor> | Iterable<ParamGroupInput<O>>;

/** A value in a state dict: what `torch.save` can write and PyTorch's optimizers keep. */
export type StateValue = Tensor | number | boolean | string | null | readonly StateValue[] | { readonly [key: string]: StateValue };

/** Per-parameter optimizer state, keyed by PyTorch's names (`exp_avg`, `momentum_buffer`, `step`, ...). */
export type ParamState = Record<string, unknown>;

/** `optimizer.state_dict()`'s layout: state keyed by parameter index, groups with `params` as indices. */
export interface OptimizerStateDict {
  state: { [index: string]: { [key: string]: StateValue } };
  param_groups: ({ params: number[] } & { [key: string]: StateValue })[];
}

/** A closure re-evaluates the model, calls backward and returns the loss (LBFGS needs one). */
export type Closure<L extends Tensor | number = Tensor | number> = () => L;

const REQUIRED = Symbol('required');

/** Marks an option that has no default: each group must then give it (SGD's lr in PyTorch 1.13). */
export type Required = typeof REQUIRED;
export const required: Required = REQUIRED;

export abstract class Optimizer<O extends OptimizerOptions = OptimizerOptions> {
  readonly defaults: O;
  /** Per-parameter state, as PyTorch's `optimizer.state[p]`. */
  state = new Map<Tensor, ParamState>();
  paramGroups: ParamGroup<O>[] = [];
  /** How many times step() ran since a scheduler last reset it (schedulers warn when they step first). */
  _stepCount = 0;

  protected constructor(params: Params<O>, defaults: { [K in keyof O]: O[K] | Required }) {
    this.defaults = defaults as O;
    if (params instanceof Tensor) {
      throw new TypeError(`params argument given to the optimizer should be an iterable of Tensors or dicts, but got ${params.type()}`);
    }
    if (params === null || params === undefined || typeof (params as Iterable<unknown>)[Symbol.iterator] !== 'function') {
      throw new TypeError(`params argument given to the optimizer should be an iterable of Tensors or dicts, but got ${typeName(params)}`);
    }
    let groups = Array.from(params as Iterable<Tensor | ParamGroupInput<O>>);
    if (groups.length === 0) throw new Error('optimizer got an empty parameter list');
    if (!isGroup(groups[0])) groups = [{ params: groups as Tensor[] } as unknown as ParamGroupInput<O>];
    for (const g of groups) {
      if (!isGroup(g)) throw new TypeError('param groups must all be objects with a `params` entry when the first one is');
      this.addParamGroup(g);
    }
  }

  /** Check one group's options; PyTorch's messages ("Invalid learning rate: -0.1"). */
  protected abstract validate(group: O): void;

  /** Add a group of params (with its own options) to optimize, e.g. layers unfrozen while fine tuning. */
  addParamGroup(paramGroup: ParamGroupInput<O>): void {
    if (!isGroup(paramGroup)) throw new TypeError('param group must be an object with a `params` entry');
    const input = paramGroup.params;
    let params: unknown[];
    if (input instanceof Tensor) params = [input];
    else if (input instanceof Set) {
      throw new TypeError(
        'optimizer parameters need to be organized in ordered collections, but the ordering of tensors in sets will change between runs. Please use a list instead.',
      );
    } else params = Array.from(input as Iterable<unknown>);
    for (const p of params) {
      if (!(p instanceof Tensor)) throw new TypeError(`optimizer can only optimize Tensors, but one of the params is ${typeName(p)}`);
      // (Narrowing by instanceof gives the class type, without the members autograd adds to it.)
      if (!(p.isLeaf || (p as unknown as Tensor).retainsGrad)) throw new Error("can't optimize a non-leaf Tensor");
    }
    const group: Record<string, unknown> = { ...paramGroup, params };
    for (const [name, value] of Object.entries(this.defaults as object)) {
      if (group[name] !== undefined) continue;
      if (value === REQUIRED) throw new Error(`parameter group didn't specify a value of required optimization parameter ${toSnake(name)}`);
      group[name] = Array.isArray(value) ? [...value] : value;
    }
    const tensors = params as Tensor[];
    if (new Set(tensors).size !== tensors.length) {
      warnOnce(
        'optimizer contains a parameter group with duplicate parameters; in future, this will cause an error; see github.com/pytorch/pytorch/issues/40967 for more information',
      );
    }
    const seen = new Set(this.paramGroups.flatMap((g) => g.params));
    if (tensors.some((p) => seen.has(p))) throw new Error('some parameters appear in more than one parameter group');
    this.validate(group as unknown as O);
    this.paramGroups.push(group as ParamGroup<O>);
  }

  /**
   * Reset the gradients of every parameter. PyTorch 1.13's default keeps the grad tensors and fills
   * them with zeros; `{ setToNone: true }` drops them instead (and params without a grad are then
   * skipped by step(), where a zero grad would still apply weight decay and momentum).
   */
  zeroGrad(opts: { setToNone?: boolean } = {}): void {
    const setToNone = opts.setToNone ?? false;
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        const g = p.grad;
        if (!g) continue;
        if (setToNone) {
          p.grad = null;
          continue;
        }
        if (g.gradFn) g.detach_();
        else g.requiresGrad = false;
        autograd.noGrad(() => g.zero_());
      }
    }
  }

  /** One optimization step. With a closure, it is evaluated first (with grad enabled) and its loss returned. */
  abstract step<L extends Tensor | number>(closure?: Closure<L>): L | undefined;

  /** Run the closure, if any, with grad enabled, as PyTorch's step() does. */
  protected evaluate<L extends Tensor | number>(closure?: Closure<L>): L | undefined {
    return closure ? autograd.enableGrad(closure) : undefined;
  }

  /** Params of a group that have a gradient, in order: the ones a step updates. */
  protected withGrad(group: ParamGroup<O>): Tensor[] {
    return group.params.filter((p) => p.grad !== null);
  }

  /** The state of `p`, created on first use. */
  protected stateOf(p: Tensor): ParamState {
    let s = this.state.get(p);
    if (!s) {
      s = {};
      this.state.set(p, s);
    }
    return s;
  }

  /** A param's live state as it goes into a state dict (PyTorch keeps some scalars as tensors). */
  protected packState(state: ParamState): { [key: string]: StateValue } {
    return { ...(state as { [key: string]: StateValue }) };
  }

  /** The live state of a param from a state dict's entry (already copied and cast to the param). */
  protected unpackState(entry: { [key: string]: StateValue }): ParamState {
    return { ...entry };
  }

  /**
   * The optimizer's state in PyTorch's layout. Like PyTorch, the state tensors are the live ones, not
   * copies: save them (or clone them) before stepping again if they must not change.
   */
  stateDict(): OptimizerStateDict {
    const index = new Map<Tensor, number>();
    let next = 0;
    const groups = this.paramGroups.map((g) => {
      const packed: { [key: string]: StateValue } = {};
      for (const [k, v] of Object.entries(g)) {
        if (k !== 'params') packed[toSnake(k)] = copyPlain(v as StateValue);
      }
      for (const p of g.params) if (!index.has(p)) index.set(p, next++);
      return { ...packed, params: g.params.map((p) => index.get(p)!) };
    });
    const state: OptimizerStateDict['state'] = {};
    for (const [p, s] of this.state) {
      const i = index.get(p);
      if (i !== undefined) state[i] = this.packState(s);
    }
    return { state, param_groups: groups };
  }

  /**
   * Load a state from `stateDict()` here or from PyTorch's `optimizer.state_dict()`: the groups must
   * match this optimizer's in number and size. Tensors are copied, and cast to their param's dtype and
   * device (except `step`), as PyTorch does.
   */
  loadStateDict(stateDict: OptimizerStateDict): void {
    const saved = stateDict.param_groups;
    if (!Array.isArray(saved) || typeof stateDict.state !== 'object' || stateDict.state === null) {
      throw new TypeError('loadStateDict expects an object with `state` and `param_groups`, as stateDict() returns');
    }
    if (saved.length !== this.paramGroups.length) throw new Error('loaded state dict has a different number of parameter groups');
    if (saved.some((g, i) => g.params.length !== this.paramGroups[i]!.params.length)) {
      throw new Error("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
    }
    const byIndex = new Map<string, Tensor>();
    saved.forEach((g, i) => g.params.forEach((id, j) => byIndex.set(String(id), this.paramGroups[i]!.params[j]!)));
    const state = new Map<Tensor, ParamState>();
    for (const [id, entry] of Object.entries(stateDict.state)) {
      const p = byIndex.get(id);
      // PyTorch keeps entries that belong to no param as they are; they cannot key a Map of tensors here.
      if (!p) continue;
      const cast: { [key: string]: StateValue } = {};
      for (const [k, v] of Object.entries(entry)) cast[k] = castTo(p, v, k);
      state.set(p, this.unpackState(cast));
    }
    const groups = saved.map((g, i) => {
      const group: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(g)) if (k !== 'params') group[toCamel(k)] = copyPlain(v);
      // Options this version has and the saved one lacks (an older PyTorch) take the defaults.
      for (const [k, v] of Object.entries(this.defaults as object)) if (group[k] === undefined && v !== REQUIRED) group[k] = v;
      group['params'] = this.paramGroups[i]!.params;
      return group as ParamGroup<O>;
    });
    this.state = state;
    this.paramGroups = groups;
  }

  toString(): string {
    const lines = [`${this.constructor.name} (`];
    this.paramGroups.forEach((g, i) => {
      lines.push(`Parameter Group ${i}`);
      for (const k of Object.keys(g).filter((k) => k !== 'params').map(toSnake).sort()) {
        const v = (g as Record<string, unknown>)[toCamel(k)];
        lines.push(`    ${k}: ${formatOption(v)}`);
      }
    });
    lines.push(')');
    return lines.join('\n');
  }
}

/** Options every Kindling optimizer accepts for PyTorch compatibility but only in their default form. */
export function refuseUnsupported(name: string, opts: object): void {
  for (const flag of ['differentiable', 'capturable', 'fused'] as const) {
    if ((opts as Record<string, unknown>)[flag]) {
      throw new Error(`${name}: ${flag}=True is not supported by Kindling; leave it False`);
    }
  }
}

/** Shared hyperparameter checks, with PyTorch's messages. */
export function check(ok: boolean, what: string, value: unknown): void {
  if (!ok) throw new RangeError(`Invalid ${what}: ${typeof value === 'number' ? pyRepr(value) : String(value)}`);
}

export function checkBetas(betas: readonly number[]): void {
  if (!Array.isArray(betas) || betas.length !== 2) throw new TypeError(`betas must be a pair of numbers, got ${String(betas)}`);
  betas.forEach((b, i) => {
    if (!(b >= 0 && b < 1)) throw new RangeError(`Invalid beta parameter at index ${i}: ${pyRepr(b)}`);
  });
}

/** `new X(params, 0.1)`, `new X(params, { lr: 0.1 })` and `new X(params, 0.1, { ... })` all work. */
export function mergeOptions<T extends { lr?: number }>(lrOrOptions: number | T | undefined, options: T | undefined): T {
  if (typeof lrOrOptions === 'number') return { ...(options ?? ({} as T)), lr: lrOrOptions };
  return { ...(lrOrOptions ?? ({} as T)), ...(options ?? {}) };
}

function isGroup(x: unknown): x is ParamGroupInput {
  return typeof x === 'object' && x !== null && !(x instanceof Tensor) && 'params' in x;
}

function typeName(x: unknown): string {
  if (x === null) return 'NoneType';
  if (Array.isArray(x)) return 'list';
  if (typeof x === 'object') return (x as object).constructor?.name ?? 'object';
  return typeof x;
}

function formatOption(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return pyRepr(v);
  if (Array.isArray(v)) return `(${v.map(formatOption).join(', ')})`;
  return String(v);
}

/** A deep copy of plain data (arrays, objects); tensors are cloned. */
function copyPlain(v: StateValue): StateValue {
  if (v instanceof Tensor) return v.clone();
  if (Array.isArray(v)) return v.map(copyPlain);
  if (v !== null && typeof v === 'object') {
    const out: { [key: string]: StateValue } = {};
    for (const [k, x] of Object.entries(v)) out[k] = copyPlain(x as StateValue);
    return out;
  }
  return v;
}

/** PyTorch's load_state_dict cast: copy, and move tensors to the param's dtype (if floating) and device. */
function castTo(param: Tensor, v: StateValue, key: string): StateValue {
  if (v instanceof Tensor) {
    // `step` keeps its own dtype: PyTorch keeps it float32 whatever the params are.
    let t = v.detach();
    if (key !== 'step') {
      if (param.isFloatingPoint() && t.dtype !== param.dtype) t = t.to(param.dtype);
      if (!t.device.equals(param.device)) t = t.to(param.device);
    }
    return t === v || t._ref === v._ref ? t.clone() : t;
  }
  if (Array.isArray(v)) return v.map((x) => castTo(param, x, ''));
  if (v !== null && typeof v === 'object') {
    const out: { [key: string]: StateValue } = {};
    for (const [k, x] of Object.entries(v)) out[k] = castTo(param, x as StateValue, k);
    return out;
  }
  return v;
}
