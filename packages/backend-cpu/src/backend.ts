import type { Backend, Kernel, Storage } from '@kindling/tensor';
import { HostAllocator } from './allocator.js';
import { CpuStorage } from './storage.js';

export const hostAllocator = new HostAllocator();

/** Kernels registered by the kernel modules; the backend object exposes them by op name. */
export const cpuKernels: Record<string, Kernel | undefined> = {};

export function registerCpuKernel(name: string, kernel: Kernel): void {
  cpuKernels[name] = kernel;
}

function bytesOf(s: Storage): Uint8Array {
  const c = s as CpuStorage;
  return new Uint8Array(c.buffer, c.byteOffset, c.nbytes);
}

export const cpuBackend: Backend = {
  type: 'cpu',
  deviceCount: () => 1,
  allocate(_device, nbytes) {
    return new CpuStorage(hostAllocator.allocate(nbytes), 0, nbytes, true);
  },
  free(storage) {
    const c = storage as CpuStorage;
    if (c.owned) hostAllocator.release(c.buffer);
  },
  write(storage, byteOffset, src) {
    bytesOf(storage).set(new Uint8Array(src.buffer, src.byteOffset, src.byteLength), byteOffset);
  },
  readSync(storage, byteOffset, nbytes) {
    return bytesOf(storage).slice(byteOffset, byteOffset + nbytes);
  },
  async read(storage, byteOffset, nbytes) {
    return bytesOf(storage).slice(byteOffset, byteOffset + nbytes);
  },
  hostBuffer(storage) {
    return (storage as CpuStorage).buffer;
  },
  adopt(buffer, byteOffset, nbytes) {
    return new CpuStorage(buffer, byteOffset, nbytes, false);
  },
  kernels: cpuKernels,
  gcManaged: true,
  reclaimToken(storage) {
    const c = storage as CpuStorage;
    return c.owned ? c.buffer.byteLength : 0;
  },
  reclaimed(token) {
    hostAllocator.forget(token as number);
  },
};
