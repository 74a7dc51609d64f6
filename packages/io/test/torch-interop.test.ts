// PyTorch reads what Kindling writes: files saved here are loaded by torch.load in a real PyTorch
// (Debian's python3-torch, the oracle) and described by scripts/io_describe.py. Runs only where
// /usr/bin/python3 can import torch; elsewhere it is skipped with a note (the fixtures already cover
// the other direction without Python).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as torch from '@kindling/tensor';
import { Tensor } from '@kindling/tensor';
import * as nn from '@kindling/nn';
import { load, registerModules, save, saveSafetensors, tuple } from '../src/index.js';
import { prepareTorch, writeTorchZip } from '../src/torch/save.js';
import { concatBytes } from '../src/bytes.js';
import { MANIFEST, type Desc, expectMatches, fixture } from './helpers.js';
import { writeFileSync } from 'node:fs';

registerModules(nn);

const PYTHON = '/usr/bin/python3';
const DESCRIBE = fileURLToPath(new URL('../../../scripts/io_describe.py', import.meta.url));
const HAS_TORCH = spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
if (!HAS_TORCH) {
  console.warn(`note: skipping the PyTorch interop tests: ${PYTHON} with torch (python3-torch) is not installed`);
}

const ROUND_TRIP = [
  'mlp_state_dict.pth', 'checkpoint.pth', 'classifier_io.pth', 'dtypes.pth', 'shared_view.pth', 'noncontiguous.pth',
  'scalars.pth', 'int64_big.pth', 'parameter.pth', 'python_values.pth', 'legacy.pth', 'big_endian.pth',
];
/** Files with no Python float scalars, which PyTorch 1.13's weights-only unpickler can read (it lacks BINFLOAT). */
const WEIGHTS_ONLY_OK = [
  'mlp_state_dict.pth', 'classifier_io.pth', 'dtypes.pth', 'shared_view.pth', 'noncontiguous.pth', 'scalars.pth',
  'int64_big.pth', 'parameter.pth', 'big_endian.pth',
];

/**
 * Descriptions compared after forgetting what a JS value cannot carry: Python int vs float when the
 * value is integral (both are a JS number), int vs str dict keys (both are JS object keys), the
 * order of integer-like keys (JS objects put them first), and torch.dtype values (loaded as their
 * name, a string).
 */
function normalize(d: unknown): unknown {
  if (Array.isArray(d)) return d.map(normalize);
  if (d === null || typeof d !== 'object') return d;
  const o = d as Record<string, unknown>;
  if ('int' in o) return { num: String(o['int']) };
  if ('dtype' in o) return o['dtype'];
  if ('float' in o) return typeof o['float'] === 'number' && Number.isInteger(o['float']) ? { num: String(o['float']) } : o;
  if ('dict' in o) {
    const entries = (o['dict'] as [unknown, unknown][]).map(([k, v]) => {
      const key = k !== null && typeof k === 'object' && 'int' in k ? String((k as { int: string }).int) : k;
      return [typeof key === 'string' ? key : JSON.stringify(key), normalize(v)] as [string, unknown];
    });
    entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return { ...o, dict: entries, ...(o['metadata'] ? { metadata: normalize(o['metadata']) } : {}) };
  }
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, normalize(v)]));
}

describe.skipIf(!HAS_TORCH)(`torch.load reads the files Kindling writes${HAS_TORCH ? '' : ' (skipped: no python3-torch)'}`, () => {
  let dir = '';
  let py: Record<string, { value?: Desc; weights_only?: Desc; error?: string; weights_only_error?: string; safetensors?: Record<string, unknown> }> = {};
  const native: Record<string, unknown> = {};
  const file = (name: string) => join(dir, name);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kindling-io-'));
    for (const name of ROUND_TRIP) writeFileSync(file(`rt_${name}`), save(load(fixture(name))));

    // Objects made in Kindling.
    const base = torch.arange(12, { dtype: 'float32' }).reshape(3, 4);
    native['tensors'] = {
      base, strided: base.index('1:', '::2'), t: base.transpose(0, 1), row: base.index(1),
      perm: torch.arange(24, { dtype: 'int16' }).reshape(2, 3, 4).permute(2, 0, 1),
      expanded: torch.tensor([1, 2, 3], { dtype: 'float64' }).expand(4, 3),
      f16: torch.tensor([0, -0, 1.5, 65504, Infinity, NaN], { dtype: 'float16' }),
      bf16: torch.tensor([-0, 1.5, -Infinity, 3e38], { dtype: 'bfloat16' }),
      i8: torch.tensor([-128, 127], { dtype: 'int8' }), u8: torch.tensor([0, 255], { dtype: 'uint8' }),
      i32: torch.tensor([-(2 ** 31), 2 ** 31 - 1], { dtype: 'int32' }),
      i64: torch.tensor([2n ** 60n, -(2n ** 63n), 2n ** 63n - 1n]), mask: torch.tensor([true, false]),
      scalar: torch.tensor(-3.25), iscalar: torch.tensor(5n), empty: torch.zeros(0, 3),
    };
    const w = torch.ones(2, 2);
    native['checkpoint'] = {
      epoch: 3,
      model_state_dict: { 'fc.weight': w, 'fc.bias': torch.zeros(2) },
      optimizer_state_dict: {
        state: { 0: { step: torch.tensor(3.0), exp_avg: torch.full([2, 2], 0.5) }, 1: { step: torch.tensor(3.0), exp_avg: torch.zeros(2) } },
        param_groups: [{ lr: 0.001, betas: tuple(0.9, 0.999), eps: 1e-8, weight_decay: 0.01, amsgrad: false, maximize: false, params: [0, 1] }],
      },
      scheduler_state_dict: { T_max: 10, eta_min: 0, base_lrs: [0.001], last_epoch: 3, _step_count: 4, verbose: false, _last_lr: [0.00079] },
      best_acc: 0.875,
      note: 'héllo ✓',
      big: 2n ** 80n,
    };
    native['module'] = new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU());
    for (const [k, v] of Object.entries(native)) writeFileSync(file(`native_${k}.pth`), save(v));
    const { chunks, length } = writeTorchZip(prepareTorch(native['tensors']), { forceZip64: true });
    writeFileSync(file('native_zip64.pth'), concatBytes(chunks, length));
    writeFileSync(file('native.safetensors'), saveSafetensors(native['tensors'] as Record<string, Tensor>, { metadata: { format: 'pt' } }));

    const files = [...ROUND_TRIP.map((n) => file(`rt_${n}`)), ...Object.keys(native).map((k) => file(`native_${k}.pth`)), file('native_zip64.pth'), file('native.safetensors')];
    const run = spawnSync(PYTHON, [DESCRIBE, ...files], { encoding: 'utf8', maxBuffer: 1 << 28 });
    if (run.status !== 0) throw new Error(`io_describe.py failed: ${run.stderr}`);
    py = JSON.parse(run.stdout);
  }, 120_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each(ROUND_TRIP)('%s, loaded and saved again by Kindling, reads in PyTorch as the original', (name) => {
    const got = py[file(`rt_${name}`)]!;
    expect(got.error).toBeUndefined();
    expect(normalize(got.value)).toEqual(normalize(MANIFEST[name]));
  });

  it.each(WEIGHTS_ONLY_OK)('%s, saved by Kindling, loads with weights_only=True', (name) => {
    const got = py[file(`rt_${name}`)]!;
    expect(got.weights_only_error).toBeUndefined();
    expect(normalize(got.weights_only)).toEqual(normalize(MANIFEST[name]));
  });

  it('tensors made in Kindling: every dtype, views sharing storage, non-contiguous, 0-d, int64 beyond 2^53', () => {
    const got = py[file('native_tensors.pth')]!;
    expect(got.error).toBeUndefined();
    expectMatches(native['tensors'], got.value!, { loaded: false });
    expect((got.value as { ordered?: boolean }).ordered).toBe(true); // all tensors: an OrderedDict
  });

  it('zip64 records are read by PyTorch', () => {
    expectMatches(native['tensors'], py[file('native_zip64.pth')]!.value!, { loaded: false });
  });

  it('a checkpoint: int keys for optimizer state, an OrderedDict state dict, tuples, floats and ints as Python has them', () => {
    const got = py[file('native_checkpoint.pth')]!;
    expect(got.error).toBeUndefined();
    expectMatches(native['checkpoint'], got.value!, { loaded: false });
    const top = Object.fromEntries((got.value as { dict: [string, Desc][] }).dict);
    expect(top['epoch']).toEqual({ int: '3' });
    expect(top['best_acc']).toEqual({ float: 0.875 });
    expect((top['model_state_dict'] as { ordered?: boolean }).ordered).toBe(true);
    const opt = Object.fromEntries((top['optimizer_state_dict'] as { dict: [string, Desc][] }).dict);
    expect((opt['state'] as { dict: [Desc, Desc][] }).dict.map(([k]) => k)).toEqual([{ int: '0' }, { int: '1' }]);
    expect((opt['state'] as { dict: [Desc, { ordered?: boolean }][] }).dict[0]![1].ordered).toBeUndefined(); // a dict, as PyTorch's
    const group = Object.fromEntries(((opt['param_groups'] as { list: { dict: [string, Desc][] }[] }).list[0]!).dict);
    expect(group['betas']).toEqual({ tuple: [{ float: 0.9 }, { float: 0.999 }] });
    expect(group['params']).toEqual({ list: [{ int: '0' }, { int: '1' }] });
  });

  it("a whole Kindling model is an ordinary dict to PyTorch, with the state dict inside (weights_only too)", () => {
    const got = py[file('native_module.pth')]!;
    expect(got.weights_only_error).toBeUndefined();
    const top = Object.fromEntries((got.weights_only as { dict: [string, Desc][] }).dict);
    expect(Object.keys(top)).toEqual(['__kindling__', 'format_version', 'class', 'state_dict', 'structure']);
    expect(top['class']).toBe('Sequential');
    const sd = top['state_dict'] as { dict: [string, Desc][]; ordered: boolean };
    expect(sd.ordered).toBe(true);
    expect(sd.dict.map(([k]) => k)).toEqual(['0.weight', '0.bias']);
    const model = native['module'] as nn.Sequential;
    expectMatches(model.stateDict(), sd, { loaded: false });
  });

  it('safetensors written by Kindling read with a reader written from the spec', () => {
    const st = py[file('native.safetensors')]!.safetensors as { tensors: Record<string, Desc>; metadata: Record<string, string> };
    expect(st.metadata).toEqual({ format: 'pt' });
    for (const [name, t] of Object.entries(native['tensors'] as Record<string, Tensor>)) {
      const d = st.tensors[name] as Record<string, unknown>;
      expect(d['tensor'], name).toBe(t.dtype);
      expect(d['shape'], name).toEqual([...t.shape]);
      // Written contiguous, one storage each: compare the values only.
      const c = t.contiguous();
      expectMatches(c, { ...d, stride: [...c._strides], offset: c._offset, storage: 0 } as Desc, { loaded: false });
    }
  });
});
