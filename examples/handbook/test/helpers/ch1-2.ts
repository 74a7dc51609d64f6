// Assertions shared by the chapter 1–2 examples (moved with them from packages/backend-cpu/test).
import { expect } from 'vitest';
import * as torch from 'kindling';
import type { DType, Tensor } from 'kindling';

export type Nested = number | boolean | Nested[];

export function shapeOf(v: Nested): number[] {
  return Array.isArray(v) ? [v.length, ...(v.length > 0 ? shapeOf(v[0]!) : [])] : [];
}
export function flat(v: unknown): unknown[] {
  return Array.isArray(v) ? v.flatMap(flat) : [v];
}

/**
 * `t` has `expected`'s shape, the given dtype, and its values: exact for integer and bool dtypes,
 * within `tol` (relative, absolute below 1) for floating dtypes. NaN matches NaN; infinities match exactly.
 */
export function expectTensor(t: Tensor, expected: Nested, dtype: DType, tol = 1e-6): void {
  expect(t).toBeInstanceOf(torch.Tensor);
  expect(t.dtype).toBe(dtype);
  expect([...t.shape]).toEqual(shapeOf(expected));
  const got = flat(t.tolist());
  const want = flat(expected);
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    const w = want[i];
    if (typeof w === 'boolean' || !torch.isFloatingPoint(dtype)) {
      expect(g, `element ${i}`).toBe(w);
      return;
    }
    const gv = g as number;
    const wv = w as number;
    if (Number.isNaN(wv) || !Number.isFinite(wv)) {
      expect(gv, `element ${i}`).toBe(wv);
      return;
    }
    expect(typeof gv, `element ${i} type`).toBe('number');
    if (!(Math.abs(gv - wv) <= tol * Math.max(1, Math.abs(wv)))) {
      expect.fail(`element ${i}: expected ${wv} (±${tol}), got ${gv}; tensor ${String(t)}`);
    }
  });
}

/** `print(t)` in PyTorch 1.13 prints exactly `printed`. */
export function expectPrints(t: Tensor | boolean | number, printed: string): void {
  expect(String(t)).toBe(printed);
}

