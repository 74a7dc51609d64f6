// Grad modes (handbook 11.2). The mode lives in an async context in Node, so an `await` inside a
// noGrad scope keeps the scope, and concurrent async work never sees another scope's mode.

interface ModeState {
  enabled: boolean;
  inference: boolean;
}

interface ContextStore {
  getStore(): ModeState | undefined;
  run<R>(store: ModeState, fn: () => R): R;
}

async function loadAsyncContext(): Promise<ContextStore | null> {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  if (!proc?.versions?.node) return null;
  const { AsyncLocalStorage } = await import('node:async_hooks');
  return new AsyncLocalStorage<ModeState>();
}

/** Browsers have no async context: there, scopes are synchronous-only (a stack). */
const asyncContext: ContextStore | null = await loadAsyncContext();
const globalState: ModeState = { enabled: true, inference: false };

function current(): ModeState {
  return asyncContext?.getStore() ?? globalState;
}

function runWith<R>(patch: Partial<ModeState>, fn: () => R): R {
  const next = { ...current(), ...patch };
  if (asyncContext) return asyncContext.run(next, fn);
  const saved = { ...globalState };
  Object.assign(globalState, next);
  try {
    return fn();
  } finally {
    Object.assign(globalState, saved);
  }
}

export function isGradEnabled(): boolean {
  return current().enabled;
}
export function isInferenceModeEnabled(): boolean {
  return current().inference;
}

/** `torch.set_grad_enabled(mode)`: changes the mode of the current scope (the whole program outside any). */
export function setGradEnabled(mode: boolean): void {
  current().enabled = mode;
}

/** A disposable guard for `using _ = torch.noGrad();`, like Python's `with torch.no_grad():`. */
export interface ModeGuard extends Disposable {
  [Symbol.dispose](): void;
}

function guard(patch: Partial<ModeState>): ModeGuard {
  const state = current();
  const saved = { ...state };
  Object.assign(state, patch);
  return {
    [Symbol.dispose]() {
      Object.assign(state, saved);
    },
  };
}

export interface ModeScope {
  /** Open the mode until the returned guard is disposed (`using _ = torch.noGrad()`). */
  (): ModeGuard;
  /** Run `fn` in the mode and return its result (also across `await` when fn is async). */
  <R>(fn: () => R): R;
  /** A function that always runs `fn` in the mode, like the `@torch.no_grad()` decorator. */
  wrap<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R;
}

function scope(patch: () => Partial<ModeState>): ModeScope {
  const s = (<R>(fn?: () => R) => (fn ? runWith(patch(), fn) : guard(patch()))) as ModeScope;
  s.wrap = <A extends unknown[], R>(fn: (...args: A) => R) => (...args: A) => runWith(patch(), () => fn(...args));
  return s;
}

export const noGrad: ModeScope = scope(() => ({ enabled: false }));
export const enableGrad: ModeScope = scope(() => ({ enabled: true }));
/** Faster than noGrad: tensors made inside can never enter autograd later. */
export const inferenceMode: ModeScope = scope(() => ({ enabled: false, inference: true }));

/** `torch.set_grad_enabled(mode)` as a scope: `setGradEnabledScope(false, fn)`. */
export function withGradEnabled<R>(mode: boolean, fn: () => R): R {
  return runWith({ enabled: mode }, fn);
}
