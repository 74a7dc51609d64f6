import { UnpicklingError } from '../errors.js';
import { PyDict, PySet } from './pydict.js';
import { markOrderedDict, markPlainDict, PickledObject } from './values.js';

/** Deepest nesting accepted in a loaded object, as Python's default recursion limit. */
export const MAX_DEPTH = 1000;

/**
 * Turn what the unpickler built into JS values: dicts with only str/int keys become plain objects
 * (an OrderedDict is marked as one and keeps its `_metadata`), other dicts Maps, sets Sets; lists and
 * tuples are already arrays and are fixed up in place. `leaf` replaces other objects (tensor records
 * become tensors). Iterative, with a memo, so shared and cyclic structures keep their shape, and
 * nesting deeper than MAX_DEPTH is an error rather than a stack overflow later.
 */
export function toJs(root: unknown, leaf: (x: object) => unknown): unknown {
  const memo = new Map<object, unknown>();
  const work: { src: object; dst: unknown; depth: number }[] = [];

  const target = (x: unknown, depth: number): unknown => {
    if (x === null || typeof x !== 'object') return x;
    if (memo.has(x)) return memo.get(x);
    if (depth > MAX_DEPTH) throw new UnpicklingError(`the pickled object is nested more than ${MAX_DEPTH} levels deep`);
    let dst: unknown;
    if (Array.isArray(x) || x instanceof PickledObject) dst = x;
    else if (x instanceof PyDict) dst = plainKeys(x) ? {} : new Map();
    else if (x instanceof PySet) dst = new Set();
    else {
      dst = leaf(x);
      memo.set(x, dst);
      return dst;
    }
    memo.set(x, dst);
    work.push({ src: x, dst, depth });
    return dst;
  };

  const out = target(root, 0);
  while (work.length) {
    const { src, dst, depth } = work.pop()!;
    const d = depth + 1;
    if (Array.isArray(src)) {
      for (let i = 0; i < src.length; i++) src[i] = target(src[i], d);
    } else if (src instanceof PickledObject) {
      target(src.args, d);
      src.state = target(src.state, d);
      for (let i = 0; i < src.listItems.length; i++) src.listItems[i] = target(src.listItems[i], d);
      for (const pair of src.dictItems) {
        pair[0] = target(pair[0], d);
        pair[1] = target(pair[1], d);
      }
    } else if (src instanceof PySet) {
      for (const v of src.items.values()) (dst as Set<unknown>).add(target(v, d));
    } else if (src instanceof PyDict) {
      if (dst instanceof Map) {
        for (const [k, v] of src.entries.values()) dst.set(target(k, d), target(v, d));
      } else {
        const obj = dst as Record<string, unknown>;
        for (const [k, v] of src.entries.values()) {
          // defineProperty, not assignment: a key "__proto__" must be a key, not a prototype change.
          Object.defineProperty(obj, String(k), { value: target(v, d), enumerable: true, writable: true, configurable: true });
        }
      }
      if (src.ordered && !(dst instanceof Map)) {
        const attrs: Record<string, unknown> = {};
        if (src.attrs) {
          for (const [k, v] of src.attrs.entries.values()) {
            if (typeof k === 'string') Object.defineProperty(attrs, k, { value: target(v, d), enumerable: true, writable: true, configurable: true });
          }
        }
        markOrderedDict(dst as object, attrs);
      } else if (!(dst instanceof Map)) {
        markPlainDict(dst as object);
      }
    }
  }
  return out;
}

/** A dict whose keys are all str or int, none equal as strings, is a plain object; else a Map. */
function plainKeys(d: PyDict): boolean {
  const seen = new Set<string>();
  for (const [k] of d.entries.values()) {
    const ok = typeof k === 'string' || typeof k === 'bigint' || (typeof k === 'number' && Number.isInteger(k));
    if (!ok) return false;
    const s = String(k);
    if (seen.has(s)) return false;
    seen.add(s);
  }
  return true;
}
