import { Tensor } from '@kindling/tensor';

// Classes that `load` may rebuild, by name: modules for whole-model files and `Parameter` for
// `_rebuild_parameter`. Kept on globalThis under a well-known symbol, as the tensor registries are,
// so copies of this package bundled twice still share one registry.

/** A class `load` can rebuild. */
export type RegisteredClass = abstract new (...args: never[]) => object;

const KEY = Symbol.for('kindling.io.classes');
type Store = Map<string, RegisteredClass>;

function store(): Store {
  const g = globalThis as { [KEY]?: Store };
  return (g[KEY] ??= new Map());
}

function isModuleClass(cls: unknown): boolean {
  if (typeof cls !== 'function' || !cls.prototype) return false;
  const p = cls.prototype as Record<string, unknown>;
  return typeof p['stateDict'] === 'function' && typeof p['loadStateDict'] === 'function';
}

function isTensorClass(cls: unknown): boolean {
  return typeof cls === 'function' && (cls === Tensor || cls.prototype instanceof Tensor);
}

/**
 * Let `load` rebuild instances of `cls` saved under `name`: a module class (anything with
 * `stateDict` and `loadStateDict`), or a Tensor subclass constructed as `new cls(data, requiresGrad)`
 * (`nn.Parameter`). The last registration of a name wins.
 *
 * ```ts
 * registerModules(nn);                      // nn.Linear, nn.Sequential, …, nn.Parameter
 * registerModule('Classifier', Classifier); // your own modules
 * ```
 */
export function registerModule(name: string, cls: RegisteredClass): void {
  if (typeof name !== 'string' || name === '') throw new TypeError('registerModule: name must be a non-empty string');
  if (!isModuleClass(cls) && !isTensorClass(cls)) {
    throw new TypeError(`registerModule('${name}', …): expected a class with stateDict() and loadStateDict() methods, or a Tensor subclass`);
  }
  store().set(name, cls);
}

/** Register every module class and Tensor subclass exported by a namespace (`import * as nn`). Returns their names. */
export function registerModules(namespace: Readonly<Record<string, unknown>>): string[] {
  const names: string[] = [];
  for (const [name, value] of Object.entries(namespace)) {
    if (value === Tensor) continue;
    if (isModuleClass(value) || isTensorClass(value)) {
      store().set(name, value as RegisteredClass);
      names.push(name);
    }
  }
  return names;
}

/** The class registered under `name`, else a registered class whose own name is `name` (saved unregistered). */
export function registeredClass(name: string): RegisteredClass | undefined {
  const s = store();
  const direct = s.get(name);
  if (direct) return direct;
  for (const c of s.values()) if (c.name === name) return c;
  return undefined;
}

/** The name a class is saved under: its registered name, else its own name. */
export function registeredName(cls: RegisteredClass): string {
  for (const [name, c] of store()) if (c === cls) return name;
  return cls.name;
}
