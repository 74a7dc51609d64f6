import { ByteReader, fromLatin1, fromUtf8 } from '../bytes.js';
import { SerializationError, ZipError } from '../errors.js';
import { crc32 } from './crc32.js';

// Reads stored (uncompressed) zip archives from bytes, validating every offset and size against the
// buffer before use: a corrupt or hostile archive is an error naming what is wrong, never a read out
// of bounds or an allocation sized by the file's claims. zip64 is supported (torch writes it always).

const MAX32 = 0xffffffff;

export interface ZipEntry {
  readonly name: string;
  /** Offset of the data in the archive. */
  readonly dataOffset: number;
  readonly size: number;
  readonly crc: number;
}

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) && (bytes[3] === 4 || bytes[3] === 6);
}

export class ZipReader {
  readonly entries = new Map<string, ZipEntry>();
  private verified = new Set<string>();

  constructor(
    private readonly bytes: Uint8Array,
    /** Check each entry's CRC-32 the first time it is read. */
    private readonly verifyCrc = true,
  ) {
    try {
      this.parse();
    } catch (e) {
      if (e instanceof ZipError) throw e;
      if (e instanceof SerializationError) throw new ZipError(`corrupt zip archive: ${e.message}`);
      throw e;
    }
  }

  private parse(): void {
    const b = this.bytes;
    const eocd = findEocd(b);
    const r = new ByteReader(b, eocd + 4, 'zip end of central directory');
    r.u16(); // this disk
    r.u16(); // central directory disk
    r.u16(); // entries on this disk
    let count = r.u16();
    let cdSize = r.u32();
    let cdOffset = r.u32();
    // zip64: a locator just before the end record points at the zip64 end record.
    if (eocd >= 20 && readU32(b, eocd - 20) === 0x07064b50) {
      const loc = new ByteReader(b, eocd - 12, 'zip64 locator');
      const at = loc.u64();
      if (at + 56 > eocd || readU32(b, at) !== 0x06064b50) throw new ZipError(`corrupt zip archive: the zip64 end record offset ${at} is invalid`);
      const z = new ByteReader(b, at + 4, 'zip64 end record');
      z.u64(); // record size
      z.u16(); // made by
      z.u16(); // needed
      z.u32();
      z.u32();
      z.u64(); // entries on this disk
      count = z.u64();
      cdSize = z.u64();
      cdOffset = z.u64();
    } else if (count === 0xffff || cdSize === MAX32 || cdOffset === MAX32) {
      throw new ZipError('corrupt zip archive: zip64 sizes are used but the zip64 locator is missing');
    }
    if (cdOffset + cdSize > b.length) {
      throw new ZipError(`corrupt zip archive: the central directory (offset ${cdOffset}, ${cdSize} bytes) lies outside the ${b.length}-byte file`);
    }
    if (count * 46 > cdSize) {
      throw new ZipError(`corrupt zip archive: ${count} entries cannot fit in a ${cdSize}-byte central directory`);
    }
    const cd = new ByteReader(b.subarray(cdOffset, cdOffset + cdSize), 0, 'zip central directory');
    for (let i = 0; i < count; i++) this.readEntry(cd, cdOffset);
  }

  private readEntry(cd: ByteReader, cdOffset: number): void {
    const at = cd.pos;
    if (cd.u32() !== 0x02014b50) throw new ZipError(`corrupt zip archive: bad central directory signature at offset ${cdOffset + at}`);
    cd.u16(); // made by
    cd.u16(); // needed
    const flags = cd.u16();
    const method = cd.u16();
    cd.u16(); // time
    cd.u16(); // date
    const crc = cd.u32();
    let csize = cd.u32();
    let usize = cd.u32();
    const nameLen = cd.u16();
    const extraLen = cd.u16();
    const commentLen = cd.u16();
    cd.u16(); // disk
    cd.u16(); // internal attributes
    cd.u32(); // external attributes
    let offset = cd.u32();
    const nameBytes = cd.take(nameLen);
    const name = flags & 0x800 ? fromUtf8(nameBytes, 'zip entry name') : fromLatin1(nameBytes);
    const extra = new ByteReader(cd.take(extraLen), 0, `zip extra field of '${name}'`);
    cd.take(commentLen);
    while (extra.remaining >= 4) {
      const id = extra.u16();
      const len = extra.u16();
      const field = new ByteReader(extra.take(len), 0, `zip64 field of '${name}'`);
      if (id !== 0x0001) continue;
      if (usize === MAX32) usize = field.u64();
      if (csize === MAX32) csize = field.u64();
      if (offset === MAX32) offset = field.u64();
    }
    if (flags & 0x1) throw new ZipError(`zip entry '${name}' is encrypted`);
    if (method !== 0) throw new ZipError(`zip entry '${name}' is compressed (method ${method}); only stored entries are supported, as torch.save writes them`);
    if (csize !== usize) throw new ZipError(`corrupt zip archive: stored entry '${name}' has compressed size ${csize} but size ${usize}`);
    if (this.entries.has(name)) throw new ZipError(`corrupt zip archive: duplicate entry '${name}'`);
    if (offset + 30 > cdOffset || readU32(this.bytes, offset) !== 0x04034b50) {
      throw new ZipError(`corrupt zip archive: entry '${name}' has an invalid local header offset ${offset}`);
    }
    const local = new ByteReader(this.bytes, offset + 26, `zip local header of '${name}'`);
    const dataOffset = offset + 30 + local.u16() + local.u16();
    if (dataOffset + usize > cdOffset) {
      throw new ZipError(`corrupt zip archive: entry '${name}' (${usize} bytes at offset ${dataOffset}) runs past the end of the data`);
    }
    this.entries.set(name, { name, dataOffset, size: usize, crc });
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** The entry's bytes, a view into the archive (no copy). */
  read(name: string): Uint8Array {
    const e = this.entries.get(name);
    if (!e) throw new ZipError(`zip archive has no entry '${name}'`);
    const data = this.bytes.subarray(e.dataOffset, e.dataOffset + e.size);
    if (this.verifyCrc && !this.verified.has(name)) {
      const actual = crc32(data);
      if (actual !== e.crc) {
        throw new ZipError(`corrupt zip archive: CRC-32 mismatch in '${name}' (stored ${hex(e.crc)}, computed ${hex(actual)})`);
      }
      this.verified.add(name);
    }
    return data;
  }
}

function readU32(b: Uint8Array, at: number): number {
  if (at < 0 || at + 4 > b.length) return -1;
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

/** The end-of-central-directory record: within the last 22 + 65535 (comment) bytes. */
function findEocd(b: Uint8Array): number {
  const lowest = Math.max(0, b.length - 22 - 0xffff);
  for (let i = b.length - 22; i >= lowest; i--) {
    if (b[i] === 0x50 && b[i + 1] === 0x4b && b[i + 2] === 5 && b[i + 3] === 6) return i;
  }
  throw new ZipError('corrupt zip archive: end of central directory not found (the file is truncated or not a zip)');
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
