// @kindling/backend-webgpu: importing this module registers the `webgpu` device; `await initWebGPU()`
// opens the GPU before the first webgpu tensor is made.
/// <reference types="@webgpu/types" />
import { registerBackend } from '@kindling/tensor';
import { webgpuBackend } from './backend.js';
import './kernels/elementwise.js';
import './kernels/reduce.js';
import './kernels/bmm.js';
import './kernels/scan.js';
import './kernels/indexing.js';
import './kernels/sort.js';
import './kernels/select.js';
import './kernels/data-dependent.js';
import './kernels/linalg.js';
import './kernels/softmax.js';

registerBackend('webgpu', webgpuBackend);

export { webgpuBackend } from './backend.js';
export { initWebGPU, webgpuReady, memoryStats, emptyCache, synchronize, type WebGPUOptions, type WebGPUInfo } from './init.js';
export { WebGPUDtypeError } from './wgsl/dtypes.js';
