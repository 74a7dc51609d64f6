// Kindling writes what PyTorch writes: its own round trip (save → load gives back the same values,
// dtypes, layouts and storage sharing), and the bytes of the archive follow torch.save's layout.
import { describe, expect, it } from 'vitest';
import * as torch from '@kindling/tensor';
import { Tensor } from '@kindling/tensor';
import { SerializationError, isOrderedDict, load, save, tuple } from '../src/index.js';
import { ZipReader } from '../src/zip/reader.js';
import { prepareTorch, writeTorchZip } from '../src/torch/save.js';
import { MANIFEST, expectMatches, fixture } from './helpers.js';

const ROUND_TRIP = [
  'mlp_state_dict.pth', 'checkpoint.pth', 'classifier_io.pth', 'dtypes.pth', 'shared_view.pth', 'noncontiguous.pth',
  'scalars.pth', 'int64_big.pth', 'parameter.pth', 'python_values.pth', 'legacy.pth', 'big_endian.pth',
];

function entries(bytes: Uint8Array): ZipReader {
  return new ZipReader(bytes);
}

describe('save: round trip through Kindling', () => {
  it.each(ROUND_TRIP)('%s: load → save → load keeps every value, layout and sharing', (name) => {
    const once = load(fixture(name));
    const twice = load(save(once));
    expectMatches(twice, MANIFEST[name]!);
  });

  it("a state dict's data.pkl is torch's, byte for byte, up to the _metadata attribute", () => {
    const original = entries(fixture('mlp_state_dict.pth'));
    const sd = load<Record<string, Tensor>>(fixture('mlp_state_dict.pth'));
    // A fresh object of the same tensors: no _metadata, so no BUILD at the end.
    const ours = entries(save({ ...sd }));
    const mine = ours.read('archive/data.pkl');
    const theirs = original.read('mlp_state_dict/data.pkl');
    expect(mine[mine.length - 1]).toBe(0x2e); // STOP
    expect(mine.subarray(0, mine.length - 1)).toEqual(theirs.subarray(0, mine.length - 1));
    expect(theirs[mine.length - 1]).toBe(0x7d); // torch continues with the _metadata dict
    for (let k = 0; k < 9; k++) expect(ours.read(`archive/data/${k}`)).toEqual(original.read(`mlp_state_dict/data/${k}`));
    // With the loaded _metadata it is kept (as an attribute, not a key).
    const meta = load<{ _metadata: Record<string, unknown> }>(save(sd))._metadata;
    expect(meta['1']).toEqual({ version: 2 });
  });

  it('archive layout: data.pkl, byteorder, data/<key> sorted as strings, version; data 64-byte aligned', () => {
    const tensors: Record<string, Tensor> = {};
    for (let i = 0; i < 12; i++) tensors[`p${i}`] = torch.full([i + 1], i, { dtype: 'float32' });
    const zip = entries(save(tensors));
    expect([...zip.entries.keys()]).toEqual([
      'archive/data.pkl', 'archive/byteorder', 'archive/data/0', 'archive/data/1', 'archive/data/10', 'archive/data/11',
      ...[2, 3, 4, 5, 6, 7, 8, 9].map((k) => `archive/data/${k}`), 'archive/version',
    ]);
    for (const e of zip.entries.values()) expect(e.dataOffset % 64, e.name).toBe(0);
    expect(new TextDecoder().decode(zip.read('archive/version'))).toBe('3\n');
    expect(new TextDecoder().decode(zip.read('archive/byteorder'))).toBe('little');
  });

  it('zip64 records (what files over 4 GiB need) read back', () => {
    const sd = { w: torch.arange(10, { dtype: 'float64' }) };
    const big = load<Record<string, Tensor>>(saveZip64(sd));
    expect(big['w']!.tolist()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('plain JS values: integral numbers are ints, others floats; bigint, strings, null, nested containers', () => {
    const obj = {
      int: 3, neg: -70000, float: 0.5, integralFloat: 1e300, negZero: -0, nan: NaN, big: 2n ** 100n, s: 'héllo ✓', none: null,
      yes: true, list: [1, [2, [3]]], t: tuple(1, 'a'), map: new Map<unknown, unknown>([[1, 'one'], ['k', 2]]), set: new Set([1, 2]),
      bytes: new Uint8Array([0, 255]), empty: {},
    };
    const back = load<Record<string, unknown>>(save(obj));
    expect(back['int']).toBe(3);
    expect(back['neg']).toBe(-70000);
    expect(back['float']).toBe(0.5);
    expect(back['integralFloat']).toBe(1e300);
    expect(Object.is(back['negZero'], -0)).toBe(true);
    expect(back['nan']).toBeNaN();
    expect(back['big']).toBe(2n ** 100n);
    expect(back['s']).toBe('héllo ✓');
    expect(back['none']).toBe(null);
    expect(back['list']).toEqual([1, [2, [3]]]);
    expect(back['t']).toEqual([1, 'a']);
    expect(back['map']).toEqual({ 1: 'one', k: 2 });
    expect(back['set']).toEqual(new Set([1, 2]));
    expect(back['bytes']).toEqual(new Uint8Array([0, 255]));
    expect(back['empty']).toEqual({});
  });

  it('a plain object of tensors is saved as an OrderedDict (what state_dict() returns)', () => {
    const sd = { 'fc.weight': torch.ones(2, 2), 'fc.bias': torch.zeros(2) };
    const back = load(save(sd));
    expect(isOrderedDict(back)).toBe(true);
    expect(isOrderedDict(load(save({ a: 1 })))).toBe(false);
  });

  it('a tensor and its views share one storage after the round trip; non-contiguous layouts kept', () => {
    const base = torch.arange(24, { dtype: 'int32' }).reshape(2, 3, 4);
    const perm = base.permute(2, 0, 1);
    const narrow = base.index(1, '1:3');
    const back = load<Tensor[]>(save([base, perm, narrow, base]));
    expect(back[1]!._ref).toBe(back[0]!._ref);
    expect(back[2]!._ref).toBe(back[0]!._ref);
    expect(back[3]).toBe(back[0]);
    expect([...back[1]!._strides]).toEqual([1, 12, 4]);
    expect(back[2]!._offset).toBe(16);
    expect(back[1]!.tolist()).toEqual(perm.tolist());
    expect(back[2]!.tolist()).toEqual(narrow.tolist());
  });

  it('every dtype, 0-d tensors and int64 beyond 2^53 survive exactly', () => {
    const values = [0, -0, 1.5, -2.25, Infinity, -Infinity, NaN, 65504, 1e-7];
    const obj: Record<string, Tensor> = {};
    for (const dtype of ['float32', 'float64', 'float16', 'bfloat16'] as const) obj[dtype] = torch.tensor(values, { dtype });
    for (const dtype of ['int8', 'uint8', 'int16', 'int32'] as const) obj[dtype] = torch.tensor([0, 1, 100, 127], { dtype });
    obj['int64'] = torch.tensor([2n ** 62n + 1n, -(2n ** 63n), 2n ** 63n - 1n]);
    obj['bool'] = torch.tensor([true, false]);
    obj['scalar'] = torch.tensor(2.5);
    const back = load<Record<string, Tensor>>(save(obj));
    for (const [k, t] of Object.entries(obj)) {
      expect(back[k]!.dtype, k).toBe(t.dtype);
      expect(back[k]!.shape, k).toEqual(t.shape);
      expect(Array.from(back[k]!.numpy() as ArrayLike<unknown>), k).toEqual(Array.from(t.numpy() as ArrayLike<unknown>));
    }
  });

  it('requires_grad is kept', () => {
    const t = torch.ones(2);
    t.requiresGrad = true;
    expect(load<Tensor>(save(t)).requiresGrad).toBe(true);
  });

  it('what cannot be saved is an error naming where it is', () => {
    expect(() => save({ a: { b: () => 1 } })).toThrow(/cannot save a function \(at a\.b\)/);
    expect(() => save({ d: new Date() })).toThrow(/class Date \(at d\)/);
    expect(() => save({ f: new Float32Array(2) })).toThrow(/Float32Array; make it a tensor first/);
    const deep: unknown[] = [];
    let cur = deep;
    for (let i = 0; i < 2000; i++) cur.push((cur = []));
    expect(() => save(deep)).toThrow(SerializationError);
    const disposed = torch.ones(1);
    disposed.dispose();
    expect(() => save(disposed)).toThrow(/disposed/);
  });

  it('cycles through lists and dicts are kept (as Python pickles them)', () => {
    const a: unknown[] = [1];
    a.push(a);
    const back = load<unknown[]>(save(a));
    expect(back[1]).toBe(back);
  });

  it('a key named __proto__ stays a key', () => {
    const obj = JSON.parse('{"__proto__": {"polluted": true}, "x": 1}') as Record<string, unknown>;
    const back = load<Record<string, unknown>>(save(obj));
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back)).toEqual(['__proto__', 'x']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

function saveZip64(obj: unknown): Uint8Array {
  const { chunks, length } = writeTorchZip(prepareTorch(obj), { forceZip64: true });
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
