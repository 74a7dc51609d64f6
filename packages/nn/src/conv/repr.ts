// Python's repr of the values modules print in their extra_repr (ints, tuples, None, bools, floats).
import { pyFloat } from '../pyrepr.js';

/** `3`, `(3, 3)`, `(3,)`, `None`, `True`, `0.5`; strings as they are (Python's str.format). */
export function pyValue(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : pyFloat(v);
  if (Array.isArray(v)) return v.length === 1 ? `(${pyValue(v[0])},)` : `(${v.map(pyValue).join(', ')})`;
  return String(v);
}
