import { Tensor } from '@kindling/tensor';
import { SerializationError } from '../errors.js';
import { isPlainObject } from '../pickle/pickler.js';
import { PickledObject } from '../pickle/values.js';
import { UNREGISTERED_PARAMETERS } from '../torch/materialize.js';
import { MODULE_FORMAT_VERSION, MODULE_MARK } from './format.js';
import { type RegisteredClass, registeredClass } from './registry.js';

type Obj = Record<string, unknown>;

function isModuleData(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && isPlainObject(x) && (x as Obj)[MODULE_MARK] === 'module';
}
function isNode(x: unknown): x is Obj {
  return isTagged(x, 'node');
}
function isTagged(x: unknown, tag: string): x is Obj {
  return typeof x === 'object' && x !== null && isPlainObject(x) && (x as Obj)[MODULE_MARK] === tag;
}

/**
 * Replace every Kindling whole-model dict in a loaded value by the module it describes. Values that
 * hold none come back unchanged (one pass over the containers; tensors are leaves).
 */
export function rebuildModules(root: unknown): unknown {
  const built = new Map<object, object>();
  const rebuild = (data: Obj): object => {
    let m = built.get(data);
    if (!m) built.set(data, (m = rebuildModule(data)));
    return m;
  };
  if (isModuleData(root)) return rebuild(root);
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length) {
    const x = stack.pop();
    if (x === null || typeof x !== 'object' || seen.has(x) || x instanceof Tensor) continue;
    seen.add(x);
    const fix = (v: unknown): unknown => {
      if (isModuleData(v)) return rebuild(v);
      stack.push(v);
      return v;
    };
    if (Array.isArray(x)) for (let i = 0; i < x.length; i++) x[i] = fix(x[i]);
    else if (x instanceof Map) for (const [k, v] of x) x.set(k, fix(v));
    else if (x instanceof Set) {
      for (const v of [...x]) {
        const r = fix(v);
        if (r !== v) {
          x.delete(v);
          x.add(r);
        }
      }
    } else if (x instanceof PickledObject) {
      fix(x.args);
      x.state = fix(x.state);
    } else if (isPlainObject(x)) for (const k of Object.keys(x)) setOwn(x as Obj, k, fix((x as Obj)[k]));
  }
  return root;
}

function rebuildModule(data: Obj): object {
  const version = data['format_version'];
  if (version !== MODULE_FORMAT_VERSION) {
    throw new SerializationError(`load: this model was saved in Kindling's module format version ${String(version)}; this version of @kindling/io reads version ${MODULE_FORMAT_VERSION}`);
  }
  if (!isNode(data['structure'])) throw new SerializationError('load: the saved model has no valid structure');
  return new Builder().node(data['structure'], 'model');
}

class Builder {
  private nodes = new Map<Obj, object>();
  private seen = new Set<object>();
  private tagged = new Map<object, object>();

  node(node: Obj, path: string): object {
    const done = this.nodes.get(node);
    if (done) return done;
    const name = node['class'];
    if (typeof name !== 'string') throw new SerializationError(`load: module at ${path} has no class name`);
    const cls = registeredClass(name);
    if (!cls || cls === Tensor || cls.prototype instanceof Tensor) {
      throw new SerializationError(
        `load: cannot rebuild module class '${name}' (at ${path}): register it before loading, with ` +
          `registerModule('${name}', ${name}), or registerModules(nn) for Kindling's built-in modules`,
      );
    }
    // Like Python's unpickler (object.__new__ + __dict__ update): make the object with the root base
    // class's constructor only (nn.Module's, which sets up its internal state), then restore it.
    const inst = Reflect.construct(rootClass(cls), [], cls) as Obj & {
      registerBuffer?: (n: string, t: Tensor | null, o?: { persistent?: boolean }) => void;
    };
    this.nodes.set(node, inst);

    for (const entry of entries(node['attributes'], path)) {
      const [attr, value, enumerable] = entry as [unknown, unknown, unknown];
      if (typeof attr !== 'string') throw new SerializationError(`load: bad attribute name at ${path}`);
      Object.defineProperty(inst, attr, { value: this.value(value, `${path}.${attr}`), enumerable: enumerable !== false, writable: true, configurable: true });
    }
    for (const entry of entries(node['buffers'], path)) {
      const [buf, tensor, persistent] = entry as [unknown, unknown, unknown];
      if (typeof buf !== 'string' || (tensor !== null && !(tensor instanceof Tensor))) throw new SerializationError(`load: bad buffer entry at ${path}`);
      if (typeof inst.registerBuffer === 'function') inst.registerBuffer(buf, tensor as Tensor | null, { persistent: persistent !== false });
      else Object.defineProperty(inst, buf, { value: tensor, enumerable: false, writable: true, configurable: true });
    }
    for (const entry of entries(node['aliases'], path)) {
      const [alias, route] = entry as [unknown, unknown];
      if (typeof alias !== 'string' || !Array.isArray(route) || route.some((k) => k === '__proto__' || k === 'constructor' || k === 'prototype')) {
        throw new SerializationError(`load: bad alias entry at ${path}`);
      }
      if (Object.prototype.hasOwnProperty.call(inst, alias)) continue;
      Object.defineProperty(inst, alias, {
        get: () => follow(inst, route),
        set: (v: unknown) => assign(inst, route, v),
        enumerable: false,
        configurable: true,
      });
    }
    if (typeof node['training'] === 'boolean') (inst as { training?: boolean }).training = node['training'];
    return inst;
  }

  /** Attribute values: nodes become modules, containers are fixed up in place. */
  private value(v: unknown, path: string): unknown {
    if (v === null || typeof v !== 'object') return v;
    if (v instanceof Tensor) {
      if (UNREGISTERED_PARAMETERS.has(v)) {
        throw new SerializationError(
          `load: the model's parameter at ${path} needs the Parameter class: call registerModules(nn) (or registerModule('Parameter', nn.Parameter)) before loading`,
        );
      }
      return v;
    }
    if (isNode(v)) return this.node(v, path);
    const done = this.tagged.get(v);
    if (done) return done;
    if (isTagged(v, 'map') || isTagged(v, 'set')) {
      const isMap = v[MODULE_MARK] === 'map';
      const out: Map<unknown, unknown> | Set<unknown> = isMap ? new Map() : new Set();
      this.tagged.set(v, out);
      for (const item of list(v['items'] as unknown, path) as unknown[]) {
        if (isMap) {
          const [k, x] = item as unknown as [unknown, unknown];
          (out as Map<unknown, unknown>).set(this.value(k, path), this.value(x, `${path}.${String(k)}`));
        } else (out as Set<unknown>).add(this.value(item, path));
      }
      return out;
    }
    if (this.seen.has(v)) return v;
    this.seen.add(v);
    if (Array.isArray(v)) v.forEach((x, i) => (v[i] = this.value(x, `${path}[${i}]`)));
    else if (v instanceof Map) for (const [k, x] of v) v.set(k, this.value(x, `${path}.${String(k)}`));
    else if (v instanceof Set) {
      const items = [...v].map((x) => this.value(x, path));
      v.clear();
      for (const x of items) v.add(x);
    } else if (isPlainObject(v)) for (const k of Object.keys(v)) setOwn(v as Obj, k, this.value((v as Obj)[k], `${path}.${k}`));
    return v;
  }
}

/** Replace an own property's value without assignment (a key '__proto__' must stay a key). */
function setOwn(o: Obj, k: string, v: unknown): void {
  if (o[k] !== v) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

function list(x: unknown, path: string): unknown[][] {
  if (x === undefined) return [];
  if (!Array.isArray(x)) throw new SerializationError(`load: corrupt module structure at ${path}`);
  return x as unknown[][];
}

function entries(x: unknown, path: string): unknown[][] {
  const l = list(x, path);
  if (!l.every(Array.isArray)) throw new SerializationError(`load: corrupt module structure at ${path}`);
  return l;
}

function assign(root: unknown, route: unknown[], v: unknown): void {
  const parent = follow(root, route.slice(0, -1));
  const k = route[route.length - 1];
  if (parent instanceof Map) parent.set(k, v);
  else if (parent !== null && typeof parent === 'object') (parent as Obj)[String(k)] = v;
}

function follow(root: unknown, route: unknown[]): unknown {
  let x = root;
  for (const k of route) {
    if (x instanceof Map) x = x.get(k);
    else if (x !== null && typeof x === 'object') x = (x as Obj)[String(k)];
    else return undefined;
  }
  return x;
}

/** The first class in `cls`'s chain, whose constructor makes the object (nn.Module for modules). */
function rootClass(cls: RegisteredClass): new () => object {
  let c = cls as unknown as { prototype: unknown };
  for (;;) {
    const parent = Object.getPrototypeOf(c) as { prototype?: unknown } | null;
    if (!parent || parent === Function.prototype || typeof parent !== 'function') return c as unknown as new () => object;
    c = parent as { prototype: unknown };
  }
}
