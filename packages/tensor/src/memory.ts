import type { Backend, Storage } from './backend.js';

/**
 * A backend storage shared by every tensor that views it. Its memory is given back to the backend
 * when the last tensor referring to it is disposed or garbage collected.
 */
export class StorageRef {
  refs = 0;
  freed = false;
  /** Set when host memory has been handed out (`numpy()`, `fromArray`): never recycle it. */
  pinned = false;
  /** PyTorch's version counter, shared by a tensor and its views. */
  version = 0;
  constructor(
    readonly backend: Backend,
    readonly storage: Storage,
  ) {}
  retain(): void {
    this.refs++;
  }
  release(): void {
    if (--this.refs === 0 && !this.freed) {
      this.freed = true;
      if (!this.pinned) this.backend.free(this.storage);
    }
  }
}

/**
 * Backends whose memory the JS garbage collector owns (cpu: ArrayBuffers) are tracked through a
 * WeakRef: a dropped tensor's buffer is then reclaimed by the GC itself, even inside a long
 * synchronous loop where finalizers never get to run. Device memory is held strongly until freed.
 */
const finalizer = new FinalizationRegistry<StorageRef | WeakRef<StorageRef>>((held) => {
  (held instanceof WeakRef ? held.deref() : held)?.release();
});

export function trackTensor(tensor: object, ref: StorageRef): void {
  ref.retain();
  finalizer.register(tensor, ref.backend.gcManaged ? new WeakRef(ref) : ref, tensor);
}

export function untrackTensor(tensor: object, ref: StorageRef): void {
  if (finalizer.unregister(tensor)) ref.release();
}

/** Tensors created inside the innermost `tidy` scopes, innermost last. */
const scopes: Set<{ dispose(): void }>[] = [];

export function noteCreated(t: { dispose(): void }): void {
  const top = scopes[scopes.length - 1];
  if (top) top.add(t);
}

export function noteKept(t: { dispose(): void }): void {
  // A kept tensor belongs to the enclosing scope, if any.
  const outer = scopes[scopes.length - 1];
  if (outer) outer.add(t);
}

/**
 * Run `fn` and dispose every tensor it created except those it returns (found in arrays,
 * plain objects and Maps of the result). Deterministic memory release, as tf.tidy.
 */
export function tidy<T>(fn: () => T): T {
  const scope = new Set<{ dispose(): void }>();
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    scopes.pop();
    for (const t of scope) t.dispose();
    throw e;
  }
  scopes.pop();
  if (result instanceof Promise) {
    throw new Error('tidy(fn): fn must be synchronous; it returned a Promise');
  }
  const keep = new Set<unknown>();
  collect(result, keep, 0);
  for (const t of scope) {
    if (keep.has(t)) noteKept(t);
    else t.dispose();
  }
  return result;
}

function collect(x: unknown, into: Set<unknown>, depth: number): void {
  if (x === null || typeof x !== 'object' || depth > 64) return;
  if (typeof (x as { dispose?: unknown }).dispose === 'function' && 'dtype' in x) {
    into.add(x);
    return;
  }
  if (Array.isArray(x)) for (const v of x) collect(v, into, depth + 1);
  else if (x instanceof Map) for (const v of x.values()) collect(v, into, depth + 1);
  else if (Object.getPrototypeOf(x) === Object.prototype) for (const v of Object.values(x)) collect(v, into, depth + 1);
}
