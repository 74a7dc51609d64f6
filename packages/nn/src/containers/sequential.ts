import { Module } from '../module.js';
import { isOptions } from '../args.js';
import { ModuleContainer } from './base.js';

type Named = Record<string, Module>;

/**
 * `nn.Sequential(a, b, c)`, or `nn.Sequential({ fc1: …, relu1: … })` for PyTorch's OrderedDict form
 * (a Map works too). Children are reachable as `seq[0]`, `seq.get(0)`, and by name `seq.fc1`.
 * Exported as `nn.Sequential` (typed below); this name exists so declaration files can refer to it.
 */
export class SequentialImpl extends ModuleContainer {
  static {
    // Printed and reported as PyTorch's class name.
    Object.defineProperty(this, 'name', { value: 'Sequential' });
  }
  readonly [index: number]: Module;
  constructor(...modules: Module[] | [Named] | [Map<string, Module>]) {
    super();
    const first = modules[0];
    if (modules.length === 1 && first instanceof Map) for (const [k, m] of first) this.put(k, m);
    else if (modules.length === 1 && isOptions(first)) for (const [k, m] of Object.entries(first)) this.put(k, m as Module);
    else (modules as Module[]).forEach((m, i) => this.put(String(i), m));
  }
  /** The child at a position (negative from the end) or with a name. */
  get(key: number | string): Module {
    if (typeof key === 'number') return this.items.get(this.keyAt(key))!;
    const m = this.items.get(key);
    if (!m) throw new Error(`'Sequential' object has no attribute '${key}'`);
    return m;
  }
  /** `seq[start:end]`: a new Sequential of those children, keeping their names. */
  slice(start?: number, end?: number): Sequential {
    return new Sequential(new Map([...this.items].slice(start, end)));
  }
  /** `seq[i] = m`. */
  set(i: number, m: Module): void {
    this.put(this.keyAt(i), m);
  }
  /** `del seq[i]`; the remaining children are renumbered 0…n−1, as PyTorch does. */
  delete(i: number): void {
    this.items.delete(this.keyAt(i));
    this.renumber([...this.items.values()]);
  }
  private renumber(list: Module[]): void {
    this.items.clear();
    list.forEach((m, j) => this.items.set(String(j), m));
    this.refresh();
  }
  [Symbol.iterator](): Iterator<Module> {
    return this.items.values();
  }
  append(m: Module): this {
    this.put(String(this.items.size), m);
    return this;
  }
  extend(ms: Iterable<Module>): this {
    for (const m of ms) this.append(m);
    return this;
  }
  insert(index: number, m: Module): this {
    const n = this.items.size;
    if (!Number.isInteger(index) || index < -n || index > n) throw new RangeError(`Index out of range: ${index}`);
    const list = [...this.items.values()];
    list.splice(index < 0 ? index + n : index, 0, m);
    this.renumber(list);
    return this;
  }
  pop(i: number): Module {
    const m = this.get(i);
    this.delete(i);
    return m;
  }
  override forward(input: unknown): unknown {
    let x = input;
    for (const m of this.items.values()) x = m.forward(x);
    return x;
  }
}

/** Typed so that `new nn.Sequential({ fc1: new nn.Linear(…) }).fc1` is a Linear. */
export interface SequentialConstructor {
  new <T extends Named = Record<never, never>>(...modules: Module[] | [T] | [Map<string, Module>]): SequentialImpl & T;
  readonly prototype: SequentialImpl;
}
export type Sequential = SequentialImpl;
export const Sequential = SequentialImpl as SequentialConstructor;
