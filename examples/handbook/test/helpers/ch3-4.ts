// Assertions shared by the chapter 3–4 examples (moved with them from packages/backend-cpu/test).
import { expect } from 'vitest';
import * as torch from 'kindling';
import type { DType, Tensor } from 'kindling';

export type Nested = number | boolean | Nested[];

export function shapeOf(v: Nested): number[] {
  return Array.isArray(v) ? [v.length, ...(v.length > 0 ? shapeOf(v[0]!) : [])] : [];
}

/** `t` has `expected`'s shape (or `shape`, for empty results), the given dtype and exactly its values. */
export function expectTensor(t: Tensor, expected: Nested, dtype: DType, shape = shapeOf(expected)): void {
  expect(t).toBeInstanceOf(torch.Tensor);
  expect(t.dtype).toBe(dtype);
  expect([...t.shape]).toEqual(shape);
  expect(t.tolist()).toEqual(expected);
}

/** `view` shares `base`'s memory: a write through it shows in `base` (and the storages are one). */
export function expectSharesMemory(view: Tensor, base: Tensor): void {
  expect(view.storageId).toBe(base.storageId);
}

/** Values of a float tensor as nested arrays, for comparing two tensors exactly. */
export const values = (t: Tensor): unknown => t.tolist();
