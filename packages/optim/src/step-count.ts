// Step counts are JS numbers while training (no tensor op per step for a counter), but PyTorch 1.13
// keeps `step` of Adam, AdamW, Adagrad, NAdam and RAdam as a float32 0-dim tensor (and NAdam's
// `mu_product` too): state dicts convert at the boundary so they match PyTorch's either way.
import { Tensor, tensor } from '@kindling/tensor';
import type { ParamState, StateValue } from './optimizer.js';

/** A 0-dim float32 tensor, as PyTorch's `torch.tensor(x)` for a Python float. */
export function scalarF32(x: number): Tensor {
  return tensor(x, { dtype: 'float32' });
}

/** A number from a state-dict scalar: a number, or a one-element tensor. */
export function toNumber(v: StateValue | undefined, what: string): number {
  if (typeof v === 'number') return v;
  if (v instanceof Tensor && v.numel() === 1) return Number(v.item());
  throw new TypeError(`optimizer state: expected a number or a one-element tensor for '${what}', got ${String(v)}`);
}

/** Live state → state-dict entry, with the listed scalar keys as float32 tensors. */
export function stepToDict(state: ParamState, keys: readonly string[] = ['step']): { [key: string]: StateValue } {
  const out = { ...(state as { [key: string]: StateValue }) };
  for (const k of keys) if (typeof out[k] === 'number') out[k] = scalarF32(out[k] as number);
  return out;
}

/** State-dict entry → live state, with the listed scalar keys as numbers (tensor or number accepted). */
export function stepFromDict(entry: { [key: string]: StateValue }, keys: readonly string[] = ['step']): ParamState {
  const out: ParamState = { ...entry };
  for (const k of keys) if (entry[k] !== undefined) out[k] = toNumber(entry[k], k);
  return out;
}
