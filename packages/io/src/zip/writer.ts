import { ByteWriter, utf8 } from '../bytes.js';
import { crc32 } from './crc32.js';

// Writes zip archives the way PyTorch's PyTorchStreamWriter (miniz) does, so that `torch.load` and any
// zip tool read them: every entry stored (uncompressed), its data aligned to 64 bytes by an extra
// field 'FB' of 'Z' padding (so a reader can map tensor data in place), general-purpose flags 0x0808
// (UTF-8 names, sizes in a data descriptor after the data), zeroed timestamps, and a zip64
// end-of-central-directory record always, as torch writes one even for small files.

/** Data records start on a multiple of this, as PyTorch's kFieldAlignment. */
export const ZIP_ALIGNMENT = 64;
const MAX32 = 0xffffffff;

interface Entry {
  name: Uint8Array;
  offset: number;
  size: number;
  crc: number;
  zip64: boolean;
}

export class ZipWriter {
  private out = new ByteWriter();
  private entries: Entry[] = [];
  private names = new Set<string>();

  /** `forceZip64` writes zip64 fields for every entry (what files over 4 GiB need); for tests. */
  constructor(private readonly opts: { forceZip64?: boolean } = {}) {}

  /** Append one stored entry. `data` is kept by reference until `finish()`. */
  add(name: string, data: Uint8Array): void {
    if (this.names.has(name)) throw new Error(`zip: duplicate entry name '${name}'`);
    this.names.add(name);
    const nameBytes = utf8(name);
    const offset = this.out.length;
    const size = data.length;
    const zip64 = this.opts.forceZip64 === true || size >= MAX32 || offset >= MAX32;
    const zip64Extra = zip64 ? 4 + 16 : 0;
    // Pad so that the data starts on a 64-byte boundary, counting the 4-byte 'FB' header itself.
    const start = offset + 30 + nameBytes.length + zip64Extra + 4;
    const pad = (ZIP_ALIGNMENT - (start % ZIP_ALIGNMENT)) % ZIP_ALIGNMENT;
    const crc = crc32(data);

    const w = this.out;
    w.u32(0x04034b50).u16(zip64 ? 45 : 0).u16(0x0808).u16(0).u16(0).u16(0);
    w.u32(0).u32(zip64 ? MAX32 : 0).u32(zip64 ? MAX32 : 0);
    w.u16(nameBytes.length).u16(zip64Extra + 4 + pad);
    w.bytes(nameBytes);
    if (zip64) w.u16(0x0001).u16(16).u64(size).u64(size);
    w.u16(0x4246).u16(pad); // 'FB'
    for (let i = 0; i < pad; i++) w.u8(0x5a); // 'Z'
    w.bytes(data);
    // Data descriptor: the sizes and CRC that the local header left as zero.
    w.u32(0x08074b50).u32(crc);
    if (zip64) w.u64(size).u64(size);
    else w.u32(size).u32(size);
    this.entries.push({ name: nameBytes, offset, size, crc, zip64 });
  }

  /** Write the central directory and return the archive as chunks (large data not copied). */
  finish(): { chunks: Uint8Array[]; length: number } {
    const w = this.out;
    const cdOffset = w.length;
    for (const e of this.entries) {
      w.u32(0x02014b50).u16(0).u16(e.zip64 ? 45 : 0).u16(0x0808).u16(0).u16(0).u16(0);
      w.u32(e.crc).u32(e.zip64 ? MAX32 : e.size).u32(e.zip64 ? MAX32 : e.size);
      w.u16(e.name.length).u16(e.zip64 ? 4 + 24 : 0).u16(0).u16(0).u16(0).u32(0);
      w.u32(e.zip64 ? MAX32 : e.offset);
      w.bytes(e.name);
      if (e.zip64) w.u16(0x0001).u16(24).u64(e.size).u64(e.size).u64(e.offset);
    }
    const cdSize = w.length - cdOffset;
    const eocd64 = w.length;
    const n = this.entries.length;
    w.u32(0x06064b50).u64(44).u16(0x031e).u16(45).u32(0).u32(0).u64(n).u64(n).u64(cdSize).u64(cdOffset);
    w.u32(0x07064b50).u32(0).u64(eocd64).u32(1);
    w.u32(0x06054b50).u16(0).u16(0).u16(Math.min(n, 0xffff)).u16(Math.min(n, 0xffff));
    w.u32(Math.min(cdSize, MAX32)).u32(Math.min(cdOffset, MAX32)).u16(0);
    return { chunks: w.toChunks(), length: w.length };
  }
}
