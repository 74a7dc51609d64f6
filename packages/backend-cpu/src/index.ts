// @kindling/backend-cpu: importing this module registers the `cpu` device.
import { registerBackend } from '@kindling/tensor';
import { cpuBackend, hostAllocator } from './backend.js';
import './kernels/elementwise.js';
import './kernels/reduce.js';
import './kernels/scan.js';
import './kernels/sort.js';
import './kernels/linalg.js';
import './kernels/indexing.js';
import './kernels/conv.js';

// Last: the native fast paths wrap the TypeScript kernels registered above (when the addon loads).
import './native/kernels.js';
import './native/memory.js';

registerBackend('cpu', cpuBackend);

export { cpuBackend, hostAllocator, registerCpuKernel };
import { registerCpuKernel } from './backend.js';
export { storageArray, operand, coalesce, type Operand } from './layout.js';
export { stridedKernel, runStrided, loadExpr, storeExpr } from './codegen.js';

/** Host memory in use by tensors and cached for reuse, in bytes. */
export function memoryStats(): { allocated: number; reserved: number; peakAllocated: number } {
  return { allocated: hostAllocator.allocatedBytes, reserved: hostAllocator.reservedBytes, peakAllocated: hostAllocator.peakAllocatedBytes };
}

export { backendInfo, getNumThreads, setNumThreads, type CpuBackendInfo } from './native/info.js';
