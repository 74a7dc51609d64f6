import { SerializationError } from './errors.js';

/**
 * A bounds-checked cursor over bytes. Every read checks its length first, so a truncated or lying
 * file ends in an error that names the position, never in a read past the end or a huge allocation.
 */
export class ByteReader {
  readonly view: DataView;
  pos: number;
  constructor(
    readonly bytes: Uint8Array,
    pos = 0,
    /** Prefix for error messages: which stream this is. */
    readonly what = 'data',
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = pos;
  }
  get remaining(): number {
    return this.bytes.length - this.pos;
  }
  need(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0 || n > this.remaining) {
      throw new SerializationError(
        `${this.what} is truncated or corrupt: needs ${n} more bytes at offset ${this.pos}, only ${this.remaining} left`,
      );
    }
  }
  u8(): number {
    this.need(1);
    return this.bytes[this.pos++]!;
  }
  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  i32(): number {
    this.need(4);
    const v = this.view.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }
  /** Unsigned 64-bit as a number; values beyond 2^53 cannot be a real size or offset here. */
  u64(): number {
    this.need(8);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new SerializationError(`${this.what} is corrupt: 64-bit size ${v} at offset ${this.pos - 8} is too large`);
    }
    return Number(v);
  }
  i64(): bigint {
    this.need(8);
    const v = this.view.getBigInt64(this.pos, true);
    this.pos += 8;
    return v;
  }
  f64be(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos, false);
    this.pos += 8;
    return v;
  }
  /** A view (no copy) of the next n bytes. */
  take(n: number): Uint8Array {
    this.need(n);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}

/** Appends bytes into a growing list of chunks; large payloads are kept as views, not copied. */
export class ByteWriter {
  private chunks: Uint8Array[] = [];
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  private used = 0;
  private flushed = 0;

  /** Bytes written so far. */
  get length(): number {
    return this.flushed + this.used;
  }
  private ensure(n: number): void {
    if (this.used + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.used + n));
    next.set(this.buf.subarray(0, this.used));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  u8(v: number): this {
    this.ensure(1);
    this.buf[this.used++] = v;
    return this;
  }
  u16(v: number): this {
    this.ensure(2);
    this.view.setUint16(this.used, v, true);
    this.used += 2;
    return this;
  }
  u32(v: number): this {
    this.ensure(4);
    this.view.setUint32(this.used, v >>> 0, true);
    this.used += 4;
    return this;
  }
  i32(v: number): this {
    this.ensure(4);
    this.view.setInt32(this.used, v, true);
    this.used += 4;
    return this;
  }
  u64(v: number | bigint): this {
    this.ensure(8);
    this.view.setBigUint64(this.used, BigInt(v), true);
    this.used += 8;
    return this;
  }
  f64be(v: number): this {
    this.ensure(8);
    this.view.setFloat64(this.used, v, false);
    this.used += 8;
    return this;
  }
  /** Small byte strings are copied into the current chunk; large ones are kept by reference. */
  bytes(b: Uint8Array): this {
    if (b.length <= 4096) {
      this.ensure(b.length);
      this.buf.set(b, this.used);
      this.used += b.length;
      return this;
    }
    this.flush();
    this.chunks.push(b);
    this.flushed += b.length;
    return this;
  }
  private flush(): void {
    if (this.used === 0) return;
    this.chunks.push(this.buf.slice(0, this.used));
    this.flushed += this.used;
    this.used = 0;
  }
  /** The written bytes as chunks, in order (views of large payloads included as given). */
  toChunks(): Uint8Array[] {
    this.flush();
    return this.chunks;
  }
  /** The written bytes as one array. */
  toBytes(): Uint8Array {
    return concatBytes(this.toChunks(), this.length);
  }
}

export function concatBytes(chunks: readonly Uint8Array[], total?: number): Uint8Array {
  const n = total ?? chunks.reduce((s, c) => s + c.length, 0);
  if (chunks.length === 1 && chunks[0]!.length === n) return chunks[0]!;
  const out = new Uint8Array(n);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Strict UTF-8 decoding: invalid bytes are an error in the file, not replacement characters. */
export function fromUtf8(b: Uint8Array, what: string): string {
  try {
    return decoder.decode(b);
  } catch {
    throw new SerializationError(`${what} is not valid UTF-8`);
  }
}

/** Latin-1: every byte is one code point (pickle's py2 strings and `_codecs.encode(s, 'latin1')`). */
export function fromLatin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}

/** The host's byte order; typed arrays use it, the files are little-endian. */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Reverse the bytes of every element in place (big-endian file ↔ little-endian host). */
export function swapBytes(b: Uint8Array, itemsize: number): void {
  if (itemsize === 1) return;
  for (let i = 0; i + itemsize <= b.length; i += itemsize) {
    for (let a = i, z = i + itemsize - 1; a < z; a++, z--) {
      const t = b[a]!;
      b[a] = b[z]!;
      b[z] = t;
    }
  }
}
