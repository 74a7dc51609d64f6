import { UnpicklingError } from '../errors.js';
import { fromLatin1 } from '../bytes.js';
import { isTuple } from './values.js';

/**
 * A Python dict while unpickling. Keys compare as Python compares them (1 == 1.0 == True, tuples
 * by value, other objects by identity), so a file cannot make two entries JS would merge or split.
 * It becomes a plain object (str/int keys) or a Map once the whole pickle is read.
 */
export class PyDict {
  readonly entries = new Map<string, [unknown, unknown]>();
  /** An OrderedDict; `attrs` are its instance attributes (BUILD state). */
  ordered = false;
  attrs: PyDict | null = null;

  set(key: unknown, value: unknown): void {
    const k = hashKey(key, 0);
    const prev = this.entries.get(k);
    // Python keeps the first key object and its position, and replaces the value.
    if (prev) prev[1] = value;
    else this.entries.set(k, [key, value]);
  }
  get size(): number {
    return this.entries.size;
  }
  get(key: string): unknown {
    return this.entries.get(hashKey(key, 0))?.[1];
  }
}

/** A Python set/frozenset while unpickling (elements hashed as dict keys are). */
export class PySet {
  readonly items = new Map<string, unknown>();
  constructor(readonly frozen: boolean) {}
  add(x: unknown): void {
    const k = hashKey(x, 0);
    if (!this.items.has(k)) this.items.set(k, x);
  }
}

const ids = new WeakMap<object, number>();
let nextId = 0;

function hashKey(x: unknown, depth: number): string {
  if (depth > 100) throw new UnpicklingError('dict key nested too deeply');
  switch (typeof x) {
    case 'string':
      return `s${x}`;
    case 'number':
      return `n${Object.is(x, -0) ? 0 : x}`;
    case 'bigint':
      return `n${x}`;
    case 'boolean':
      return x ? 'n1' : 'n0';
    case 'undefined':
      return 'N';
    case 'object': {
      if (x === null) return 'N';
      if (x instanceof Uint8Array) return `b${fromLatin1(x)}`;
      if (isTuple(x)) return `t(${x.map((e) => hashKey(e, depth + 1)).join(',')})`;
      if (Array.isArray(x)) throw new UnpicklingError("unhashable type: 'list'");
      if (x instanceof PyDict) throw new UnpicklingError("unhashable type: 'dict'");
      if (x instanceof PySet) {
        if (!x.frozen) throw new UnpicklingError("unhashable type: 'set'");
        return `f(${[...x.items.keys()].sort().join(',')})`;
      }
      let id = ids.get(x);
      if (id === undefined) ids.set(x, (id = nextId++));
      return `o${id}`;
    }
    default:
      throw new UnpicklingError(`unhashable key of type ${typeof x}`);
  }
}
