// Deterministic fuzzing of the readers: valid .pth files (Kindling's own, and one PyTorch wrote) and
// valid safetensors files are mutated ~2,000 times in all (bit flips, boundary bytes, truncations,
// duplicated and removed ranges, huge sizes in zip headers, pickle length fields and safetensors
// headers). Every mutant must load or be refused with a SerializationError (the package's promise:
// a bad file is reported, never crashed on), within 2 s, without a large allocation.
import { describe, expect, it } from 'vitest';
import * as torch from '@kindling/tensor';
import { Tensor } from '@kindling/tensor';
import * as nn from '@kindling/nn';
import { SerializationError, load, loadSafetensors, save, saveSafetensors, tuple } from '../src/index.js';
import { fixture } from './helpers.js';

/** mulberry32: a small seeded PRNG, so every run fuzzes the same mutants. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const int = (rng: Rng, n: number) => Math.floor(rng() * n);
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[int(rng, xs.length)]!;
const BOUNDARY = [0x00, 0xff, 0x7f, 0x80] as const;
const HUGE32 = [0xffffffff, 0x7fffffff, 0x80000000, 0xfffffffe] as const;

function putU32(b: Uint8Array, at: number, v: number): void {
  if (at + 4 <= b.length) new DataView(b.buffer, b.byteOffset, b.byteLength).setUint32(at, v >>> 0, true);
}

/** Offsets of the zip records with this 4-byte signature. */
function signatures(b: Uint8Array, sig: number): number[] {
  const out: number[] = [];
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i + 4 <= b.length; i++) if (dv.getUint32(i, true) === sig) out.push(i);
  return out;
}

/** Where the (stored, uncompressed) data.pkl of a torch zip lies, to aim at its opcodes. The sizes are
 * read from the central directory: torch's writer leaves them 0 in the local headers (data descriptors). */
function pickleRange(b: Uint8Array): [number, number] | null {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (const at of signatures(b, 0x02014b50)) {
    const size = dv.getUint32(at + 20, true);
    const nameLen = dv.getUint16(at + 28, true);
    const name = new TextDecoder().decode(b.subarray(at + 46, at + 46 + nameLen));
    const local = dv.getUint32(at + 42, true);
    if (name.endsWith('data.pkl') && local + 30 <= b.length) {
      const start = local + 30 + dv.getUint16(local + 26, true) + dv.getUint16(local + 28, true);
      return [start, Math.min(b.length, start + size)];
    }
  }
  return null;
}

/** Opcodes followed by a length or an int argument, with its width. */
const PICKLE_ARGS = new Map<number, number>([
  [0x58, 4], // BINUNICODE
  [0x42, 4], // BINBYTES
  [0x8b, 4], // LONG4
  [0x4a, 4], // BININT
  [0x72, 4], // LONG_BINPUT
  [0x6a, 4], // LONG_BINGET
  [0x95, 8], // FRAME
  [0x8e, 8], // BINUNICODE8
  [0x8c, 1], // SHORT_BINUNICODE
  [0x8a, 1], // LONG1
  [0x4b, 1], // BININT1
  [0x4d, 2], // BININT2
  [0x71, 1], // BINPUT
  [0x68, 1], // BINGET
  [0x55, 1], // SHORT_BINSTRING
]);

type Mutator = (rng: Rng, b: Uint8Array) => Uint8Array;

const generic: Mutator[] = [
  // bit flips
  (rng, b) => {
    const out = b.slice();
    for (let k = 1 + int(rng, 4); k > 0; k--) out[int(rng, out.length)]! ^= 1 << int(rng, 8);
    return out;
  },
  // boundary-value overwrites
  (rng, b) => {
    const out = b.slice();
    const at = int(rng, out.length);
    out.fill(pick(rng, BOUNDARY), at, Math.min(out.length, at + 1 + int(rng, 8)));
    return out;
  },
  // truncation
  (rng, b) => b.slice(0, int(rng, b.length)),
  // a range duplicated in place
  (rng, b) => {
    const at = int(rng, b.length);
    const len = 1 + int(rng, Math.min(256, b.length - at));
    const out = new Uint8Array(b.length + len);
    out.set(b.subarray(0, at + len));
    out.set(b.subarray(at), at + len);
    return out;
  },
  // a range removed
  (rng, b) => {
    const at = int(rng, b.length);
    const len = 1 + int(rng, Math.min(256, b.length - at));
    const out = new Uint8Array(b.length - len);
    out.set(b.subarray(0, at));
    out.set(b.subarray(at + len), at);
    return out;
  },
];

const zipHeaders: Mutator[] = [
  // local header: compressed/uncompressed size, name/extra length
  (rng, b) => {
    const out = b.slice();
    const at = pick(rng, signatures(out, 0x04034b50));
    const field = pick(rng, [18, 22, 26, 28]);
    if (field >= 26) new DataView(out.buffer).setUint16(at + field, 0xffff, true);
    else putU32(out, at + field, pick(rng, HUGE32));
    return out;
  },
  // central directory: sizes, local header offset
  (rng, b) => {
    const out = b.slice();
    const at = pick(rng, signatures(out, 0x02014b50));
    putU32(out, at + pick(rng, [20, 24, 42]), pick(rng, HUGE32));
    return out;
  },
  // end of central directory (and the zip64 records when present): counts, size, offset
  (rng, b) => {
    const out = b.slice();
    const sigs = [...signatures(out, 0x06054b50), ...signatures(out, 0x06064b50), ...signatures(out, 0x07064b50)];
    const at = pick(rng, sigs);
    const field = 4 + 2 * int(rng, 10);
    if (rng() < 0.5) putU32(out, at + field, pick(rng, HUGE32));
    else out.fill(0xff, at + field, Math.min(out.length, at + field + 8));
    return out;
  },
];

const pickleFields: Mutator = (rng, b) => {
  const out = b.slice();
  const range = pickleRange(out);
  if (!range) return generic[0]!(rng, b);
  const [start, end] = range;
  const ops: number[] = [];
  for (let i = start; i < end; i++) if (PICKLE_ARGS.has(out[i]!)) ops.push(i);
  if (ops.length === 0) return generic[0]!(rng, b);
  const at = pick(rng, ops);
  const width = PICKLE_ARGS.get(out[at]!)!;
  out.fill(pick(rng, [0xff, 0x7f, 0x80]), at + 1, Math.min(end, at + 1 + width));
  if (width >= 4 && rng() < 0.5) out[Math.min(end - 1, at + width)] = 0x7f; // large but positive
  return out;
};

const safetensorsFields: Mutator[] = [
  // the header length
  (rng, b) => {
    const out = b.slice();
    const dv = new DataView(out.buffer);
    const v = pick(rng, [2n ** 64n - 1n, 2n ** 53n, 2n ** 32n, BigInt(out.length), BigInt(out.length - 7), 0n, 1n]);
    dv.setBigUint64(0, v, true);
    return out;
  },
  // numbers in the JSON header (shapes, data offsets) made huge, negative or fractional
  (rng, b) => {
    const n = Number(new DataView(b.buffer, b.byteOffset).getBigUint64(0, true));
    const header = new TextDecoder().decode(b.subarray(8, 8 + n));
    const numbers = [...header.matchAll(/\d+/g)];
    if (numbers.length === 0) return generic[0]!(rng, b);
    const m = pick(rng, numbers);
    const repl = pick(rng, ['99999999999999999999', '4294967296', '9007199254740993', '-1', '1.5', '1e308', '0']);
    const text = header.slice(0, m.index) + repl + header.slice(m.index + m[0].length);
    const enc = new TextEncoder().encode(text);
    const out = new Uint8Array(8 + enc.length + (b.length - 8 - n));
    new DataView(out.buffer).setBigUint64(0, BigInt(enc.length), true);
    out.set(enc, 8);
    out.set(b.subarray(8 + n), 8 + enc.length);
    return out;
  },
];

/** Touch everything a load returned, so that nothing lazy escapes the check. */
function touch(v: unknown, seen = new Set<unknown>()): void {
  if (v === null || typeof v !== 'object' || seen.has(v)) return;
  seen.add(v);
  if (v instanceof Tensor) return void v.dataSync();
  if (v instanceof Map) for (const [k, x] of v) (touch(k, seen), touch(x, seen));
  else for (const x of Object.values(v as object)) touch(x, seen);
}

const MAX_MS = 2000;
const MAX_GROWTH = 256 * 2 ** 20;

interface Outcome { loaded: number; refused: number; slowest: number; maxGrowth: number }

function fuzz(name: string, seed: Uint8Array, mutators: Mutator[], count: number, rngSeed: number, read: (b: Uint8Array, i: number) => unknown): Outcome {
  const rng = prng(rngSeed);
  const outcome: Outcome = { loaded: 0, refused: 0, slowest: 0, maxGrowth: 0 };
  for (let i = 0; i < count; i++) {
    const mutant = pick(rng, mutators)(rng, seed);
    const before = process.memoryUsage().arrayBuffers;
    const t0 = performance.now();
    let error: unknown = null;
    try {
      touch(read(mutant, i));
      outcome.loaded++;
    } catch (e) {
      error = e;
      outcome.refused++;
    }
    const ms = performance.now() - t0;
    const growth = process.memoryUsage().arrayBuffers - before;
    outcome.slowest = Math.max(outcome.slowest, ms);
    outcome.maxGrowth = Math.max(outcome.maxGrowth, growth);
    const where = `${name} mutant #${i} (${mutant.length} bytes)`;
    if (error !== null && !(error instanceof SerializationError)) {
      const e = error as Error;
      expect.fail(`${where}: threw ${e?.name ?? typeof e} instead of a SerializationError: ${e?.message}\n${e?.stack ?? ''}`);
    }
    expect(ms, `${where}: took ${ms.toFixed(0)} ms`).toBeLessThan(MAX_MS);
    expect(growth, `${where}: array buffers grew by ${growth} bytes`).toBeLessThan(MAX_GROWTH);
  }
  expect(outcome.loaded + outcome.refused).toBe(count);
  return outcome;
}

describe('fuzzing the readers: mutated files load or are refused with a SerializationError', () => {
  const sd: Record<string, Tensor> = {
    f32: torch.randn(3, 4),
    f64: torch.tensor([1.5, -0, NaN, Infinity], { dtype: 'float64' }),
    f16: torch.tensor([0.5, 65504, -Infinity], { dtype: 'float16' }),
    bf16: torch.tensor([1, -2.5, 3e38], { dtype: 'bfloat16' }),
    i8: torch.tensor([-128, 127], { dtype: 'int8' }),
    i16: torch.tensor([-32768, 7], { dtype: 'int16' }),
    i32: torch.tensor([2 ** 31 - 1, -5], { dtype: 'int32' }),
    i64: torch.tensor([2n ** 62n, -1n]),
    u8: torch.tensor([0, 255], { dtype: 'uint8' }),
    b: torch.tensor([true, false, true]),
  };
  sd['view'] = sd['f32']!.index('1:', '::2');
  const model = new nn.Sequential(new nn.Linear(4, 3), new nn.ReLU(), new nn.Linear(3, 2));
  const checkpoint = { model: model.stateDict(), epoch: 7, lr: 0.001, name: 'run-1', history: [1.5, 2, tuple(3, 'x')], flags: { done: false, none: null } };

  const pthSeeds: [string, Uint8Array][] = [
    ['kindling state dict', save(sd)],
    ['kindling checkpoint', save(checkpoint)],
    ['pytorch checkpoint.pth', fixture('checkpoint.pth')],
  ];
  const readPth = (b: Uint8Array, i: number) => load(b, { verifyChecksums: i % 2 === 0, weightsOnly: i % 3 !== 0 });

  it.each(pthSeeds.map(([name, bytes], k) => [name, bytes, k] as const))('%s: 500 mutants', (name, bytes, k) => {
    expect(() => load(bytes)).not.toThrow();
    const o = fuzz(name, bytes, [...generic, ...zipHeaders, pickleFields, pickleFields], 500, 0x9e3779b9 + k, readPth);
    expect(o.refused).toBeGreaterThan(0);
  }, 30_000);

  it('pytorch legacy.pth: 150 mutants', () => {
    const bytes = fixture('legacy.pth');
    expect(() => load(bytes)).not.toThrow();
    fuzz('legacy.pth', bytes, generic, 150, 0x51ed, readPth);
  }, 30_000);

  it('safetensors: 350 mutants', () => {
    const seeds = [fixture('hand.safetensors'), saveSafetensors(sd as Record<string, Tensor>, { metadata: { format: 'pt' } })];
    seeds.forEach((bytes, k) => {
      expect(() => loadSafetensors(bytes)).not.toThrow();
      fuzz(`safetensors seed ${k}`, bytes, [...generic, ...safetensorsFields, ...safetensorsFields], 175, 0xc0ffee + k, (b) => loadSafetensors(b));
    });
  }, 30_000);

  it('found by fuzzing: a storage location no backend serves is a SerializationError (a DeviceError only when mapLocation names it)', () => {
    const bytes = save({ w: torch.ones(2) });
    const pkl = pickleRange(bytes)!;
    const text = String.fromCharCode(...bytes.subarray(...pkl));
    const at = pkl[0] + text.indexOf('X\x03\x00\x00\x00cpu') + 5; // BINUNICODE 'cpu'
    expect(at).toBeGreaterThan(pkl[0] + 1);
    bytes.set([0x63, 0x70, 0x77], at); // 'cpw'
    expect(() => load(bytes, { verifyChecksums: false })).toThrow(SerializationError);
    expect(() => load(bytes, { verifyChecksums: false })).toThrow(/no 'cpw' backend is registered.*mapLocation: 'cpu'/);
    expect((load(bytes, { verifyChecksums: false, mapLocation: 'cpu' }) as { w: Tensor }).w.tolist()).toEqual([1, 1]);
    expect(() => load(bytes, { verifyChecksums: false, mapLocation: 'nosuchdevice' })).not.toThrow(SerializationError);
  });
});
