import { type DeviceLike, type DType, isDType, Tensor, to } from '@kindling/tensor';
import { noGrad } from '@kindling/autograd';
import { Parameter } from './parameter.js';

export type ForwardPreHook = (module: Module, args: unknown[]) => unknown[] | void;
export type ForwardHook = (module: Module, args: unknown[], output: unknown) => unknown;
export interface RemovableHandle {
  remove(): void;
}
export type StateDict = Record<string, Tensor>;
export interface LoadResult {
  missingKeys: string[];
  unexpectedKeys: string[];
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

/**
 * `nn.Module`. Parameters and submodules are registered by assignment (`this.fc = new Linear(…)`),
 * found by scanning own properties in assignment order, as PyTorch's `__setattr__` records them.
 * Buffers are registered with `registerBuffer`. A module runs with `forward(...)` (hooks included).
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
    throw new Error(`Module [${this.constructor.name}] is missing the required "forward" function`);
  }

  /** Runs forward with the forward hooks: PyTorch's `module(x)`. */
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

  registerParameter(name: string, param: Parameter | null): void {
    if (name.includes('.')) throw new Error('parameter name can\'t contain "."');
    (this as Record<string, unknown>)[name] = param;
  }
  registerModule(name: string, module: Module | null): void {
    if (name.includes('.')) throw new Error(`module name can't contain ".", got: ${name}`);
    (this as Record<string, unknown>)[name] = module;
  }
  addModule(name: string, module: Module | null): void {
    this.registerModule(name, module);
  }
  /** A tensor that is state but not a parameter (running statistics); in stateDict unless non-persistent. */
  registerBuffer(name: string, tensor: Tensor | null, opts?: { persistent?: boolean }): void {
    if (name.includes('.')) throw new Error('buffer name can\'t contain "."');
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
  namedModules(memo = new Set<Module>(), prefix = ''): [string, Module][] {
    if (memo.has(this)) return [];
    memo.add(this);
    const out: [string, Module][] = [[prefix, this]];
    for (const [name, m] of this.ownModules()) {
      if (m) out.push(...m.namedModules(memo, prefix ? `${prefix}.${name}` : name));
    }
    return out;
  }
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }
  namedParameters(opts?: { prefix?: string; recurse?: boolean }): [string, Parameter][] {
    const seen = new Set<Tensor>();
    const out: [string, Parameter][] = [];
    const mods = opts?.recurse === false ? [[opts?.prefix ?? '', this] as [string, Module]] : this.namedModules(new Set(), opts?.prefix ?? '');
    for (const [prefix, m] of mods) {
      for (const [name, p] of m.ownParameters()) {
        if (!p || seen.has(p)) continue;
        seen.add(p);
        out.push([prefix ? `${prefix}.${name}` : name, p]);
      }
    }
    return out;
  }
  parameters(recurse = true): Parameter[] {
    return this.namedParameters({ recurse }).map(([, p]) => p);
  }
  namedBuffers(opts?: { prefix?: string; recurse?: boolean }): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    const mods = opts?.recurse === false ? [[opts?.prefix ?? '', this] as [string, Module]] : this.namedModules(new Set(), opts?.prefix ?? '');
    for (const [prefix, m] of mods) {
      for (const [name, b] of m[STATE].buffers) {
        if (!b || seen.has(b)) continue;
        seen.add(b);
        out.push([prefix ? `${prefix}.${name}` : name, b]);
      }
    }
    return out;
  }
  buffers(recurse = true): Tensor[] {
    return this.namedBuffers({ recurse }).map(([, b]) => b);
  }

  // ---- modes and bulk changes ------------------------------------------------------------------

  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
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

  /** Parameters and persistent buffers by dotted name, detached and sharing storage. */
  stateDict(opts?: { prefix?: string; keepVars?: boolean }): StateDict {
    const out: StateDict = {};
    const prefix = opts?.prefix ?? '';
    const visit = (m: Module, p: string) => {
      for (const [name, param] of m.ownParameters()) if (param) out[p + name] = opts?.keepVars ? param : param.detach();
      for (const [name, buf] of m[STATE].buffers) {
        if (buf && !m[STATE].nonPersistent.has(name)) out[p + name] = opts?.keepVars ? buf : buf.detach();
      }
      for (const [name, child] of m.ownModules()) if (child) visit(child, `${p}${name}.`);
    };
    visit(this, prefix);
    return out;
  }

  /** Copy values in; `strict` (default) raises on missing/unexpected keys, as PyTorch. */
  loadStateDict(stateDict: StateDict | Map<string, Tensor>, opts?: { strict?: boolean }): LoadResult {
    const sd = stateDict instanceof Map ? Object.fromEntries(stateDict) : stateDict;
    const strict = opts?.strict ?? true;
    const own = this.stateDict({ keepVars: true });
    const missingKeys = Object.keys(own).filter((k) => !(k in sd));
    const unexpectedKeys = Object.keys(sd).filter((k) => !(k in own));
    const errors: string[] = [];
    for (const [k, target] of Object.entries(own)) {
      const src = sd[k];
      if (!src) continue;
      if (src.shape.join() !== target.shape.join()) {
        errors.push(`size mismatch for ${k}: copying a param with shape torch.Size([${src.shape.join(', ')}]) from checkpoint, the shape in current model is torch.Size([${target.shape.join(', ')}]).`);
      }
    }
    if (strict) {
      if (unexpectedKeys.length) errors.unshift(`Unexpected key(s) in state_dict: ${unexpectedKeys.map((k) => `"${k}"`).join(', ')}. `);
      if (missingKeys.length) errors.unshift(`Missing key(s) in state_dict: ${missingKeys.map((k) => `"${k}"`).join(', ')}. `);
    }
    if (errors.length) {
      throw new Error(`Error(s) in loading state_dict for ${this.constructor.name}:\n\t${errors.join('\n\t')}`);
    }
    noGrad(() => {
      for (const [k, target] of Object.entries(own)) {
        const src = sd[k];
        if (src) target.copy_(src);
      }
    });
    return { missingKeys, unexpectedKeys };
  }

  // ---- hooks ---------------------------------------------------------------------------------

  private installHookedForward(): void {
    if (Object.prototype.hasOwnProperty.call(this, 'forward')) return;
    const proto = Object.getPrototypeOf(this) as { forward: (...a: unknown[]) => unknown };
    const st = this[STATE];
    const hooked = (...args: unknown[]) => {
      let a = args;
      for (const h of st.preHooks) {
        const r = h(this, a);
        if (r !== undefined) a = Array.isArray(r) ? r : [r];
      }
      let out = proto.forward.apply(this, a);
      for (const h of st.hooks) {
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
  /** The name printed for this module (`Linear`). */
  protected get typeName(): string {
    return this.constructor.name;
  }
  toString(): string {
    const extra = this.extraRepr();
    const lines = extra ? extra.split('\n') : [];
    const children = this.ownModules().filter(([, m]) => m) as [string, Module][];
    for (const [name, m] of children) {
      const body = m.toString().split('\n').join('\n  ');
      lines.push(`(${name}): ${body}`);
    }
    if (lines.length === 0) return `${this.typeName}()`;
    if (children.length === 0 && lines.length === 1) return `${this.typeName}(${lines[0]})`;
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
