import type { DType } from './dtype.js';
import { bfloat16BitsToNumber, float16BitsToNumber, numberToBfloat16Bits, numberToFloat16Bits } from './half.js';

export type Scalar = number | boolean | bigint;
export type TypedArray =
  | Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | BigInt64Array;
export type TypedArrayCtor =
  | Float32ArrayConstructor | Float64ArrayConstructor | Int8ArrayConstructor | Uint8ArrayConstructor
  | Int16ArrayConstructor | Uint16ArrayConstructor | Int32ArrayConstructor | BigInt64ArrayConstructor;

/** The typed array that holds a dtype's raw elements (float16/bfloat16 as bits, bool as bytes). */
export function typedArrayFor(dtype: DType): TypedArrayCtor {
  switch (dtype) {
    case 'float32': return Float32Array;
    case 'float64': return Float64Array;
    case 'float16': case 'bfloat16': return Uint16Array;
    case 'int8': return Int8Array;
    case 'uint8': case 'bool': return Uint8Array;
    case 'int16': return Int16Array;
    case 'int32': return Int32Array;
    case 'int64': return BigInt64Array;
  }
}

/** The dtype a typed array holds when adopted by `fromArray`. */
export function dtypeOfTypedArray(a: ArrayBufferView): DType {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Int8Array) return 'int8';
  if (a instanceof Uint8Array || a instanceof Uint8ClampedArray) return 'uint8';
  if (a instanceof Int16Array) return 'int16';
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof BigInt64Array) return 'int64';
  throw new TypeError(`can't convert ${a.constructor.name}: the supported types are Float64Array, Float32Array, BigInt64Array, Int32Array, Int16Array, Int8Array, Uint8Array`);
}

/** Raw little-endian bytes → a typed array of values; float16/bfloat16 decode to Float32Array. */
export function decodeElements(bytes: Uint8Array, dtype: DType): TypedArray {
  const Ctor = typedArrayFor(dtype);
  const aligned = bytes.byteOffset % Ctor.BYTES_PER_ELEMENT === 0 ? bytes : bytes.slice();
  const raw = new Ctor(aligned.buffer as ArrayBuffer, aligned.byteOffset, aligned.byteLength / Ctor.BYTES_PER_ELEMENT);
  if (dtype === 'float16' || dtype === 'bfloat16') {
    const decode = dtype === 'float16' ? float16BitsToNumber : bfloat16BitsToNumber;
    const out = new Float32Array(raw.length);
    for (let i = 0; i < raw.length; i++) out[i] = decode(raw[i] as number);
    return out;
  }
  return raw === (bytes as unknown) ? raw : raw.slice();
}

/** JS values → raw elements of `dtype`, with PyTorch's casting rules. */
export function encodeElements(values: ArrayLike<Scalar>, dtype: DType): TypedArray {
  const Ctor = typedArrayFor(dtype);
  const out = new Ctor(values.length);
  const n = values.length;
  switch (dtype) {
    case 'int64':
      for (let i = 0; i < n; i++) (out as BigInt64Array)[i] = toBigInt(values[i]!);
      break;
    case 'bool':
      for (let i = 0; i < n; i++) out[i] = values[i] ? 1 : 0;
      break;
    case 'float16':
      for (let i = 0; i < n; i++) out[i] = numberToFloat16Bits(Number(values[i]));
      break;
    case 'bfloat16':
      for (let i = 0; i < n; i++) out[i] = numberToBfloat16Bits(Number(values[i]));
      break;
    default: {
      const integral = dtype !== 'float32' && dtype !== 'float64';
      for (let i = 0; i < n; i++) {
        const v = values[i]!;
        // Typed arrays wrap as C casts of in-range integers do; floats truncate toward zero.
        (out as Float64Array)[i] = typeof v === 'bigint' ? Number(BigInt.asIntN(64, v)) : integral ? Math.trunc(Number(v)) : Number(v);
      }
    }
  }
  return out;
}

export function toBigInt(v: Scalar): bigint {
  if (typeof v === 'bigint') return BigInt.asIntN(64, v);
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (!Number.isFinite(v)) return -(2n ** 63n); // what x86 gives for NaN/Inf → int64
  return BigInt.asIntN(64, BigInt(Math.trunc(v)));
}
