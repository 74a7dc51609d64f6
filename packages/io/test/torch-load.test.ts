// Kindling reads what PyTorch writes: every fixture written by PyTorch 1.13 (scripts/gen_io_fixtures.py)
// loads to what torch.load finds in it (manifest.json), storage sharing included.
import { describe, expect, it } from 'vitest';
import { Tensor } from '@kindling/tensor';
import { PickledObject, UnpicklingError, ZipError, SerializationError, isOrderedDict, isTuple, load } from '../src/index.js';
import { MANIFEST, expectMatches, fixture } from './helpers.js';

const VALID = [
  'mlp_state_dict.pth', 'checkpoint.pth', 'classifier_io.pth', 'dtypes.pth', 'shared_view.pth', 'noncontiguous.pth',
  'scalars.pth', 'int64_big.pth', 'parameter.pth', 'python_values.pth', 'legacy.pth', 'big_endian.pth',
];

describe('load: files written by PyTorch', () => {
  it.each(VALID)('%s matches what torch.load reads', (name) => {
    expectMatches(load(fixture(name)), MANIFEST[name]!);
  });

  it('a state dict is an OrderedDict-marked object with _metadata, in PyTorch order', () => {
    const sd = load<Record<string, Tensor>>(fixture('mlp_state_dict.pth'));
    expect(isOrderedDict(sd)).toBe(true);
    expect(Object.keys(sd)).toEqual([
      '0.weight', '0.bias', '1.weight', '1.bias', '1.running_mean', '1.running_var', '1.num_batches_tracked', '3.weight', '3.bias',
    ]);
    const meta = (sd as unknown as { _metadata: Record<string, { version: number }> })._metadata;
    expect(meta['1']).toEqual({ version: 2 });
    expect(Object.keys(sd)).not.toContain('_metadata');
    expect(sd['1.num_batches_tracked']!.dtype).toBe('int64');
    expect(sd['1.num_batches_tracked']!.item()).toBe(1);
  });

  it('views keep sharing their storage, with their offsets and strides', () => {
    const d = load<Record<string, Tensor | Tensor[]>>(fixture('shared_view.pth'));
    const base = d['base'] as Tensor;
    const strided = d['strided'] as Tensor;
    expect(strided._ref).toBe(base._ref);
    expect(strided._offset).toBe(4);
    expect([...strided._strides]).toEqual([4, 2]);
    // Writing through the base shows in the view, as in PyTorch.
    base.fill_(7);
    expect(strided.tolist()).toEqual([[7, 7], [7, 7]]);
    const same = d['same'] as Tensor[];
    expect(same[0]).toBe(same[1]); // one tensor object twice, as in the pickle's memo
    expect(same[0]).toBe(base);
  });

  it('int64 beyond 2^53 is exact, Python ints beyond 2^53 are bigints', () => {
    const d = load<Record<string, unknown>>(fixture('int64_big.pth'));
    expect((d['t'] as Tensor).tolist()).toEqual([2n ** 60n, -(2n ** 60n), 2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n + 1n]);
    expect(d['n']).toBe(2n ** 60n);
    expect(d['huge']).toBe(2n ** 70n);
  });

  it('0-d and empty tensors', () => {
    const d = load<Record<string, Tensor>>(fixture('scalars.pth'));
    expect(d['f']!.shape).toEqual([]);
    expect(d['f']!.item()).toBe(3.5);
    expect(d['i']!.item()).toBe(-7);
    expect(d['b']!.item()).toBe(true);
    expect(d['empty2d']!.shape).toEqual([2, 0, 3]);
  });

  it('Python values: tuples stay tuples, int keys become string keys, tuple keys a Map', () => {
    const d = load<Record<string, unknown>>(fixture('python_values.pth'));
    expect(isTuple(d['tuple'])).toBe(true);
    expect(d['int_keys']).toEqual({ 1: 'a', 2: 'b' });
    expect(d['tuple_keys']).toBeInstanceOf(Map);
    expect(d['set']).toEqual(new Set([1, 2, 3]));
    expect(d['bytes']).toEqual(new Uint8Array([0, 255, 97, 98]));
    expect(d['dtype']).toBe('float16');
    expect(d['size']).toEqual([2, 3]);
  });

  it('optimizer state keeps PyTorch layout (int param ids as keys, snake_case options)', () => {
    const ckpt = load<Record<string, Record<string, unknown>>>(fixture('checkpoint.pth'));
    const opt = ckpt['optimizer_state_dict']!;
    expect(Object.keys(opt)).toEqual(['state', 'param_groups']);
    const state = opt['state'] as Record<string, Record<string, Tensor>>;
    expect(Object.keys(state).length).toBeGreaterThan(0);
    expect(Object.keys(state['0']!)).toEqual(['step', 'exp_avg', 'exp_avg_sq']);
    const group = (opt['param_groups'] as Record<string, unknown>[])[0]!;
    expect(group['lr']).toBeCloseTo(0.001 * (1 + Math.cos(Math.PI * 3 / 10)) / 2, 12);
    expect(isTuple(group['betas'])).toBe(true);
    expect(group['weight_decay']).toBe(0.01);
    expect(ckpt['epoch']).toBe(2);
    expect(ckpt['best_acc']).toBe(0.75);
    expect((ckpt['scheduler_state_dict'] as Record<string, unknown>)['T_max']).toBe(10);
  });

  it('nn.Parameter without a registered Parameter class loads as a tensor that requires grad', () => {
    const d = load<Record<string, Tensor>>(fixture('parameter.pth'));
    expect(d['p']!.requiresGrad).toBe(true);
    expect(d['frozen']!.requiresGrad).toBe(false);
  });

  it('mapLocation: a device, a table or a function; unknown devices are an error naming the fix', () => {
    const bytes = fixture('shared_view.pth');
    const viaFn = load<Record<string, Tensor>>(bytes, { mapLocation: (loc) => (loc === 'cpu' ? 'cpu' : undefined) });
    expect(viaFn['base']!.device.type).toBe('cpu');
    const viaTable = load<Record<string, Tensor>>(bytes, { mapLocation: { cpu: 'cpu' } });
    expect(viaTable['t']!._ref).toBe(viaTable['base']!._ref);
    expect(() => load(bytes, { mapLocation: 'nosuchdevice' })).toThrow(/no 'nosuchdevice' backend is registered.*mapLocation: 'cpu'/);
  });
});

describe('load: hostile and corrupt files give clear errors', () => {
  const cases: [string, RegExp, typeof SerializationError][] = [
    ['hostile_os_system.pth', /Unsupported global: GLOBAL os\.system/, UnpicklingError],
    ['hostile_eval.pth', /Unsupported global: GLOBAL builtins\.eval/, UnpicklingError],
    ['hostile_legacy.pth', /Unsupported global: GLOBAL posix\.system/, UnpicklingError],
    ['deep_nesting.pth', /nested more than 1000 levels/, UnpicklingError],
    ['memo_missing.pth', /memo key 5 not found/, UnpicklingError],
    ['huge_numel.pth', /declares 1099511627776 float32 elements .* holds 16 bytes/, SerializationError],
    ['tensor_oob.pth', /reaches element 999 of storage '0', which has only 4 elements/, UnpicklingError],
    ['truncated.pth', /end of central directory not found/, ZipError],
    ['bad_crc.pth', /CRC-32 mismatch in 'mlp_state_dict\/data\/0'/, ZipError],
    ['bad_offset.pth', /invalid local header offset/, ZipError],
    ['truncated_legacy.pth', /truncated or corrupt/, UnpicklingError],
  ];
  it.each(cases)('%s', (name, message, cls) => {
    let err: unknown;
    try {
      load(fixture(name));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(cls);
    expect((err as Error).message).toMatch(message);
  });

  it('weightsOnly: false turns unknown globals into inert records; nothing runs', () => {
    const v = load<PickledObject>(fixture('hostile_os_system.pth'), { weightsOnly: false });
    expect(v).toBeInstanceOf(PickledObject);
    expect(v.className).toBe('os.system');
    expect(v.args).toEqual(['echo pwned']);
    const legacy = load<Record<string, PickledObject>>(fixture('hostile_legacy.pth'), { weightsOnly: false });
    expect(legacy['payload']!.className).toBe('posix.system');
  });

  it('not a PyTorch file', () => {
    expect(() => load(new Uint8Array([1, 2, 3]))).toThrow(/not a PyTorch file/);
    expect(() => load(new Uint8Array(0))).toThrow(/not a PyTorch file.*empty/);
    expect(() => load(fixture('hand.safetensors'))).toThrow(/use loadSafetensors/);
  });

  it('every prefix of a valid file fails cleanly (no crash, no hang)', () => {
    for (const name of ['mlp_state_dict.pth', 'legacy.pth']) {
      const good = fixture(name);
      for (let n = 0; n < good.length; n += 7) {
        expect(() => load(good.subarray(0, n)), `${name}[:${n}]`).toThrow(SerializationError);
      }
    }
  });

  it('random byte flips give SerializationErrors or valid values, never other exceptions', () => {
    const good = fixture('checkpoint.pth');
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (let trial = 0; trial < 150; trial++) {
      const bad = good.slice();
      for (let k = 0; k < 3; k++) bad[Math.floor(rand() * bad.length)] ^= 1 + Math.floor(rand() * 255);
      try {
        load(bad, { verifyChecksums: trial % 2 === 0 });
      } catch (e) {
        expect(e, String(e)).toBeInstanceOf(SerializationError);
      }
    }
  });
});
