import { Module } from '../module.js';
import { ModuleContainer } from './base.js';

/** `nn.ModuleList([...])`: registered children in a list; iterate over it in your forward. `list[i]` reads one. */
export class ModuleList extends ModuleContainer {
  readonly [index: number]: Module;
  constructor(modules: Iterable<Module> = []) {
    super();
    for (const m of modules) this.append(m);
  }
  get(i: number): Module {
    return this.items.get(this.keyAt(i))!;
  }
  /** Same as `get`: the child at a position, negative from the end. */
  at(i: number): Module {
    return this.get(i);
  }
  set(i: number, m: Module): void {
    this.put(this.keyAt(i), m);
  }
  slice(start?: number, end?: number): ModuleList {
    return new ModuleList([...this.items.values()].slice(start, end));
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
  insert(index: number, m: Module): void {
    const list = [...this.items.values()];
    const n = list.length;
    list.splice(index < 0 ? Math.max(0, index + n) : Math.min(index, n), 0, m);
    this.renumber(list);
  }
  delete(i: number): void {
    this.items.delete(this.keyAt(i));
    this.renumber([...this.items.values()]);
  }
  pop(i = -1): Module {
    const m = this.get(i);
    this.delete(i);
    return m;
  }
}
