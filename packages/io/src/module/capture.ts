import { Tensor } from '@kindling/tensor';
import { SerializationError } from '../errors.js';
import { isPlainObject } from '../pickle/pickler.js';
import { isTuple, markTuple } from '../pickle/values.js';
import { MODULE_FORMAT_VERSION, MODULE_MARK } from './format.js';
import { type RegisteredClass, registeredName } from './registry.js';

type Path = (string | number)[];

interface ModuleLike {
  stateDict(opts?: { keepVars?: boolean }): Record<string, unknown>;
  loadStateDict(sd: unknown): unknown;
  training?: boolean;
  namedBuffers?(opts?: { recurse?: boolean }): [string, Tensor][];
  registerBuffer?(name: string, t: Tensor | null, opts?: { persistent?: boolean }): void;
}

/** A model or other object with `stateDict()` and `loadStateDict()` (not a plain object or tensor). */
export function isModuleLike(x: unknown): x is ModuleLike {
  if (typeof x !== 'object' || x === null || x instanceof Tensor || isPlainObject(x)) return false;
  const m = x as Partial<ModuleLike>;
  return typeof m.stateDict === 'function' && typeof m.loadStateDict === 'function';
}

/** The Kindling whole-model dict for a module (see format.ts). */
export function moduleToData(m: ModuleLike): Record<string, unknown> {
  const nodes = new Map<object, Record<string, unknown>>();
  const structure = captureModule(m, nodes, 'model');
  return {
    [MODULE_MARK]: 'module',
    format_version: MODULE_FORMAT_VERSION,
    class: structure['class'],
    state_dict: m.stateDict(),
    structure,
  };
}

function captureModule(m: ModuleLike, nodes: Map<object, Record<string, unknown>>, path: string): Record<string, unknown> {
  const known = nodes.get(m);
  if (known) return known;
  const node: Record<string, unknown> = { [MODULE_MARK]: 'node', class: registeredName(m.constructor as RegisteredClass) };
  nodes.set(m, node);
  if (typeof m.training === 'boolean') node['training'] = m.training;

  const buffers = new Map<string, Tensor>(m.namedBuffers?.({ recurse: false }) ?? []);
  const persistent = new Set(Object.keys(m.stateDict({ keepVars: true })));
  const seen = new Map<object, unknown>();
  const attributes: unknown[] = [];
  const aliases: unknown[] = [];
  const nullBuffers: string[] = [];

  for (const name of Object.getOwnPropertyNames(m)) {
    const desc = Object.getOwnPropertyDescriptor(m, name)!;
    if (buffers.has(name)) continue;
    if (!('value' in desc)) {
      // An accessor: a registered buffer (rebuilt by registerBuffer), or a shortcut to a child
      // (Sequential's `seq.fc1`), recorded as the path to that child.
      let v: unknown;
      try {
        v = desc.get?.call(m);
      } catch {
        continue;
      }
      if (v === null && typeof m.registerBuffer === 'function' && !desc.set) nullBuffers.push(name);
      else if (v !== null && typeof v === 'object') {
        const buffer = [...buffers].find(([, b]) => b === v)?.[0];
        const p = buffer !== undefined ? markTuple([buffer]) : findPath(m, v);
        if (p) aliases.push(markTuple([name, p]));
      }
      continue;
    }
    const v = desc.value as unknown;
    if (typeof v === 'function') {
      if (desc.enumerable) throw new SerializationError(`save: cannot save the function in attribute '${name}' of ${node['class']} (at ${path})`);
      continue; // machinery such as an installed hooked forward
    }
    attributes.push(markTuple([name, capture(v, nodes, seen, `${path}.${name}`, 0), desc.enumerable === true]));
  }
  node['attributes'] = attributes;
  node['buffers'] = [
    ...[...buffers].map(([name, t]) => markTuple([name, t, persistent.has(name)])),
    ...nullBuffers.map((name) => markTuple([name, null, true])),
  ];
  node['aliases'] = aliases;
  return node;
}

/** Attribute values: plain data, tensors and modules, copied so the model itself is not changed. */
function capture(v: unknown, nodes: Map<object, Record<string, unknown>>, seen: Map<object, unknown>, path: string, depth: number): unknown {
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'function' || typeof v === 'symbol') throw new SerializationError(`save: cannot save the ${typeof v} at ${path}`);
    return v;
  }
  if (depth > 100) throw new SerializationError(`save: attribute nested too deeply at ${path}`);
  if (v instanceof Tensor) return v;
  if (isModuleLike(v)) return captureModule(v, nodes, path);
  const done = seen.get(v);
  if (done !== undefined) return done;
  if (Array.isArray(v)) {
    const out: unknown[] = isTuple(v) ? markTuple([]) : [];
    seen.set(v, out);
    v.forEach((x, i) => out.push(capture(x, nodes, seen, `${path}[${i}]`, depth + 1)));
    return out;
  }
  // Maps and Sets are tagged: a Python dict comes back as a plain object, and set items must be hashable.
  if (v instanceof Map) {
    const items: unknown[] = [];
    const out = { [MODULE_MARK]: 'map', items };
    seen.set(v, out);
    for (const [k, x] of v) items.push(markTuple([capture(k, nodes, seen, path, depth + 1), capture(x, nodes, seen, `${path}.${String(k)}`, depth + 1)]));
    return out;
  }
  if (v instanceof Set) {
    const items: unknown[] = [];
    const out = { [MODULE_MARK]: 'set', items };
    seen.set(v, out);
    for (const x of v) items.push(capture(x, nodes, seen, path, depth + 1));
    return out;
  }
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    seen.set(v, out);
    for (const [k, x] of Object.entries(v)) {
      Object.defineProperty(out, k, { value: capture(x, nodes, seen, `${path}.${k}`, depth + 1), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  throw new SerializationError(`save: cannot save an object of class ${v.constructor?.name ?? 'Object'} (at ${path}); module attributes may hold numbers, strings, booleans, arrays, plain objects, Maps, Sets, tensors and modules`);
}

/** The path of own data properties, Map keys and array indices from `root` to `target` (depth ≤ 3). */
function findPath(root: object, target: object): Path | undefined {
  const queue: [unknown, Path][] = [[root, []]];
  while (queue.length) {
    const [x, p] = queue.shift()!;
    if (p.length > 0 && x === target) return markTuple(p);
    if (p.length >= 3 || x === null || typeof x !== 'object') continue;
    if (p.length > 0 && isModuleLike(x)) continue;
    if (x instanceof Map) {
      for (const [k, v] of x) if (typeof k === 'string' || typeof k === 'number') queue.push([v, [...p, k]]);
    } else if (Array.isArray(x)) {
      x.forEach((v, i) => queue.push([v, [...p, i]]));
    } else if (x === root || isPlainObject(x)) {
      for (const name of Object.getOwnPropertyNames(x)) {
        const d = Object.getOwnPropertyDescriptor(x, name)!;
        if ('value' in d) queue.push([d.value, [...p, name]]);
      }
    }
  }
  return undefined;
}
