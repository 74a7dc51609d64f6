import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  formatExponential,
  formatFixed,
  formatTensor,
  getPrintOptions,
  setPrintOptions,
  type PrintOptions,
  type PrintableDType,
  type PrintableTensor,
} from '../src/print.js';

/** One case of fixtures/print.json, written by scripts/gen_print_fixtures.py from PyTorch 1.13. */
interface PrintCase {
  name: string;
  values: (number | string)[];
  shape: number[];
  dtype: PrintableDType;
  device: string;
  requiresGrad: boolean;
  gradFnName: string | null;
  options: (Partial<Record<keyof PrintOptions, number | boolean | string | null>> & {
    profile?: 'default' | 'short' | 'full';
  }) | null;
  expected: string;
}

const cases = JSON.parse(
  readFileSync(new URL('../../../fixtures/print.json', import.meta.url), 'utf8'),
) as PrintCase[];

function decodeValue(v: number | string, dtype: PrintableDType): number | bigint {
  if (dtype === 'int64') return BigInt(v);
  if (v === 'nan') return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  if (typeof v === 'string') throw new Error(`unexpected value ${v}`);
  return v;
}

function toPrintable(c: PrintCase): PrintableTensor {
  return {
    values: c.values.map((v) => decodeValue(v, c.dtype)),
    shape: c.shape,
    dtype: c.dtype,
    device: c.device,
    requiresGrad: c.requiresGrad,
    gradFnName: c.gradFnName,
  };
}

function applyOptions(o: NonNullable<PrintCase['options']>): void {
  const opts: Partial<PrintOptions> & { profile?: 'default' | 'short' | 'full' } = {};
  if (o.profile !== undefined) opts.profile = o.profile;
  for (const key of ['precision', 'threshold', 'edgeitems', 'linewidth'] as const) {
    const v = o[key];
    if (v !== undefined && v !== null) opts[key] = v === 'inf' ? Infinity : Number(v);
  }
  if (o.sciMode !== undefined && o.sciMode !== null) opts.sciMode = Boolean(o.sciMode);
  setPrintOptions(opts);
}

afterEach(() => {
  setPrintOptions({ profile: 'default' });
});

describe('formatTensor matches PyTorch 1.13 repr (fixtures/print.json)', () => {
  it('has a healthy number of fixtures', () => {
    expect(cases.length).toBeGreaterThanOrEqual(80);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    setPrintOptions({ profile: 'default' });
    if (c.options) applyOptions(c.options);
    expect(formatTensor(toPrintable(c))).toBe(c.expected);
  });
});

describe('print options', () => {
  it('defaults and profiles', () => {
    expect(getPrintOptions()).toEqual({
      precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80, sciMode: null,
    });
    setPrintOptions({ profile: 'short' });
    expect(getPrintOptions()).toEqual({
      precision: 2, threshold: 1000, edgeitems: 2, linewidth: 80, sciMode: null,
    });
    setPrintOptions({ profile: 'full', precision: 6 });
    expect(getPrintOptions()).toEqual({
      precision: 6, threshold: Infinity, edgeitems: 3, linewidth: 80, sciMode: null,
    });
  });

  it('sciMode is reset by any call that omits it, as in torch.set_printoptions', () => {
    setPrintOptions({ sciMode: true });
    expect(getPrintOptions().sciMode).toBe(true);
    setPrintOptions({ precision: 3 });
    expect(getPrintOptions()).toMatchObject({ precision: 3, sciMode: null });
  });

  it('getPrintOptions returns a copy', () => {
    const o = getPrintOptions();
    o.precision = 9;
    expect(getPrintOptions().precision).toBe(4);
  });
});

describe('suffixes the CPU-only oracle cannot produce', () => {
  const base: PrintableTensor = {
    values: [1, 2], shape: [2], dtype: 'float32', device: 'cpu', requiresGrad: false, gradFnName: null,
  };

  it('prints a non-CPU device first', () => {
    expect(formatTensor({ ...base, device: 'cuda:0' })).toBe("tensor([1., 2.], device='cuda:0')");
    expect(formatTensor({ ...base, device: 'webgpu', dtype: 'float16', requiresGrad: true }))
      .toBe("tensor([1., 2.], device='webgpu', dtype=torch.float16, requires_grad=True)");
    expect(formatTensor({ ...base, device: 'cuda:0', gradFnName: 'AddBackward0' }))
      .toBe("tensor([1., 2.], device='cuda:0', grad_fn=<AddBackward0>)");
    expect(formatTensor({ ...base, values: [], shape: [0, 2], device: 'cuda:0', dtype: 'int64' }))
      .toBe("tensor([], device='cuda:0', size=(0, 2), dtype=torch.int64)");
  });

  it('hides cpu with an index', () => {
    expect(formatTensor({ ...base, device: 'cpu:0' })).toBe('tensor([1., 2.])');
  });

  it('wraps the device suffix onto its own line past linewidth', () => {
    const values = Array.from({ length: 8 }, (_, i) => i + 0.5);
    expect(formatTensor({ ...base, values, shape: [8], device: 'cuda:0' })).toBe(
      'tensor([0.5000, 1.5000, 2.5000, 3.5000, 4.5000, 5.5000, 6.5000, 7.5000],\n'
      + "       device='cuda:0')",
    );
  });

  it('accepts int64 values as numbers and bool values as 0/1 typed arrays', () => {
    expect(formatTensor({ ...base, values: [3, -40], dtype: 'int64' })).toBe('tensor([  3, -40])');
    expect(formatTensor({ ...base, values: new Uint8Array([0, 1]), dtype: 'bool' }))
      .toBe('tensor([False,  True])');
    expect(formatTensor({
      ...base, values: new BigInt64Array([2n ** 62n, -1n]), dtype: 'int64',
    })).toBe('tensor([4611686018427387904,                  -1])');
  });
});

describe("Python's float formatting", () => {
  it('rounds exact ties half to even, unlike toFixed/toExponential', () => {
    expect(formatFixed(0.03125, 4)).toBe('0.0312');
    expect(formatFixed(0.09375, 4)).toBe('0.0938');
    expect(formatFixed(2.5, 0)).toBe('2');
    expect(formatFixed(3.5, 0)).toBe('4');
    expect(formatFixed(0.125, 2)).toBe('0.12');
    expect(formatExponential(1.03125, 4)).toBe('1.0312e+00');
    expect(formatExponential(1.09375, 4)).toBe('1.0938e+00');
  });

  it('rounds non-ties by the exact binary value', () => {
    expect(formatFixed(0.1, 20)).toBe('0.10000000000000000555');
    expect(formatFixed(1.005, 2)).toBe('1.00'); // 1.005 is 1.00499999999999989...
    expect(formatExponential(9.99995, 4)).toBe('1.0000e+01'); // 9.99995000000000011...
    expect(formatFixed(0.15, 1)).toBe('0.1'); // 0.14999999999999999...
    expect(formatExponential(9.999951, 4)).toBe('1.0000e+01');
  });

  it('pads exponents to two digits and keeps signs', () => {
    expect(formatExponential(1e8, 4)).toBe('1.0000e+08');
    expect(formatExponential(1e100, 4)).toBe('1.0000e+100');
    expect(formatExponential(5e-324, 4)).toBe('4.9407e-324');
    expect(formatExponential(-0, 4)).toBe('-0.0000e+00');
    expect(formatExponential(0, 0)).toBe('0e+00');
    expect(formatFixed(-0, 4)).toBe('-0.0000');
    expect(formatFixed(-0.00001, 4)).toBe('-0.0000');
  });

  it('prints large values in full in fixed notation', () => {
    expect(formatFixed(1e21, 0)).toBe('1000000000000000000000');
    expect(formatFixed(1.5e25, 2)).toBe('15000000000000000285212672.00');
  });

  it('prints non-finite values like Python', () => {
    expect(formatFixed(NaN, 4)).toBe('nan');
    expect(formatFixed(Infinity, 4)).toBe('inf');
    expect(formatExponential(-Infinity, 4)).toBe('-inf');
  });
});
