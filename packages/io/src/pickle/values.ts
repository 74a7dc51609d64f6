// How Python values that JavaScript has no exact form for are represented on the way in and out.
// Tuples are arrays and OrderedDicts are plain objects; both are remembered (in weak sets, so the
// values stay ordinary arrays and objects for the user) so that saving them again writes a tuple or
// an OrderedDict, as PyTorch wrote them.

const TUPLES = new WeakSet<object>();

/** An array that is written as a Python tuple (loaded tuples are marked this way too). */
export function tuple<T extends unknown[]>(...items: T): T {
  TUPLES.add(items);
  return items;
}
export function markTuple<T extends unknown[]>(items: T): T {
  TUPLES.add(items);
  return items;
}
export function isTuple(x: unknown): x is unknown[] {
  return Array.isArray(x) && TUPLES.has(x);
}

const ORDERED = new WeakMap<object, Record<string, unknown>>();
const PLAIN = new WeakSet<object>();

/** Mark a plain object as loaded from a plain Python dict: saved again as a dict, never an OrderedDict. */
export function markPlainDict<T extends object>(obj: T): T {
  PLAIN.add(obj);
  return obj;
}
export function isPlainDict(x: object): boolean {
  return PLAIN.has(x);
}

/**
 * Mark a plain object as a Python `OrderedDict`, with the instance attributes it had (a PyTorch
 * state dict carries `_metadata`, the per-module versions `load_state_dict` reads). `_metadata` is
 * also exposed as a non-enumerable property, as `state_dict._metadata` in Python.
 */
export function markOrderedDict<T extends object>(obj: T, attrs: Record<string, unknown> = {}): T {
  ORDERED.set(obj, attrs);
  if ('_metadata' in attrs) {
    Object.defineProperty(obj, '_metadata', { value: attrs['_metadata'], enumerable: false, writable: true, configurable: true });
  }
  return obj;
}
export function isOrderedDict(x: unknown): boolean {
  return typeof x === 'object' && x !== null && ORDERED.has(x);
}
/** The attributes an OrderedDict was loaded with (`{ _metadata }`), or undefined. */
export function orderedDictAttrs(x: object): Record<string, unknown> | undefined {
  const attrs = ORDERED.get(x);
  const own = Object.getOwnPropertyDescriptor(x, '_metadata');
  // A `_metadata` the user set (or replaced) wins over the loaded one.
  if (own && !own.enumerable) return { ...attrs, _metadata: own.value };
  return attrs;
}

/** A Python global (`module.name`) as named in a pickle. Never resolved to anything executable. */
export class PyGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  get qualname(): string {
    return `${this.module}.${this.name}`;
  }
  toString(): string {
    return this.qualname;
  }
}

/**
 * An instance of a Python class Kindling does not know, from `load(…, { weightsOnly: false })`: the
 * class name, the arguments it would have been made with and the state it would have been given. It
 * is inert data; nothing named in the file is ever imported or called. Useful to dig the tensors out
 * of a pickled whole PyTorch model (`obj.state._parameters`).
 */
export class PickledObject {
  state: unknown = undefined;
  readonly listItems: unknown[] = [];
  readonly dictItems: [unknown, unknown][] = [];
  constructor(
    readonly className: string,
    readonly args: unknown[],
  ) {}
}

/** A call the pickler writes as `func(*args)` (REDUCE), then `state` (BUILD) and dict items. */
export class Reduce {
  constructor(
    readonly func: PyGlobal,
    readonly args: unknown[],
    readonly state?: unknown,
    readonly dictItems?: readonly (readonly [unknown, unknown])[],
  ) {}
}
