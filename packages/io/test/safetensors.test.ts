// safetensors: the file written by hand from the spec (fixtures/io/hand.safetensors) loads; Kindling's
// own files round-trip; malformed headers are refused with the reason.
import { describe, expect, it } from 'vitest';
import * as torch from '@kindling/tensor';
import { Tensor } from '@kindling/tensor';
import { SafetensorsError, loadSafetensors, safetensorsMetadata, saveSafetensors } from '../src/index.js';
import { MANIFEST, type Desc, expectMatches, fixture } from './helpers.js';

describe('safetensors', () => {
  it('reads a file written by hand from the spec: every dtype, 0-d and empty tensors, metadata', () => {
    const want = MANIFEST['hand.safetensors'] as { tensors: Record<string, Desc>; metadata: Record<string, string> };
    const got = loadSafetensors(fixture('hand.safetensors'));
    expect(Object.keys(got)).toEqual(['weight', 'bias', 'half', 'bf16', 'i8', 'u8', 'i16', 'i32', 'i64', 'mask', 'scalar', 'empty']); // file order
    expect(Object.keys(got).sort()).toEqual(Object.keys(want.tensors).sort());
    for (const [name, d] of Object.entries(want.tensors)) expectMatches(got[name], { ...(d as object), storage: 0 } as Desc);
    expect(safetensorsMetadata(fixture('hand.safetensors'))).toEqual(want.metadata);
  });

  it('round trip: values, dtypes, shapes, metadata; views are written contiguous', () => {
    const base = torch.arange(12, { dtype: 'float64' }).reshape(3, 4);
    const sd: Record<string, Tensor> = {
      base, t: base.transpose(0, 1), i64: torch.tensor([2n ** 62n, -1n]), h: torch.tensor([1.5, -0], { dtype: 'float16' }),
      b: torch.tensor([true, false]), s: torch.tensor(7, { dtype: 'int32' }), e: torch.zeros(0, 2, { dtype: 'bfloat16' }),
    };
    const bytes = saveSafetensors(sd, { metadata: { format: 'pt', note: 'héllo' } });
    const back = loadSafetensors(bytes);
    for (const [k, t] of Object.entries(sd)) {
      expect(back[k]!.dtype, k).toBe(t.dtype);
      expect(back[k]!.shape, k).toEqual(t.shape);
      expect(back[k]!.isContiguous(), k).toBe(true);
      expect(back[k]!.tolist(), k).toEqual(t.tolist());
    }
    expect(safetensorsMetadata(bytes)).toEqual({ format: 'pt', note: 'héllo' });
  });

  it('writes what the reference writer writes: header padded to 8 bytes, tensors by dtype then name', () => {
    const bytes = saveSafetensors({ b: torch.zeros(1), a: torch.zeros(1), c: torch.zeros(1, { dtype: 'int64' }), m: torch.tensor([true]) });
    const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, { data_offsets: number[] }>;
    expect(Object.keys(header)).toEqual(['c', 'a', 'b', 'm']);
    expect(header['c']!.data_offsets).toEqual([0, 8]);
  });

  const bad: [string, RegExp][] = [
    ['st_overlap.safetensors', /tensor 'b' starts at 4 but the previous tensor ends at 8 \(overlap\)/],
    ['st_gap.safetensors', /starts at 5 but the previous tensor ends at 4 \(gap\)/],
    ['st_huge_header.safetensors', /header of 1099511627776 bytes exceeds/],
    ['st_truncated.safetensors', /cover 16 bytes of data but the file has 13 \(truncated\)/],
    ['st_bad_dtype.safetensors', /dtype C64 is not supported/],
    ['st_bad_shape.safetensors', /shape \[3\] of F32 needs 12 bytes but data_offsets \[0, 8\] span 8/],
  ];
  it.each(bad)('%s is refused', (name, message) => {
    expect(() => loadSafetensors(fixture(name))).toThrow(SafetensorsError);
    expect(() => loadSafetensors(fixture(name))).toThrow(message);
  });

  it('other malformed input', () => {
    const enc = (json: string, data = new Uint8Array(0)) => {
      const h = new TextEncoder().encode(json);
      const out = new Uint8Array(8 + h.length + data.length);
      new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
      out.set(h, 8);
      out.set(data, 8 + h.length);
      return out;
    };
    expect(() => loadSafetensors(new Uint8Array(3))).toThrow(/truncated/);
    expect(() => loadSafetensors(enc('[1]'))).toThrow(/not a JSON object/);
    expect(() => loadSafetensors(enc('{"a": '))).toThrow(/not valid JSON/);
    expect(() => loadSafetensors(enc('{"a": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 0]}}'))).toThrow(/non-negative/);
    expect(() => loadSafetensors(enc('{"a": {"dtype": "F32", "shape": [1], "data_offsets": [4, 0]}}'))).toThrow(/end before they begin/);
    expect(() => loadSafetensors(enc('{"__metadata__": {"k": 1}}'))).toThrow(/not a string/);
    expect(() => loadSafetensors(enc('{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}'))).toThrow(/truncated/);
    // A key named __proto__ is just a name.
    const t = loadSafetensors(enc('{"__proto__": {"dtype": "U8", "shape": [1], "data_offsets": [0, 1]}}', new Uint8Array([9])));
    expect(Object.getPrototypeOf(t)).toBe(Object.prototype);
    expect(Object.keys(t)).toEqual(['__proto__']);
    expect(() => saveSafetensors({ x: 1 as unknown as Tensor })).toThrow(/'x' is not a tensor/);
    expect(() => saveSafetensors({ __metadata__: torch.zeros(1) })).toThrow(/reserved/);
  });
});
