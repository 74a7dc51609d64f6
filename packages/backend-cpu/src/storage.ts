import type { Storage } from '@kindling/tensor';

/** CPU memory: an ArrayBuffer (possibly a window of a user's buffer adopted by `fromArray`). */
export class CpuStorage implements Storage {
  readonly device = 0;
  /** Typed views of the buffer, one per element type, made on first use. */
  readonly views = new Map<unknown, ArrayBufferView>();
  constructor(
    readonly buffer: ArrayBuffer,
    readonly byteOffset: number,
    readonly nbytes: number,
    /** Owned buffers go back to the allocator; adopted ones belong to the user. */
    readonly owned: boolean,
  ) {}
}
