import type { Backend, Storage } from './backend.js';

/**
 * The count of live tensors on one storage, kept apart from the storage itself: for memory the
 * garbage collector owns, the finalizer holds only this, so it never keeps a buffer alive.
 */
class RefCount {
  refs = 0;
  freed = false;
  constructor(
    readonly backend: Backend,
    /** What the backend needs to account for memory the GC reclaimed (never the memory itself). */
    readonly token: unknown,
  ) {}
}

/**
 * A backend storage shared by every tensor that views it. Its memory is given back to the backend
 * when the last tensor referring to it is disposed or garbage collected.
 */
export class StorageRef {
  readonly count: RefCount;
  /** Set when host memory has been handed out (`numpy()`, `fromArray`): never recycle it. */
  pinned = false;
  /** PyTorch's version counter, shared by a tensor and its views. */
  version = 0;
  constructor(
    readonly backend: Backend,
    readonly storage: Storage,
  ) {
    this.count = new RefCount(backend, backend.gcManaged ? backend.reclaimToken?.(storage) : undefined);
  }
  get refs(): number {
    return this.count.refs;
  }
  get freed(): boolean {
    return this.count.freed;
  }
  retain(): void {
    this.count.refs++;
  }
  /** Deterministic release (dispose, tidy): the memory goes back to the backend for reuse. */
  release(): void {
    const c = this.count;
    if (--c.refs === 0 && !c.freed) {
      c.freed = true;
      if (this.pinned) this.backend.reclaimed?.(c.token);
      else this.backend.free(this.storage);
    }
  }
}

/**
 * Device memory is held strongly by the finalizer until it is freed. Memory the JS garbage
 * collector owns (cpu ArrayBuffers) is not: the finalizer holds only the RefCount, so a dropped
 * tensor's buffer is reclaimed by the GC itself, even inside a long synchronous training loop.
 */
const finalizer = new FinalizationRegistry<StorageRef | RefCount>((held) => {
  if (held instanceof StorageRef) {
    held.release();
    return;
  }
  if (--held.refs === 0 && !held.freed) {
    held.freed = true;
    held.backend.reclaimed?.(held.token);
  }
});

export function trackTensor(tensor: object, ref: StorageRef): void {
  ref.retain();
  finalizer.register(tensor, ref.backend.gcManaged ? ref.count : ref, tensor);
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
