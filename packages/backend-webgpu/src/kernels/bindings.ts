import type { DType, Tensor } from '@kindling/tensor';
import { bufferOf, gpu } from '../backend.js';
import { type BufferVar, bufferDecl, isNarrow } from '../wgsl/dtypes.js';

/**
 * The buffers a kernel binds: outputs first, then inputs. One buffer is bound once (WebGPU refuses a
 * writable binding aliased with another), so an input sharing its output's buffer (in-place ops)
 * reads through the output's variable. Narrow outputs are bound as atomics.
 */
export interface Bindings {
  readonly vars: BufferVar[];
  readonly buffers: GPUBuffer[];
  readonly decls: string;
  /** Part of the pipeline key: which variable each operand uses. */
  readonly key: string;
}

/** `reserved`: bindings the kernel needs besides the tensors' and the parameters' (the device error flag). */
export function bindTensors(outputs: readonly Tensor[], inputs: readonly Tensor[], atomicOutputs = false, reserved = 0): Bindings {
  const buffers: GPUBuffer[] = [];
  const decls: string[] = [];
  const vars: BufferVar[] = [];
  const varOf = new Map<GPUBuffer, BufferVar>();
  const bind = (t: Tensor, writable: boolean, dtypeForAtomic: DType | null) => {
    const buffer = bufferOf(t._ref.storage);
    let v = varOf.get(buffer);
    if (!v) {
      v = { name: `B${buffers.length}`, atomic: dtypeForAtomic !== null && (atomicOutputs || isNarrow(dtypeForAtomic)) };
      varOf.set(buffer, v);
      buffers.push(buffer);
      decls.push(bufferDecl(buffers.length, v, writable));
    }
    vars.push(v);
  };
  for (const t of outputs) bind(t, true, t.dtype);
  for (const t of inputs) bind(t, false, null);
  // One storage buffer of the device's limit holds the kernel's parameters.
  const max = gpu().device.limits.maxStorageBuffersPerShaderStage - 1 - reserved;
  if (buffers.length > max) {
    throw new Error(`webgpu: a kernel may bind at most ${max} tensors' buffers on this device, this one needs ${buffers.length} (index with fewer index tensors)`);
  }
  return { vars, buffers, decls: decls.join('\n'), key: vars.map((v) => `${v.name}${v.atomic ? 'a' : ''}`).join(',') };
}

export const PARAMS_DECL = '@group(0) @binding(0) var<storage, read> P: array<u32>;';
