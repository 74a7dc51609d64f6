import type { Backend, Kernel, Storage } from '@kindling/tensor';
import { DeviceError } from '@kindling/tensor';
import type { GpuContext } from './context.js';
import { WebGPUStorage } from './storage.js';

let current: GpuContext | null = null;

/** The initialised device; a clear error before `initWebGPU()` has finished. */
export function gpu(): GpuContext {
  if (current) return current;
  throw new DeviceError(
    "The webgpu device is not initialised: `await initWebGPU()` (from '@kindling/backend-webgpu') before creating webgpu tensors.",
  );
}

export function setContext(ctx: GpuContext | null): void {
  current = ctx;
}

export function isInitialised(): boolean {
  return current !== null;
}

/** Kernels registered by the kernel modules, by op name. */
export const webgpuKernels: Record<string, Kernel | undefined> = {};

export function registerWebGPUKernel(name: string, kernel: Kernel): void {
  webgpuKernels[name] = kernel;
}

export function bufferOf(s: Storage): GPUBuffer {
  return (s as WebGPUStorage).buffer;
}

/**
 * The `webgpu` backend. Memory is GPU buffers from a caching allocator; reads are asynchronous only
 * (there is no readSync, so `t.item()`/`t.tolist()` raise the tensor package's clear error and point
 * to `await t.itemAsync()`/`await t.tolistAsync()`).
 */
export const webgpuBackend: Backend = {
  type: 'webgpu',
  deviceCount: () => (current ? 1 : 0),
  allocate(device, nbytes) {
    if (device !== 0) throw new DeviceError(`webgpu: device index ${device} is out of range (1 device)`);
    const ctx = gpu();
    return new WebGPUStorage(ctx.pool.acquire(Math.max(4, nbytes)), nbytes);
  },
  free(storage) {
    // Kernels already queued that use the buffer run before anything queued later writes it.
    current?.pool.release(bufferOf(storage));
  },
  write(storage, byteOffset, src) {
    const bytes = new Uint8Array(src.buffer as ArrayBuffer, src.byteOffset, src.byteLength);
    if (bytes.byteLength === 0) return;
    const end = byteOffset + bytes.byteLength;
    // writeBuffer moves whole 4-byte words: the tail past the storage's own bytes is free to pad.
    if (byteOffset % 4 !== 0 || (end % 4 !== 0 && end < storage.nbytes)) {
      throw new DeviceError(`webgpu: writes must start and end on 4-byte boundaries (bytes ${byteOffset}..${end} of ${storage.nbytes})`);
    }
    const padded = end % 4 === 0 ? bytes : padTo4(bytes);
    gpu().write(bufferOf(storage), byteOffset, padded);
  },
  read(storage, byteOffset, nbytes) {
    // Every read, even of no bytes, is a synchronisation point: it raises a device error recorded before it.
    return gpu().read(bufferOf(storage), byteOffset, nbytes);
  },
  kernels: webgpuKernels,
};

function padTo4(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array((bytes.byteLength + 3) & ~3);
  out.set(bytes);
  return out;
}
