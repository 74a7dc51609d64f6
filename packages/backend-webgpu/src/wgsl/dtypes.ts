import { type DType, DtypeError } from '@kindling/tensor';

/**
 * How each dtype lives in GPU memory and in WGSL. Memory holds exactly the bytes PyTorch (and the
 * cpu backend) would: bool/uint8/int8 one byte, int16/float16/bfloat16 two, int64/float64 eight,
 * little-endian. Every buffer is bound as array<u32>; narrower elements are picked out of their word,
 * and written with atomic and/or on their bits, so threads writing neighbours in one word never race.
 *
 * Values are computed in one of three domains: 'f' (f32: float32, float16, bfloat16, each rounded to
 * its own precision when stored), 'i' (i32: int32, int16, int8, uint8, bool, wrapped when stored) and
 * 'l' (int64 as vec2<u32>, low word first). WGSL has no f64: float64 tensors can be created, read,
 * filled and copied (their bits move unchanged), and every computation on them is refused.
 */
export type Domain = 'f' | 'i' | 'l';

export const WGSL_TYPE: Record<Domain, string> = { f: 'f32', i: 'i32', l: 'vec2<u32>' };

export class WebGPUDtypeError extends DtypeError {}

export function float64Refusal(op: string): WebGPUDtypeError {
  return new WebGPUDtypeError(
    `"${op}" is not supported for dtype float64 on device 'webgpu': WGSL has no 64-bit floats; compute in float32 (t.float()) or on cpu.`,
  );
}

export function domainOf(d: DType, op: string): Domain {
  switch (d) {
    case 'float32': case 'float16': case 'bfloat16': return 'f';
    case 'int64': return 'l';
    case 'float64': throw float64Refusal(op);
    default: return 'i';
  }
}

/** Sub-word dtypes: their output buffer is bound as atomics. */
export function isNarrow(d: DType): boolean {
  return d === 'bool' || d === 'uint8' || d === 'int8' || d === 'int16' || d === 'float16' || d === 'bfloat16';
}

/** A bound buffer as a shader sees it: its variable name and whether it is bound as atomics. */
export interface BufferVar {
  readonly name: string;
  readonly atomic: boolean;
}

export function bufferDecl(binding: number, v: BufferVar, writable: boolean): string {
  const type = v.atomic ? 'array<atomic<u32>>' : 'array<u32>';
  return `@group(0) @binding(${binding}) var<storage, ${writable ? 'read_write' : 'read'}> ${v.name}: ${type};`;
}

function word(v: BufferVar, idx: string): string {
  return v.atomic ? `atomicLoad(&${v.name}[${idx}])` : `${v.name}[${idx}]`;
}

/** The element `e` (an index in elements, a plain name) of `dtype` in its natural domain. */
export function loadNative(dtype: DType, v: BufferVar, index: string): string {
  const e = /^\w+$/.test(index) ? index : `(${index})`;
  switch (dtype) {
    case 'float32': return `bitcast<f32>(${word(v, e)})`;
    case 'int32': return `bitcast<i32>(${word(v, e)})`;
    case 'bool': case 'uint8': return `i32((${word(v, `${e} >> 2u`)} >> ((${e} & 3u) * 8u)) & 255u)`;
    case 'int8': return `(bitcast<i32>(${word(v, `${e} >> 2u`)} << ((3u - (${e} & 3u)) * 8u)) >> 24u)`;
    case 'int16': return `(bitcast<i32>(${word(v, `${e} >> 1u`)} << ((1u - (${e} & 1u)) * 16u)) >> 16u)`;
    case 'float16': return `k_f16_to_f32((${word(v, `${e} >> 1u`)} >> ((${e} & 1u) * 16u)) & 0xffffu)`;
    case 'bfloat16': return `bitcast<f32>(((${word(v, `${e} >> 1u`)} >> ((${e} & 1u) * 16u)) & 0xffffu) << 16u)`;
    case 'int64': case 'float64': return `vec2<u32>(${word(v, `2u * ${e}`)}, ${word(v, `2u * ${e} + 1u`)})`;
  }
}

/**
 * A value of dtype `from` (in its natural domain) as a value of the compute dtype `to`: integers wrap
 * to the narrower width, as a C++ cast does, and floats round to a narrower float first, as PyTorch
 * does before computing in it.
 */
export function convert(x: string, from: DType, to: DType, op: string): string {
  if (from === to) return x;
  const src = domainOf(from, op);
  const dst = domainOf(to, op);
  if (dst === 'f') {
    const f = src === 'f' ? x : src === 'i' ? `f32(${x})` : `k_i64_to_f32(${x})`;
    if (to === 'float16' && from !== 'bool' && from !== 'uint8' && from !== 'int8') return `k_round_f16(${f})`;
    if (to === 'bfloat16' && from !== 'bool' && from !== 'uint8' && from !== 'int8') return `k_round_bf16(${f})`;
    return f;
  }
  if (dst === 'l') return src === 'f' ? `k_f32_to_i64(${x})` : src === 'i' ? `k_i64(${x})` : x;
  const i = src === 'f' ? `i32(${x})` : src === 'l' ? `bitcast<i32>((${x}).x)` : x;
  switch (to) {
    case 'uint8': return `(${i} & 255)`;
    case 'int8': return `((${i} << 24u) >> 24u)`;
    case 'int16': return `((${i} << 16u) >> 16u)`;
    case 'bool': return src === 'f' ? `select(0, 1, k_truthy(${x}))` : src === 'l' ? `select(0, 1, k_i64_nz(${x}))` : `select(0, 1, ${x} != 0)`;
    default: return i;
  }
}

/** `x` as a bool (C++'s truthiness; NaN is true). */
export function truthy(x: string, d: DType, op: string): string {
  const dom = domainOf(d, op);
  return dom === 'f' ? `k_truthy(${x})` : dom === 'l' ? `k_i64_nz(${x})` : `(${x} != 0)`;
}

function narrowStore(v: BufferVar, index: string, bits: 8 | 16, value: string): string {
  const e = /^\w+$/.test(index) ? index : `(${index})`;
  const per = bits === 8 ? 2 : 1;
  const mask = bits === 8 ? '255u' : '0xffffu';
  const sh = bits === 8 ? `((${e} & 3u) * 8u)` : `((${e} & 1u) * 16u)`;
  // The value is computed before the element's bits are cleared: it may read the element itself.
  return `{ let nv = ${value}; let w = ${e} >> ${per}u; let sh = ${sh}; atomicAnd(&${v.name}[w], ~(${mask} << sh)); atomicOr(&${v.name}[w], (nv & ${mask}) << sh); }`;
}

/** Store `value` (in the domain of `dtype`) at element `e` of `dtype`. */
export function storeNative(dtype: DType, v: BufferVar, index: string, value: string): string {
  const e = /^\w+$/.test(index) ? index : `(${index})`;
  switch (dtype) {
    case 'float32': return `${v.name}[${e}] = bitcast<u32>(${value});`;
    case 'int32': return `${v.name}[${e}] = bitcast<u32>(${value});`;
    case 'bool': return narrowStore(v, e, 8, `select(0u, 1u, (${value}) != 0)`);
    case 'uint8': case 'int8': return narrowStore(v, e, 8, `bitcast<u32>(${value})`);
    case 'int16': return narrowStore(v, e, 16, `bitcast<u32>(${value})`);
    case 'float16': return narrowStore(v, e, 16, `k_f32_to_f16(${value})`);
    case 'bfloat16': return narrowStore(v, e, 16, `k_f32_to_bf16(${value})`);
    case 'int64': case 'float64': return `{ let q = ${value}; ${v.name}[2u * ${e}] = q.x; ${v.name}[2u * ${e} + 1u] = q.y; }`;
  }
}

/** Store raw bits (a fill value already encoded as the dtype's bytes): u32, or vec2<u32> for 8-byte dtypes. */
export function storeBits(dtype: DType, v: BufferVar, e: string, bits: string): string {
  switch (dtype) {
    case 'bool': case 'uint8': case 'int8': return narrowStore(v, e, 8, bits);
    case 'int16': case 'float16': case 'bfloat16': return narrowStore(v, e, 16, bits);
    case 'int64': case 'float64': return storeNative(dtype, v, e, bits);
    default: return `${v.name}[${e}] = ${bits};`;
  }
}

/** The element `e` of `dtype` from `word`, the u32 of memory that holds it (sub-word dtypes). */
export function fromWord(dtype: DType, word: string, e: string): string {
  return loadNative(dtype, { name: '@', atomic: false }, e).replace(/@\[[^\]]*\]/g, word);
}

/**
 * `B[e] += value` (or |= for bool) as one atomic update, where other invocations may update the same
 * element: a compare-exchange loop on the word holding it; int64 adds its two words with atomicAdd
 * (the carries add up). `v` is bound as atomics.
 */
export function atomicAccumulate(dtype: DType, v: BufferVar, e: string, value: string): string {
  const wordOf = isNarrow(dtype) ? (dtype === 'bool' || dtype === 'uint8' || dtype === 'int8' ? `${e} >> 2u` : `${e} >> 1u`) : e;
  switch (dtype) {
    case 'int32': return `atomicAdd(&${v.name}[${e}], bitcast<u32>(${value}));`;
    case 'int64': case 'float64':
      return `{ let q = ${value}; let lo = atomicAdd(&${v.name}[2u * ${e}], q.x); atomicAdd(&${v.name}[2u * ${e} + 1u], q.y + select(0u, 1u, lo + q.x < lo)); }`;
    default: {
      const cur = fromWord(dtype, 'old', e);
      const sum = dtype === 'bool' ? `(${cur} | (${value}))` : `(${cur} + (${value}))`;
      let updated: string;
      if (dtype === 'float32') updated = `bitcast<u32>(${sum})`;
      else {
        const bits = dtype === 'float16' ? `k_f32_to_f16(${sum})` : dtype === 'bfloat16' ? `k_f32_to_bf16(${sum})` : `bitcast<u32>(${sum})`;
        const wide = dtype === 'int16' || dtype === 'float16' || dtype === 'bfloat16';
        const mask = wide ? '0xffffu' : '255u';
        const sh = wide ? `((${e} & 1u) * 16u)` : `((${e} & 3u) * 8u)`;
        updated = `(old & ~(${mask} << ${sh})) | ((${bits} & ${mask}) << ${sh})`;
      }
      return `loop { let old = atomicLoad(&${v.name}[${wordOf}]); if (atomicCompareExchangeWeak(&${v.name}[${wordOf}], old, ${updated}).exchanged) { break; } }`;
    }
  }
}
