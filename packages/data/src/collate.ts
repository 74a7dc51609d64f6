/**
 * PyTorch's `default_collate` and `default_convert` (torch/utils/data/_utils/collate.py).
 *
 * `defaultCollate(batch)` turns a list of samples into a batch, by the type of the first sample:
 *
 * | sample                       | batch                                                      |
 * | ---------------------------- | ---------------------------------------------------------- |
 * | Tensor                       | `torch.stack(batch)` (a new leading batch dimension)       |
 * | typed array (NumPy array)    | tensors sharing the arrays' memory, then stacked           |
 * | number                       | int64 tensor if every number is an integer, else float64   |
 * | bigint                       | int64 tensor                                               |
 * | boolean                      | bool tensor                                                |
 * | string                       | the list of strings, unchanged                             |
 * | array (tuple or list)        | an array: `defaultCollate` of each position (equal lengths)|
 * | plain object / Map (Mapping) | same keys, `defaultCollate` of each key's values           |
 *
 * Anything else is PyTorch's TypeError. Numbers: PyTorch makes int64 from Python ints and float64
 * from Python floats; JavaScript has one number type and `1.0 === 1`, so a batch whose numbers are
 * all integral collates to int64 (pass a Tensor or a Float64Array sample to force a float batch).
 */
import { type DType, Tensor, dtypeOfTypedArray, fromArray, stack, tensor } from '@kindling/tensor';
import { isPlainObject } from './codec.js';
import { typeName } from './dataset.js';
import { markFreshlyCollated } from './fresh.js';

const ERR = 'default_collate: batch must contain tensors, typed arrays, numbers, booleans, strings, arrays, objects or Maps; found';

function isTypedArray(x: unknown): x is ArrayBufferView & ArrayLike<number | bigint> {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

function numbersDtype(batch: readonly unknown[]): DType {
  for (const v of batch) {
    if (typeof v !== 'number') throw new TypeError(`${ERR} a mix of number and ${typeName(v)}`);
    if (!Number.isInteger(v)) return 'float64';
  }
  return 'int64';
}

function collateTensors(batch: readonly unknown[]): Tensor {
  for (const t of batch) {
    if (!(t instanceof Tensor)) throw new TypeError(`${ERR} a mix of Tensor and ${typeName(t)}`);
  }
  const out = stack(batch as Tensor[], 0);
  // stack always writes a new tensor; check anyway that it aliases no sample before letting a
  // worker give its memory away.
  return (batch as Tensor[]).some((t) => t.storageId === out.storageId) ? out : markFreshlyCollated(out);
}

export function defaultCollate(batch: readonly unknown[]): unknown {
  if (!Array.isArray(batch)) throw new TypeError(`defaultCollate expects an array of samples, got ${typeName(batch)}`);
  if (batch.length === 0) throw new RangeError('defaultCollate: the batch is empty');
  const elem = batch[0];
  if (elem instanceof Tensor) return collateTensors(batch);
  if (isTypedArray(elem)) {
    dtypeOfTypedArray(elem); // the error for typed arrays with no tensor dtype (Uint16Array, …)
    return collateTensors(batch.map((a) => (isTypedArray(a) ? fromArray(a as never) : a)));
  }
  if (typeof elem === 'number') return markFreshlyCollated(tensor(batch as number[], { dtype: numbersDtype(batch) }));
  if (typeof elem === 'bigint' || typeof elem === 'boolean') {
    for (const v of batch) {
      if (typeof v !== typeof elem) throw new TypeError(`${ERR} a mix of ${typeof elem} and ${typeName(v)}`);
    }
    return markFreshlyCollated(tensor(batch as never, { dtype: typeof elem === 'bigint' ? 'int64' : 'bool' }));
  }
  if (typeof elem === 'string') return [...batch];
  if (elem instanceof Map) {
    const out = new Map<unknown, unknown>();
    for (const key of elem.keys()) out.set(key, defaultCollate(batch.map((d) => field(d, key))));
    return out;
  }
  if (isPlainObject(elem)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(elem)) out[key] = defaultCollate(batch.map((d) => field(d, key)));
    return out;
  }
  if (Array.isArray(elem)) {
    const size = elem.length;
    for (const s of batch) {
      if (!Array.isArray(s) || s.length !== size) throw new Error('each element in list of batch should be of equal size');
    }
    return Array.from({ length: size }, (_, i) => defaultCollate(batch.map((s) => (s as unknown[])[i])));
  }
  throw new TypeError(`${ERR} ${typeName(elem)}`);
}

function field(sample: unknown, key: unknown): unknown {
  if (sample instanceof Map) {
    if (!sample.has(key)) throw new Error(`default_collate: a sample lacks the key ${String(key)}`);
    return sample.get(key);
  }
  if (isPlainObject(sample) && typeof key === 'string' && key in sample) return sample[key];
  throw new Error(`default_collate: a sample lacks the key '${String(key)}' that the first sample has`);
}

/**
 * PyTorch's `default_convert`, the collate function when automatic batching is off
 * (`batchSize: null`): typed arrays become tensors (sharing memory), containers are walked,
 * everything else is left as it is.
 */
export function defaultConvert(data: unknown): unknown {
  if (data instanceof Tensor) return data;
  if (isTypedArray(data)) return fromArray(data as never);
  if (Array.isArray(data)) return data.map(defaultConvert);
  if (data instanceof Map) return new Map([...data].map(([k, v]) => [k, defaultConvert(v)]));
  if (isPlainObject(data)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(data)) out[k] = defaultConvert(data[k]);
    return out;
  }
  return data;
}
