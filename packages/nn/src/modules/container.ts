import type { Tensor } from '@kindling/tensor';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';

/** Children kept in an ordered Map (JS objects would reorder integer-like names). */
abstract class ModuleContainer extends Module {
  protected readonly items = new Map<string, Module>();
  constructor() {
    super();
    Object.defineProperty(this, 'items', { value: this.items, enumerable: false });
  }
  protected override ownModules(): [string, Module | null][] {
    return [...this.items];
  }
  protected put(name: string, m: Module): void {
    this.items.set(name, m);
    // `seq.fc1` and `seq[0]` read through to the Map.
    if (!(name in this) || Object.getOwnPropertyDescriptor(this, name)?.get) {
      Object.defineProperty(this, name, { get: () => this.items.get(name), enumerable: false, configurable: true });
    }
  }
  get length(): number {
    return this.items.size;
  }
  [Symbol.iterator](): Iterator<Module> {
    return this.items.values();
  }
}

/** `nn.Sequential(a, b, c)` or `nn.Sequential({ fc1: …, relu1: … })` (PyTorch's OrderedDict form; also a Map). */
export class Sequential extends ModuleContainer {
  constructor(...modules: (Module | Record<string, Module> | Map<string, Module>)[]) {
    super();
    const first = modules[0];
    if (modules.length === 1 && first instanceof Map) for (const [k, m] of first) this.put(k, m);
    else if (modules.length === 1 && first && !(first instanceof Module)) for (const [k, m] of Object.entries(first)) this.put(k, m);
    else (modules as Module[]).forEach((m, i) => this.put(String(i), m));
  }
  /** The child at an index (negative from the end) or by name; a slice of indices gives a new Sequential. */
  at(i: number): Module {
    const keys = [...this.items.keys()];
    const k = keys[i < 0 ? i + keys.length : i];
    if (k === undefined) throw new RangeError(`index ${i} is out of range`);
    return this.items.get(k)!;
  }
  get(key: number | string): Module {
    if (typeof key === 'number') return this.at(key);
    const m = this.items.get(key);
    if (!m) throw new Error(`'Sequential' object has no attribute '${key}'`);
    return m;
  }
  slice(start?: number, end?: number): Sequential {
    const entries = [...this.items].slice(start, end);
    return new Sequential(new Map(entries));
  }
  append(m: Module): this {
    this.put(String(this.items.size), m);
    return this;
  }
  override forward(input: unknown): unknown {
    let x = input;
    for (const m of this.items.values()) x = m.forward(x);
    return x;
  }
}

export class ModuleList extends ModuleContainer {
  constructor(modules: Iterable<Module> = []) {
    super();
    for (const m of modules) this.append(m);
  }
  append(m: Module): this {
    this.put(String(this.items.size), m);
    return this;
  }
  extend(ms: Iterable<Module>): this {
    for (const m of ms) this.append(m);
    return this;
  }
  insert(index: number, m: Module): void {
    const list = [...this.items.values()];
    list.splice(index, 0, m);
    this.items.clear();
    list.forEach((x, i) => this.put(String(i), x));
  }
  at(i: number): Module {
    const list = [...this.items.values()];
    const m = list[i < 0 ? i + list.length : i];
    if (!m) throw new RangeError(`index ${i} is out of range`);
    return m;
  }
  override forward(): unknown {
    throw new Error('ModuleList is not callable: iterate over it in your forward');
  }
}

export class ModuleDict extends ModuleContainer {
  constructor(modules: Record<string, Module> | Map<string, Module> = {}) {
    super();
    this.update(modules);
  }
  get(key: string): Module {
    const m = this.items.get(key);
    if (!m) throw new Error(`KeyError: '${key}'`);
    return m;
  }
  set(key: string, m: Module): void {
    this.put(key, m);
  }
  has(key: string): boolean {
    return this.items.has(key);
  }
  delete(key: string): void {
    this.items.delete(key);
  }
  keys(): string[] {
    return [...this.items.keys()];
  }
  values(): Module[] {
    return [...this.items.values()];
  }
  entries(): [string, Module][] {
    return [...this.items];
  }
  update(modules: Record<string, Module> | Map<string, Module>): void {
    for (const [k, m] of modules instanceof Map ? modules : Object.entries(modules)) this.put(k, m);
  }
  override forward(): unknown {
    throw new Error('ModuleDict is not callable: index it in your forward');
  }
}

abstract class ParameterContainer extends Module {
  protected readonly params = new Map<string, Parameter>();
  constructor() {
    super();
    Object.defineProperty(this, 'params', { value: this.params, enumerable: false });
  }
  protected override ownParameters(): [string, Parameter | null][] {
    return [...this.params];
  }
  protected putParam(name: string, p: Tensor): void {
    this.params.set(name, p instanceof Parameter ? p : new Parameter(p));
  }
  get length(): number {
    return this.params.size;
  }
  [Symbol.iterator](): Iterator<Parameter> {
    return this.params.values();
  }
  override extraRepr(): string {
    return [...this.params]
      .map(([k, p]) => `(${k}): Parameter containing: [torch.${p.isFloatingPoint() ? p.dtype === 'float32' ? 'FloatTensor' : 'DoubleTensor' : 'LongTensor'} of size ${p.shape.join('x')}]`)
      .join('\n');
  }
}

export class ParameterList extends ParameterContainer {
  constructor(params: Iterable<Tensor> = []) {
    super();
    for (const p of params) this.append(p);
  }
  append(p: Tensor): this {
    this.putParam(String(this.params.size), p);
    return this;
  }
  at(i: number): Parameter {
    const list = [...this.params.values()];
    const p = list[i < 0 ? i + list.length : i];
    if (!p) throw new RangeError(`index ${i} is out of range`);
    return p;
  }
}

export class ParameterDict extends ParameterContainer {
  constructor(params: Record<string, Tensor> | Map<string, Tensor> = {}) {
    super();
    for (const [k, p] of params instanceof Map ? params : Object.entries(params)) this.putParam(k, p);
  }
  get(key: string): Parameter {
    const p = this.params.get(key);
    if (!p) throw new Error(`KeyError: '${key}'`);
    return p;
  }
  set(key: string, p: Tensor): void {
    this.putParam(key, p);
  }
  keys(): string[] {
    return [...this.params.keys()];
  }
}
