import { type DeviceLike, type DType, isDType, Tensor, to } from '@kindling/tensor';
import { noGrad } from '@kindling/autograd';
import { Parameter } from './parameter.js';

export type ForwardPreHook = (module: Module, args: unknown[]) => unknown[] | void;
export type ForwardHook = (module: Module, args: unknown[], output: unknown) => unknown;
export interface RemovableHandle {
  remove(): void;
}
export type StateDict = Record<string, Tensor>;
/** What `loadStateDict` returns: PyTorch's `_IncompatibleKeys`. */
export interface LoadResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}
export interface NamedOptions {
  /** Prepended (with a dot) to every name. */
  prefix?: string;
  /** Only this module's own entries, not its descendants'. */
  recurse?: boolean;
}
export interface NamedModulesOptions {
  prefix?: string;
  /** Report a module reachable under two names once (PyTorch's default) or under each name. */
  removeDuplicate?: boolean;
}

/** Internal state, kept off the enumerable properties so attribute scanning finds only children and parameters. */
interface ModuleState {
  training: boolean;
  buffers: Map<string, Tensor | null>;
  nonPersistent: Set<string>;
  preHooks: ForwardPreHook[];
  hooks: ForwardHook[];
}
const STATE = Symbol('kindling.module');

const join = (prefix: string, name: string) => (prefix ? `${prefix}.${name}` : name);
const sizeRepr = (t: Tensor) => `torch.Size([${t.shape.join(', ')}])`;

/**
 * `nn.Module`. Parameters and submodules are registered by assignment (`this.fc = new Linear(…)`),
 * found by scanning own enumerable properties in the order they were created, as PyTorch's
 * `__setattr__` records them. (TypeScript class fields are created in declaration order, before the
 * constructor body runs, so declare them in the order you want them listed.) Buffers are registered
 * with `registerBuffer`. `forward(...)` runs the module with its hooks; `call(...)` is the same.
 */
export class Module {
  declare private readonly [STATE]: ModuleState;

  constructor() {
    Object.defineProperty(this, STATE, {
      value: { training: true, buffers: new Map(), nonPersistent: new Set(), preHooks: [], hooks: [] } satisfies ModuleState,
      enumerable: false,
    });
  }

  /** The computation; subclasses override it. */
  forward(..._args: unknown[]): unknown {
    throw new Error(`Module [${this.typeName}] is missing the required "forward" function`);
  }

  /** PyTorch's `module(x)`: forward with the forward hooks (which `forward` runs too). */
  call(...args: unknown[]): unknown {
    return this.forward(...args);
  }

  get training(): boolean {
    return this[STATE].training;
  }
  set training(mode: boolean) {
    this[STATE].training = mode;
  }

  // ---- registration --------------------------------------------------------------------------

  /** Own (name, child) pairs in registration order. Containers override this. */
  protected ownModules(): [string, Module | null][] {
    return Object.entries(this).filter((e): e is [string, Module | null] => e[1] instanceof Module);
  }
  protected ownParameters(): [string, Parameter | null][] {
    return Object.entries(this).filter((e): e is [string, Parameter | null] => e[1] instanceof Parameter);
  }
  /** Own (name, buffer) pairs in registration order, null buffers included. */
  protected ownBuffers(): [string, Tensor | null][] {
    return [...this[STATE].buffers];
  }

  private checkName(kind: string, name: string): void {
    if (name === '') throw new Error(`${kind} name can't be empty string ""`);
    if (name.includes('.')) throw new Error(`${kind} name can't contain "."${kind === 'module' ? `, got: ${name}` : ''}`);
  }
  registerParameter(name: string, param: Parameter | null): void {
    this.checkName('parameter', name);
    const current = (this as Record<string, unknown>)[name];
    if (name in this && current !== undefined && current !== null && !(current instanceof Parameter)) {
      throw new Error(`attribute '${name}' already exists`);
    }
    if (param !== null && !(param instanceof Parameter)) {
      throw new TypeError(`cannot assign '${typeof param}' object to parameter '${name}' (torch.nn.Parameter or None required)`);
    }
    (this as Record<string, unknown>)[name] = param;
  }
  registerModule(name: string, module: Module | null): void {
    this.checkName('module', name);
    (this as Record<string, unknown>)[name] = module;
  }
  addModule(name: string, module: Module | null): void {
    this.registerModule(name, module);
  }
  /** A tensor that is state but not a parameter (running statistics); in stateDict unless non-persistent. */
  registerBuffer(name: string, tensor: Tensor | null, opts?: { persistent?: boolean }): void {
    this.checkName('buffer', name);
    if (tensor !== null && !(tensor instanceof Tensor)) throw new TypeError(`cannot assign '${typeof tensor}' object to buffer '${name}' (torch Tensor or None required)`);
    const st = this[STATE];
    st.buffers.set(name, tensor);
    if (opts?.persistent === false) st.nonPersistent.add(name);
    else st.nonPersistent.delete(name);
    Object.defineProperty(this, name, {
      get: () => st.buffers.get(name) ?? null,
      set: (v: Tensor | null) => st.buffers.set(name, v),
      enumerable: false,
      configurable: true,
    });
  }

  // ---- traversal -----------------------------------------------------------------------------

  namedChildren(): [string, Module][] {
    const seen = new Set<Module>();
    return this.ownModules().filter((e): e is [string, Module] => {
      if (!e[1] || seen.has(e[1])) return false;
      seen.add(e[1]);
      return true;
    });
  }
  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }
  /** (dotted name, module) for this module ('' or the prefix) and every descendant, depth first. */
  namedModules(opts?: NamedModulesOptions): [string, Module][] {
    const out: [string, Module][] = [];
    const memo = new Set<Module>();
    const dedupe = opts?.removeDuplicate ?? true;
    const visit = (m: Module, prefix: string) => {
      if (dedupe) {
        if (memo.has(m)) return;
        memo.add(m);
      }
      out.push([prefix, m]);
      for (const [name, child] of m.ownModules()) if (child) visit(child, join(prefix, name));
    };
    visit(this, opts?.prefix ?? '');
    return out;
  }
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }
  private namedMembers<T extends Tensor>(get: (m: Module) => [string, T | null][], opts?: NamedOptions): [string, T][] {
    const seen = new Set<Tensor>();
    const out: [string, T][] = [];
    const prefix = opts?.prefix ?? '';
    const mods: [string, Module][] = opts?.recurse === false ? [[prefix, this]] : this.namedModules({ prefix });
    for (const [p, m] of mods) {
      for (const [name, t] of get(m)) {
        if (!t || seen.has(t)) continue;
        seen.add(t);
        out.push([join(p, name), t]);
      }
    }
    return out;
  }
  namedParameters(opts?: NamedOptions): [string, Parameter][] {
    return this.namedMembers((m) => m.ownParameters(), opts);
  }
  parameters(recurse = true): Parameter[] {
    return this.namedParameters({ recurse }).map(([, p]) => p);
  }
  namedBuffers(opts?: NamedOptions): [string, Tensor][] {
    return this.namedMembers((m) => m.ownBuffers(), opts);
  }
  buffers(recurse = true): Tensor[] {
    return this.namedBuffers({ recurse }).map(([, b]) => b);
  }
  /** The descendant at a dotted path (`'encoder.layers.0'`), as `get_submodule`. */
  getSubmodule(target: string): Module {
    if (target === '') return this;
    let m: Module = this;
    for (const item of target.split('.')) {
      const child = m.ownModules().find(([n]) => n === item)?.[1];
      if (!child) throw new Error(`${m.typeName} has no attribute \`${item}\``);
      m = child;
    }
    return m;
  }
  getParameter(target: string): Parameter {
    const i = target.lastIndexOf('.');
    const owner = this.getSubmodule(i < 0 ? '' : target.slice(0, i));
    const name = target.slice(i + 1);
    const p = owner.ownParameters().find(([n]) => n === name)?.[1];
    if (!p) throw new Error(`${owner.typeName} has no parameter \`${name}\``);
    return p;
  }
  getBuffer(target: string): Tensor {
    const i = target.lastIndexOf('.');
    const owner = this.getSubmodule(i < 0 ? '' : target.slice(0, i));
    const name = target.slice(i + 1);
    const b = owner[STATE].buffers.get(name);
    if (!b) throw new Error(`${owner.typeName} has no buffer \`${name}\``);
    return b;
  }

  // ---- modes and bulk changes ------------------------------------------------------------------

  /** Train (or eval) mode for this module and, through their own `train`, its children. */
  train(mode = true): this {
    if (typeof mode !== 'boolean') throw new TypeError('training mode is expected to be boolean');
    this.training = mode;
    for (const c of this.children()) c.train(mode);
    return this;
  }
  eval(): this {
    return this.train(false);
  }
  requiresGrad_(requiresGrad = true): this {
    for (const p of this.parameters()) p.requiresGrad_(requiresGrad);
    return this;
  }
  /** PyTorch 1.13's default keeps the grad tensors and zeroes them; `setToNone` drops them. */
  zeroGrad(opts?: { setToNone?: boolean }): void {
    for (const p of this.parameters()) {
      if (!p.grad) continue;
      if (opts?.setToNone) p.grad = null;
      else noGrad(() => p.grad!.zero_());
    }
  }
  /** `fn` on every submodule, then on this one (children first), as PyTorch. */
  apply(fn: (m: Module) => void): this {
    for (const c of this.children()) c.apply(fn);
    fn(this);
    return this;
  }
  /** Move/cast parameters and buffers in place (floating ones only for a dtype), keeping Parameter identity. */
  to(a: DeviceLike | DType | { device?: DeviceLike; dtype?: DType }, b?: DType): this {
    let device: DeviceLike | undefined;
    let dtype: DType | undefined;
    if (typeof a === 'object' && !('type' in a)) ({ device, dtype } = a as { device?: DeviceLike; dtype?: DType });
    else if (isDType(a)) dtype = a;
    else device = a as DeviceLike;
    if (b) dtype = b;
    const convert = (t: Tensor) => {
      const target = { ...(device ? { device } : {}), ...(dtype && t.isFloatingPoint() ? { dtype } : {}) };
      return to(t, target);
    };
    noGrad(() => {
      for (const p of this.parameters()) {
        const moved = convert(p);
        if (moved !== p) p.set_(moved);
        if (p.grad) {
          const g = convert(p.grad);
          if (g !== p.grad) p.grad.set_(g);
        }
      }
      for (const m of this.modules()) {
        for (const [name, buf] of m[STATE].buffers) if (buf) m[STATE].buffers.set(name, convert(buf));
      }
    });
    return this;
  }
  float(): this {
    return this.to('float32');
  }
  double(): this {
    return this.to('float64');
  }
  half(): this {
    return this.to('float16');
  }
  cpu(): this {
    return this.to('cpu');
  }
  cuda(index?: number): this {
    return this.to(index === undefined ? 'cuda' : `cuda:${index}`);
  }

  // ---- state dict ----------------------------------------------------------------------------

  /** Parameters and persistent buffers by dotted name (own first, then each child's), detached, sharing storage. */
  stateDict(opts?: { prefix?: string; keepVars?: boolean }): StateDict {
    const out: StateDict = {};
    const visit = (m: Module, p: string) => {
      for (const [name, param] of m.ownParameters()) if (param) out[p + name] = opts?.keepVars ? param : param.detach();
      for (const [name, buf] of m[STATE].buffers) {
        if (buf && !m[STATE].nonPersistent.has(name)) out[p + name] = opts?.keepVars ? buf : buf.detach();
      }
      for (const [name, child] of m.ownModules()) if (child) visit(child, `${p}${name}.`);
    };
    visit(this, opts?.prefix ?? '');
    return out;
  }

  /**
   * Called on each module before its entries are loaded, with the (copied) state dict and the
   * module's key prefix; a subclass may add or convert entries (BatchNorm fills in a missing
   * num_batches_tracked, LazyLinear takes its shape), as PyTorch's `_load_from_state_dict`.
   */
  protected preLoadStateDict(_stateDict: StateDict, _prefix: string): void {}

  /**
   * Copy values in. Missing and unexpected keys are listed in the result; with `strict` (the default)
   * they are an error, as is a shape mismatch always, with PyTorch's messages.
   */
  loadStateDict(stateDict: StateDict | Map<string, Tensor>, opts?: { strict?: boolean }): LoadResult {
    const sd: StateDict = stateDict instanceof Map ? Object.fromEntries(stateDict) : { ...stateDict };
    const strict = opts?.strict ?? true;
    const missingKeys: string[] = [];
    const unexpectedKeys: string[] = [];
    const errors: string[] = [];
    const copies: [Tensor, Tensor][] = [];
    const visit = (m: Module, prefix: string) => {
      m.preLoadStateDict(sd, prefix);
      const local = new Map<string, Tensor>();
      for (const [name, p] of m.ownParameters()) if (p) local.set(name, p);
      for (const [name, b] of m[STATE].buffers) if (b && !m[STATE].nonPersistent.has(name)) local.set(name, b);
      for (const [name, target] of local) {
        const src = sd[prefix + name];
        if (src === undefined) {
          missingKeys.push(prefix + name);
          continue;
        }
        if (!(src instanceof Tensor)) {
          errors.push(`While copying the parameter named "${prefix + name}", expected torch.Tensor or Tensor-like object from checkpoint but received ${typeof src}`);
        } else if (src.shape.join() !== target.shape.join()) {
          errors.push(`size mismatch for ${prefix + name}: copying a param with shape ${sizeRepr(src)} from checkpoint, the shape in current model is ${sizeRepr(target)}.`);
        } else copies.push([target, src]);
      }
      const childNames = new Set(m.ownModules().filter(([, c]) => c).map(([n]) => n));
      for (const key of Object.keys(sd)) {
        if (!key.startsWith(prefix)) continue;
        const first = key.slice(prefix.length).split('.', 1)[0]!;
        if (!childNames.has(first) && !local.has(key.slice(prefix.length))) unexpectedKeys.push(key);
      }
      for (const [name, child] of m.ownModules()) if (child) visit(child, `${prefix}${name}.`);
    };
    visit(this, '');
    if (strict) {
      if (unexpectedKeys.length) errors.unshift(`Unexpected key(s) in state_dict: ${unexpectedKeys.map((k) => `"${k}"`).join(', ')}. `);
      if (missingKeys.length) errors.unshift(`Missing key(s) in state_dict: ${missingKeys.map((k) => `"${k}"`).join(', ')}. `);
    }
    if (errors.length) {
      throw new Error(`Error(s) in loading state_dict for ${this.typeName}:\n\t${errors.join('\n\t')}`);
    }
    noGrad(() => {
      for (const [target, src] of copies) target.copy_(src);
    });
    return { missingKeys, unexpectedKeys };
  }

  // ---- hooks ---------------------------------------------------------------------------------

  /** Hooks run inside `forward` itself (wrapped per instance), so containers calling `child.forward` run them. */
  private installHookedForward(): void {
    if (Object.prototype.hasOwnProperty.call(this, 'forward')) return;
    const proto = Object.getPrototypeOf(this) as { forward: (...a: unknown[]) => unknown };
    const st = this[STATE];
    const hooked = (...args: unknown[]) => {
      let a = args;
      for (const h of [...st.preHooks]) {
        const r = h(this, a);
        if (r !== undefined) a = Array.isArray(r) ? r : [r];
      }
      let out = proto.forward.apply(this, a);
      for (const h of [...st.hooks]) {
        const r = h(this, a, out);
        if (r !== undefined) out = r;
      }
      return out;
    };
    Object.defineProperty(this, 'forward', { value: hooked, enumerable: false, configurable: true, writable: true });
  }
  registerForwardPreHook(hook: ForwardPreHook): RemovableHandle {
    this.installHookedForward();
    const list = this[STATE].preHooks;
    list.push(hook);
    return removable(list, hook);
  }
  registerForwardHook(hook: ForwardHook): RemovableHandle {
    this.installHookedForward();
    const list = this[STATE].hooks;
    list.push(hook);
    return removable(list, hook);
  }

  // ---- printing ------------------------------------------------------------------------------

  /** The text inside this module's parentheses (`in_features=…`). */
  extraRepr(): string {
    return '';
  }
  /** The name printed for this module (`Linear`), PyTorch's `_get_name()`. */
  protected get typeName(): string {
    return this.constructor.name;
  }
  /** `print(model)`: PyTorch's `Module.__repr__`, children indented by two spaces. */
  toString(): string {
    const extra = this.extraRepr();
    const extraLines = extra ? extra.split('\n') : [];
    const childLines: string[] = [];
    for (const [name, m] of this.ownModules()) {
      const body = (m ? m.toString() : 'None').split('\n').join('\n  ');
      childLines.push(`(${name}): ${body}`);
    }
    const lines = [...extraLines, ...childLines];
    if (lines.length === 0) return `${this.typeName}()`;
    if (extraLines.length === 1 && childLines.length === 0) return `${this.typeName}(${extraLines[0]})`;
    return `${this.typeName}(\n  ${lines.join('\n  ')}\n)`;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

function removable<T>(list: T[], item: T): RemovableHandle {
  return {
    remove() {
      const i = list.indexOf(item);
      if (i >= 0) list.splice(i, 1);
    },
  };
}

export { Tensor };
