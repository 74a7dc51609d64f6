import { Module } from '../module.js';
import { ModuleContainer } from './base.js';

type Named = Record<string, Module>;

/**
 * `nn.ModuleDict({...})`: registered children by key, in insertion order; `dict.get(key)` (or `dict.key`)
 * reads one. Exported as `nn.ModuleDict` (typed below); this name exists so declaration files can refer to it.
 */
export class ModuleDictImpl extends ModuleContainer {
  static {
    // Printed and reported as PyTorch's class name.
    Object.defineProperty(this, 'name', { value: 'ModuleDict' });
  }
  constructor(modules: Named | Map<string, Module> | Iterable<[string, Module]> = {}) {
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
    if (!this.items.delete(key)) throw new Error(`KeyError: '${key}'`);
    this.refresh();
  }
  pop(key: string): Module {
    const m = this.get(key);
    this.delete(key);
    return m;
  }
  clear(): void {
    this.items.clear();
    this.refresh();
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
  /** Iterating a ModuleDict gives its keys, as in Python. */
  [Symbol.iterator](): Iterator<string> {
    return this.items.keys();
  }
  update(modules: Named | Map<string, Module> | Iterable<[string, Module]>): void {
    const it = modules instanceof Map || Symbol.iterator in Object(modules) ? (modules as Iterable<[string, Module]>) : Object.entries(modules as Named);
    for (const [k, m] of it) this.put(k, m);
  }
}

/** Typed so that `new nn.ModuleDict({ head: new nn.Linear(…) }).head` is a Linear. */
export interface ModuleDictConstructor {
  new <T extends Named = Record<never, never>>(modules?: T | Map<string, Module> | Iterable<[string, Module]>): ModuleDictImpl & T;
  readonly prototype: ModuleDictImpl;
}
export type ModuleDict = ModuleDictImpl;
export const ModuleDict = ModuleDictImpl as ModuleDictConstructor;
