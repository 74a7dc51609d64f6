import type { Backend } from './backend.js';
import type { OpDef } from './op.js';
import type { Tensor } from './tensor.js';

/** What `@kindling/autograd` plugs into the dispatcher; absent until it is imported. */
export interface AutogradHooks {
  /** Whether ops should record history now (grad mode, not inference mode). */
  isRecording(): boolean;
  /** Called after an op ran on inputs of which at least one requires grad. */
  record(op: OpDef, inputs: readonly Tensor[], attrs: Readonly<Record<string, unknown>>, outputs: readonly Tensor[]): void;
  /** Called before an op writes into `out` in place (version checks, leaf checks). */
  beforeInplace?(out: Tensor, op: OpDef, inputs: readonly Tensor[]): void;
  /** Whether inference mode is on: results made now are marked and may never enter autograd. */
  isInference?(): boolean;
  markInference?(outputs: readonly Tensor[]): void;
  /** Whether a derivative is registered for the op, so its decomposition can run unrecorded. */
  hasDerivative(opName: string): boolean;
  /** Run `fn` with recording off. */
  pause<T>(fn: () => T): T;
}

export interface Registry {
  readonly version: string;
  readonly backends: Map<string, Backend>;
  readonly ops: Map<string, OpDef>;
  autograd: AutogradHooks | null;
  defaultDevice: string;
}

/** The registry's major version: packages that disagree on it cannot share tensors. */
export const REGISTRY_VERSION = '1';
const KEY = Symbol.for('kindling.registry');

function createRegistry(): Registry {
  return { version: REGISTRY_VERSION, backends: new Map(), ops: new Map(), autograd: null, defaultDevice: 'cpu' };
}

/**
 * One registry per process, on `globalThis`, so separately installed or twice-bundled packages
 * share backends and ops. A second copy of a different major version is an error, not a silent split.
 */
export const registry: Registry = (() => {
  const g = globalThis as unknown as Record<symbol, Registry | undefined>;
  const existing = g[KEY];
  if (existing) {
    if (existing.version !== REGISTRY_VERSION) {
      throw new Error(
        `Two incompatible copies of @kindling/tensor are loaded (registry versions ${existing.version} and ${REGISTRY_VERSION}); install one version of the Kindling packages.`,
      );
    }
    return existing;
  }
  const r = createRegistry();
  g[KEY] = r;
  return r;
})();
