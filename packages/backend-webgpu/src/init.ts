import { GpuContext } from './context.js';
import { defaultGPU } from './gpu.js';
import { gpu, isInitialised, setContext } from './backend.js';

export interface WebGPUOptions {
  /** The WebGPU entry point: `navigator.gpu` in a browser (the default there), Dawn's in Node (the default there). */
  gpu?: GPU;
  powerPreference?: GPUPowerPreference;
}

export interface WebGPUInfo {
  /** The adapter: vendor, architecture, device, description. */
  adapter: string;
  features: string[];
}

let pending: Promise<WebGPUInfo> | null = null;

/**
 * Make the `webgpu` device ready: find an adapter, open a device. Resolves once `'webgpu'` tensors can
 * be created; rejects with the reason when this machine has no usable adapter. Calling it again
 * returns the same device.
 */
export function initWebGPU(options: WebGPUOptions = {}): Promise<WebGPUInfo> {
  pending ??= open(options).catch((e: unknown) => {
    pending = null;
    throw e;
  });
  return pending;
}

async function open(options: WebGPUOptions): Promise<WebGPUInfo> {
  const entry = options.gpu ?? (await defaultGPU());
  const adapter = await entry.requestAdapter(options.powerPreference ? { powerPreference: options.powerPreference } : {});
  if (!adapter) throw new Error('webgpu: no WebGPU adapter is available on this machine (in Node, Dawn needs a Vulkan, Metal or D3D12 driver)');
  // The largest buffers the adapter allows, not the 128/256 MiB defaults.
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
      maxStorageBuffersPerShaderStage: Math.min(adapter.limits.maxStorageBuffersPerShaderStage, 10),
    },
  });
  const info = adapter.info;
  const name = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ');
  setContext(new GpuContext(device, name, entry));
  return { adapter: name, features: [...adapter.features] };
}

/** Whether `initWebGPU()` has completed. */
export function webgpuReady(): boolean {
  return isInitialised();
}

/** Bytes held by webgpu tensors, bytes reserved by the caching allocator, and the peak held. */
export function memoryStats(): { allocated: number; reserved: number; peakAllocated: number } {
  const pool = gpu().pool;
  return { allocated: pool.allocatedBytes, reserved: pool.reservedBytes, peakAllocated: pool.peakAllocatedBytes };
}

/** Give the allocator's cached, unused buffers back to the device. */
export function emptyCache(): void {
  gpu().pool.emptyCache();
}

/**
 * Submit queued kernels now and wait until the device has finished them. Like a read, it raises a
 * device error a kernel recorded (an index out of range, an integer division by zero, a singular
 * matrix), as `torch.cuda.synchronize()` raises a device-side assert.
 */
export function synchronize(): Promise<void> {
  return gpu().synchronize();
}
