// `torch.cuda`: answers from the registered `cuda` backend; without @kindling/backend-cuda
// it reports no CUDA, as PyTorch does on a machine without a GPU.
import { getBackend, hasBackend, manualSeed as seedAll } from '@kindling/tensor';

interface CudaBackendExtras {
  synchronize?(device?: number): void;
  memoryAllocated?(device?: number): number;
  maxMemoryAllocated?(device?: number): number;
  memoryReserved?(device?: number): number;
  emptyCache?(): void;
  getDeviceName?(device?: number): string;
}

function backend(): CudaBackendExtras & { deviceCount(): number } {
  return getBackend('cuda') as unknown as CudaBackendExtras & { deviceCount(): number };
}

export function isAvailable(): boolean {
  return hasBackend('cuda') && backend().deviceCount() > 0;
}
export function deviceCount(): number {
  return hasBackend('cuda') ? backend().deviceCount() : 0;
}
/** One generator serves every device, so seeding CUDA seeds the same stream. */
export function manualSeed(seed: number | bigint): void {
  seedAll(seed);
}
export const manualSeedAll = manualSeed;
export function synchronize(device?: number): void {
  backend().synchronize?.(device);
}
export function memoryAllocated(device?: number): number {
  return backend().memoryAllocated?.(device) ?? 0;
}
export function maxMemoryAllocated(device?: number): number {
  return backend().maxMemoryAllocated?.(device) ?? 0;
}
export function memoryReserved(device?: number): number {
  return backend().memoryReserved?.(device) ?? 0;
}
export function emptyCache(): void {
  backend().emptyCache?.();
}
export function getDeviceName(device?: number): string {
  const f = backend().getDeviceName;
  if (!f) throw new Error('the cuda backend does not report device names');
  return f(device);
}
