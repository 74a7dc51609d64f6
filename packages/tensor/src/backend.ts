import { registry } from './registry.js';
import type { Tensor } from './tensor.js';

/** Memory owned by a backend. Only its backend knows what is inside. */
export interface Storage {
  readonly nbytes: number;
  readonly device: number;
}

export type Attrs = Readonly<Record<string, unknown>>;

/**
 * A kernel writes the op's results into `outputs` (allocated by the dispatcher from the op's
 * `infer`), or, for ops whose result shape depends on the data, returns freshly made tensors.
 * Inputs and outputs may be strided views.
 */
export type Kernel = (inputs: readonly Tensor[], outputs: readonly Tensor[], attrs: Attrs) => void | Tensor[];

export interface Backend {
  /** The device type this backend serves: 'cpu', 'webgpu', 'cuda'. */
  readonly type: string;
  deviceCount(): number;
  allocate(device: number, nbytes: number): Storage;
  free(storage: Storage): void;
  write(storage: Storage, byteOffset: number, src: ArrayBufferView): void;
  read(storage: Storage, byteOffset: number, nbytes: number): Promise<Uint8Array>;
  readSync?(storage: Storage, byteOffset: number, nbytes: number): Uint8Array;
  /** Host memory behind a storage, for zero-copy views (`numpy()`); host backends only. */
  hostBuffer?(storage: Storage): ArrayBuffer;
  /** Wrap host memory as a storage without copying (`fromArray`); host backends only. */
  adopt?(buffer: ArrayBuffer, byteOffset: number, nbytes: number): Storage;
  readonly kernels: Readonly<Record<string, Kernel | undefined>>;
  /** Memory is garbage-collected JS memory (ArrayBuffers): dropped tensors need no finalizer to free it. */
  readonly gcManaged?: boolean;
  /** For gcManaged backends: what `reclaimed` needs to account for a storage, holding no reference to its memory. */
  reclaimToken?(storage: Storage): unknown;
  /** For gcManaged backends: a storage's memory was (or will be) reclaimed by the garbage collector. */
  reclaimed?(token: unknown): void;
}

/** Which npm package provides each known device type, for the error when it is missing. */
const PACKAGES: Record<string, string> = {
  cpu: '@kindling/backend-cpu',
  cuda: '@kindling/backend-cuda',
  webgpu: '@kindling/backend-webgpu',
};

export class DeviceError extends Error {
  override name = 'DeviceError';
}

export function registerBackend(type: string, backend: Backend): void {
  registry.backends.set(type, backend);
}

export function hasBackend(type: string): boolean {
  return registry.backends.has(type);
}

export function getBackend(type: string): Backend {
  const b = registry.backends.get(type);
  if (b) return b;
  const pkg = PACKAGES[type];
  throw new DeviceError(
    pkg
      ? `Device '${type}' is not available: install and import ${pkg} to register it (import '${pkg}').`
      : `Unknown device type '${type}': no backend registered for it (registered: ${[...registry.backends.keys()].join(', ') || 'none'}).`,
  );
}

export function registeredBackends(): string[] {
  return [...registry.backends.keys()];
}
