// The zip container: written as torch's writer writes it (stored, 64-byte aligned data, data
// descriptors, zip64 end records), read with every offset and size checked.
import { describe, expect, it } from 'vitest';
import { ZipError } from '../src/index.js';
import { crc32 } from '../src/zip/crc32.js';
import { ZipReader } from '../src/zip/reader.js';
import { ZipWriter } from '../src/zip/writer.js';
import { concatBytes } from '../src/bytes.js';
import { fixture } from './helpers.js';

function build(entries: [string, Uint8Array][], forceZip64 = false): Uint8Array {
  const w = new ZipWriter({ forceZip64 });
  for (const [name, data] of entries) w.add(name, data);
  const { chunks, length } = w.finish();
  return concatBytes(chunks, length);
}

const DATA: [string, Uint8Array][] = [
  ['archive/data.pkl', new Uint8Array([0x80, 2, 0x4e, 0x2e])],
  ['archive/data/0', Uint8Array.from({ length: 1000 }, (_, i) => i % 251)],
  ['archive/data/1', new Uint8Array(0)],
  ['archive/ünïcode', new Uint8Array([1, 2, 3])],
];

describe('zip', () => {
  it('crc32 matches the standard check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    const big = Uint8Array.from({ length: 100_003 }, (_, i) => (i * 31) & 0xff);
    expect(crc32(big.subarray(50_000), crc32(big.subarray(0, 50_000)))).toBe(crc32(big));
  });

  it.each([false, true])('round trip (zip64: %s); data starts on 64-byte boundaries', (zip64) => {
    const bytes = build(DATA, zip64);
    const z = new ZipReader(bytes);
    expect([...z.entries.keys()]).toEqual(DATA.map(([n]) => n));
    for (const [name, data] of DATA) {
      expect(z.read(name)).toEqual(data);
      expect(z.entries.get(name)!.dataOffset % 64).toBe(0);
    }
  });

  it('reads the zip PyTorch wrote, and the layout matches it field for field', () => {
    const torchZip = fixture('mlp_state_dict.pth');
    const z = new ZipReader(torchZip);
    const names = [...z.entries.keys()];
    const ours = build(names.map((n) => [n, z.read(n)]));
    // torch.save writes the same records in the same order; ours adds nothing else, so the bytes agree.
    expect(ours).toEqual(torchZip);
  });

  const corrupt: [string, (b: Uint8Array) => Uint8Array, RegExp][] = [
    ['no end record', (b) => b.subarray(0, b.length - 30), /end of central directory not found/],
    ['central directory past the end', (b) => patchEocd(b, 16, 0x7fffffff), /lies outside/],
    ['too many entries', (b) => patchEocd(b, 10, 0xfff0), /cannot fit/],
    ['compressed entry', (b) => patchCentral(b, 10, 8), /compressed \(method 8\)/],
    ['encrypted entry', (b) => patchCentral(b, 8, 0x0809), /encrypted/],
    ['size past the data', (b) => patchCentral(b, 24, 0x7fff0000, 20), /runs past the end|compressed size/],
  ];
  it.each(corrupt)('%s', (_, mutate, message) => {
    const bytes = mutate(build(DATA).slice());
    expect(() => new ZipReader(bytes).read('archive/data/0')).toThrow(ZipError);
    expect(() => new ZipReader(bytes).read('archive/data/0')).toThrow(message);
  });

  it('a CRC mismatch is found on read, and can be skipped', () => {
    const bytes = build(DATA).slice();
    const z = new ZipReader(bytes);
    bytes[z.entries.get('archive/data/0')!.dataOffset + 10] ^= 1;
    expect(() => new ZipReader(bytes).read('archive/data/0')).toThrow(/CRC-32 mismatch in 'archive\/data\/0'/);
    expect(new ZipReader(bytes, false).read('archive/data/0').length).toBe(1000);
  });

  it('duplicate names are refused when writing', () => {
    const w = new ZipWriter();
    w.add('a', new Uint8Array(1));
    expect(() => w.add('a', new Uint8Array(1))).toThrow(/duplicate/);
  });
});

/** Overwrite a field of the (classic) end-of-central-directory record. */
function patchEocd(b: Uint8Array, at: number, v: number): Uint8Array {
  const eocd = lastIndexOf(b, [0x50, 0x4b, 5, 6]);
  const d = new DataView(b.buffer, b.byteOffset);
  if (at === 10) d.setUint16(eocd + at, v, true);
  else d.setUint32(eocd + at, v, true);
  // Drop the zip64 locator so the classic record is used.
  const loc = eocd - 20;
  b.fill(0, loc, loc + 4);
  return b;
}

/** Overwrite a field of the second central-directory entry ('archive/data/0'). */
function patchCentral(b: Uint8Array, at: number, v: number, extraAt?: number): Uint8Array {
  const first = indexOf(b, [0x50, 0x4b, 1, 2], 0);
  const second = indexOf(b, [0x50, 0x4b, 1, 2], first + 4);
  const d = new DataView(b.buffer, b.byteOffset);
  if (at === 8 || at === 10) d.setUint16(second + at, v, true);
  else d.setUint32(second + at, v, true);
  if (extraAt !== undefined) d.setUint32(second + extraAt, v, true);
  return b;
}

function indexOf(b: Uint8Array, sig: number[], from: number): number {
  for (let i = from; i < b.length - 3; i++) if (sig.every((s, k) => b[i + k] === s)) return i;
  return -1;
}
function lastIndexOf(b: Uint8Array, sig: number[]): number {
  for (let i = b.length - 4; i >= 0; i--) if (sig.every((s, k) => b[i + k] === s)) return i;
  return -1;
}
