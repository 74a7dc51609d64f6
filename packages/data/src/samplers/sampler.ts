/**
 * Samplers (PyTorch's `torch.utils.data.Sampler`): iterables of dataset indices (or, for a batch
 * sampler, of index lists). Any `Iterable` works where a sampler is expected; `length`, when
 * present, is what `DataLoader.length` reports.
 */
export abstract class Sampler<T = number> implements Iterable<T> {
  abstract [Symbol.iterator](): Iterator<T>;
}

/** `len(sampler)`, with Python's error when it has none. */
export function samplerLength(s: Iterable<unknown>): number {
  const n = (s as { length?: unknown }).length;
  if (typeof n !== 'number') throw new TypeError(`object of type '${s?.constructor?.name ?? typeof s}' has no len()`);
  return n;
}

export function checkPositiveInt(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
    throw new RangeError(`${name} should be a positive integer value, but got ${name}=${String(v)}`);
  }
  return v;
}

export function checkBool(name: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new TypeError(`${name} should be a boolean value, but got ${name}=${String(v)}`);
  return v;
}
