import type { Storage } from '@kindling/tensor';

/** A tensor storage on the webgpu device: one GPU buffer from the allocator, at least `nbytes` long. */
export class WebGPUStorage implements Storage {
  readonly device = 0;
  constructor(
    readonly buffer: GPUBuffer,
    readonly nbytes: number,
  ) {}
}
