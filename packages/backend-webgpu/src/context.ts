import { BufferPool } from './allocator.js';
import { CLEAR_CODE, decodeDeviceError, ERROR_BYTES } from './device-errors.js';

/** Words of kernel parameters one batch can hold; a full arena submits the batch. */
const ARENA_WORDS = 16384;
/** Kernels per batch: enough to amortise a submit, few enough that the device starts working early. */
const BATCH_KERNELS = 256;
const WORKGROUPS_PER_DIM = 65535;

/**
 * One WebGPU device and the work queued on it. Kernels are recorded into a command encoder and
 * submitted in batches; each kernel's parameters (shapes, strides, offsets) go into one arena buffer
 * per batch, written just before the batch is submitted. Pipelines are compiled once per WGSL source.
 */
export class GpuContext {
  readonly pool: BufferPool;
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  private encoder: GPUCommandEncoder | null = null;
  private kernelsInBatch = 0;
  private readonly params = new Uint32Array(ARENA_WORDS);
  private paramWords = 0;
  private paramBuffer: GPUBuffer | null = null;
  private readonly paramAlignWords: number;
  /** A device error (invalid WGSL, validation) reported asynchronously, raised at the next read. */
  private deviceError: string | null = null;
  lost: string | null = null;
  /** The device error flag (see device-errors.ts): kernels that can fail record the first error here. */
  readonly errorBuffer: GPUBuffer;
  private seq = 0;

  constructor(
    readonly device: GPUDevice,
    readonly adapterInfo: string,
    /** The entry point that made the device: Dawn stops serving a device whose GPU object was collected. */
    readonly entry: GPU,
  ) {
    this.pool = new BufferPool(device, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST);
    this.paramAlignWords = device.limits.minStorageBufferOffsetAlignment / 4;
    // Created zeroed: no error recorded.
    this.errorBuffer = device.createBuffer({ size: ERROR_BYTES, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
    device.addEventListener('uncapturederror', (ev) => {
      const e = (ev as GPUUncapturedErrorEvent).error;
      this.deviceError ??= e.message;
    });
    void device.lost.then((info) => {
      this.lost = `webgpu: the device was lost (${info.reason}): ${info.message}`;
    });
  }

  /** A new sequence number for an op whose kernels can raise (never 0: the flag's "none"). */
  nextSeq(): number {
    this.seq = (this.seq + 1) >>> 0;
    if (this.seq === 0) this.seq = 1;
    return this.seq;
  }

  pipeline(code: string): GPUComputePipeline {
    let p = this.pipelines.get(code);
    if (!p) {
      const module = this.device.createShaderModule({ code });
      p = this.device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
      this.pipelines.set(code, p);
    }
    return p;
  }

  get pipelineCount(): number {
    return this.pipelines.size;
  }

  private currentEncoder(): GPUCommandEncoder {
    if (this.lost) throw new Error(this.lost);
    return (this.encoder ??= this.device.createCommandEncoder());
  }

  /**
   * Queue one kernel: `code` (WGSL whose binding 0 is the parameter array), `params` (u32 words; i32
   * values are stored as their bits), `buffers` bound at 1, 2, … and `threads` invocations (the
   * shader's workgroup size is `groupSize`; the grid is 2-D beyond 65535 workgroups).
   */
  dispatch(code: string, params: ArrayLike<number>, buffers: readonly GPUBuffer[], threads: number, groupSize = 256): void {
    const groups = Math.ceil(threads / groupSize);
    if (groups === 0) return;
    const x = Math.min(groups, WORKGROUPS_PER_DIM);
    this.dispatchGroups(code, params, buffers, [x, Math.ceil(groups / x), 1]);
  }

  /** Queue one kernel on an explicit grid of workgroups. */
  dispatchGroups(code: string, params: ArrayLike<number>, buffers: readonly GPUBuffer[], groups: readonly [number, number, number]): void {
    if (groups.some((g) => g === 0)) return;
    const words = Math.max(1, params.length);
    const reserve = Math.ceil(words / this.paramAlignWords) * this.paramAlignWords;
    if (reserve > ARENA_WORDS) throw new Error(`webgpu: ${words} parameter words are more than one kernel may take`);
    if (this.paramWords + reserve > ARENA_WORDS || this.kernelsInBatch >= BATCH_KERNELS) this.flush();
    const pipeline = this.pipeline(code);
    const encoder = this.currentEncoder();
    this.paramBuffer ??= this.device.createBuffer({ size: ARENA_WORDS * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
    const offset = this.paramWords;
    for (let i = 0; i < params.length; i++) this.params[offset + i] = params[i]! >>> 0;
    this.paramWords += reserve;
    const bindGroup = this.device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: this.paramBuffer, offset: offset * 4, size: words * 4 } },
        ...buffers.map((buffer, i) => ({ binding: i + 1, resource: { buffer } })),
      ],
    });
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(groups[0], groups[1], groups[2]);
    pass.end();
    this.kernelsInBatch++;
  }

  copyBuffer(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, size: number): void {
    this.currentEncoder().copyBufferToBuffer(src, srcOffset, dst, dstOffset, size);
  }

  /** Submit the queued kernels. */
  flush(): void {
    if (!this.encoder) return;
    if (this.paramBuffer) {
      this.device.queue.writeBuffer(this.paramBuffer, 0, this.params, 0, this.paramWords);
      // Destroying waits for the submitted work that uses it.
      const used = this.paramBuffer;
      this.device.queue.submit([this.encoder.finish()]);
      used.destroy();
    } else {
      this.device.queue.submit([this.encoder.finish()]);
    }
    this.encoder = null;
    this.paramBuffer = null;
    this.paramWords = 0;
    this.kernelsInBatch = 0;
  }

  /** queue.writeBuffer runs before any unsubmitted kernel, so those are submitted first. */
  write(buffer: GPUBuffer, byteOffset: number, bytes: Uint8Array<ArrayBuffer>): void {
    this.flush();
    this.device.queue.writeBuffer(buffer, byteOffset, bytes, 0, bytes.byteLength);
  }

  /**
   * Read bytes of `buffer` to the host. The device error flag is copied into the same staging buffer,
   * after the data: a kernel's recorded error (an index out of range, …) is raised here, at the first
   * read after it, and the flag is cleared so the device stays usable.
   */
  async read(buffer: GPUBuffer, byteOffset: number, nbytes: number): Promise<Uint8Array> {
    const start = byteOffset & ~3;
    const end = (byteOffset + nbytes + 3) & ~3;
    const dataBytes = end - start;
    const staging = this.device.createBuffer({ size: dataBytes + ERROR_BYTES, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    if (dataBytes > 0) this.copyBuffer(buffer, start, staging, 0, dataBytes);
    this.copyBuffer(this.errorBuffer, 0, staging, dataBytes, ERROR_BYTES);
    this.flush();
    try {
      await staging.mapAsync(GPUMapMode.READ);
      this.throwDeviceError();
      const mapped = staging.getMappedRange();
      this.raiseRecorded(new Uint32Array(mapped, dataBytes, ERROR_BYTES / 4));
      return new Uint8Array(mapped).slice(byteOffset - start, byteOffset - start + nbytes);
    } finally {
      staging.destroy();
    }
  }

  /** Wait for the queued work; raise a recorded device error as a read would. */
  async synchronize(): Promise<void> {
    await this.read(this.errorBuffer, 0, 0);
  }

  /** Raise the error in `flag` (a copy of the flag buffer), clearing the flag on the device first. */
  private raiseRecorded(flag: Uint32Array): void {
    const recorded = decodeDeviceError(flag);
    if (!recorded) return;
    // Only if it still holds this error: a read in flight at the same time may have cleared it, and a
    // later op recorded another since.
    this.dispatchGroups(CLEAR_CODE, [recorded.seq], [this.errorBuffer], [1, 1, 1]);
    throw recorded.error;
  }

  private throwDeviceError(): void {
    if (this.lost) throw new Error(this.lost);
    const e = this.deviceError;
    if (e !== null) {
      this.deviceError = null;
      throw new Error(`webgpu: device error: ${e}`);
    }
  }
}
