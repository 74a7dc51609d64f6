import { type DType, StorageRef, Tensor, contiguousStrides, device as toDevice, getBackend, itemsize, to } from '@kindling/tensor';
import { ByteReader, ByteWriter, HOST_LITTLE_ENDIAN, fromUtf8, swapBytes, utf8 } from './bytes.js';
import { SafetensorsError, SerializationError } from './errors.js';
import { isPlainObject } from './pickle/pickler.js';

// safetensors (https://github.com/huggingface/safetensors): 8 bytes little-endian header length N,
// N bytes of JSON {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {str: str}},
// then the tensors' bytes, little-endian, row-major, offsets relative to the end of the header.
// Nothing in it is executable; the checks below keep a hostile header from causing huge allocations
// or reads out of bounds, and follow the reference implementation's validation (offsets must tile
// the data exactly: sorted, no gap, no overlap, nothing after the last tensor).

const TO_DTYPE: Readonly<Record<string, DType>> = {
  F32: 'float32', F64: 'float64', F16: 'float16', BF16: 'bfloat16', I8: 'int8', U8: 'uint8', I16: 'int16', I32: 'int32', I64: 'int64', BOOL: 'bool',
};
const FROM_DTYPE = Object.fromEntries(Object.entries(TO_DTYPE).map(([k, v]) => [v, k])) as Record<DType, string>;
/** The reference writer orders tensors by dtype (its enum order, largest first), then by name. */
const DTYPE_RANK: Readonly<Record<string, number>> = { BOOL: 0, U8: 1, I8: 2, I16: 5, F16: 7, BF16: 8, I32: 9, F32: 11, F64: 12, I64: 13 };
/** The reference implementation's limit on the header size. */
export const MAX_SAFETENSORS_HEADER = 100_000_000;

export interface SafetensorsSaveOptions {
  /** Free-form string → string metadata, stored as `__metadata__`. */
  metadata?: Readonly<Record<string, string>>;
}

/** A state dict as safetensors bytes (tensors are written contiguous; shared storage is not kept). */
export function serializeSafetensors(
  tensors: Readonly<Record<string, Tensor>> | ReadonlyMap<string, Tensor>,
  opts: SafetensorsSaveOptions = {},
): Uint8Array {
  const entries: [string, Tensor][] = tensors instanceof Map ? [...(tensors as ReadonlyMap<string, Tensor>)] : Object.entries(tensors as Record<string, Tensor>);
  for (const [name, t] of entries) {
    if (!(t instanceof Tensor)) throw new SafetensorsError(`saveSafetensors: '${name}' is not a tensor`);
    if (name === '__metadata__') throw new SafetensorsError("saveSafetensors: '__metadata__' is reserved and cannot name a tensor");
  }
  const header: Record<string, unknown> = {};
  if (opts.metadata) {
    for (const [k, v] of Object.entries(opts.metadata)) {
      if (typeof v !== 'string') throw new SafetensorsError(`saveSafetensors: metadata values must be strings ('${k}' is ${typeof v})`);
    }
    header['__metadata__'] = { ...opts.metadata };
  }
  const sorted = entries
    .map(([name, t]) => ({ name, t, tag: FROM_DTYPE[t.dtype] }))
    .sort((a, b) => DTYPE_RANK[b.tag]! - DTYPE_RANK[a.tag]! || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const datas: Uint8Array[] = [];
  let offset = 0;
  for (const { name, t, tag } of sorted) {
    const bytes = contiguousBytes(t);
    header[name] = { dtype: tag, shape: [...t.shape], data_offsets: [offset, offset + bytes.length] };
    datas.push(bytes);
    offset += bytes.length;
  }
  let json = utf8(JSON.stringify(header));
  // Pad the header with spaces so the data starts 8-byte aligned, as the reference writer does.
  const pad = (8 - (json.length % 8)) % 8;
  if (pad) json = utf8(JSON.stringify(header) + ' '.repeat(pad));
  const w = new ByteWriter();
  w.u64(json.length).bytes(json);
  for (const d of datas) w.bytes(d);
  return w.toBytes();
}

function contiguousBytes(t: Tensor): Uint8Array {
  if (t.isDisposed) throw new SafetensorsError('saveSafetensors: a tensor has been disposed');
  const src = t.isContiguous() ? t : t.contiguous();
  const size = itemsize(src.dtype);
  const backend = src._ref.backend;
  if (!backend.readSync) throw new SafetensorsError(`saveSafetensors: ${src.device.type} tensors cannot be read synchronously; move them to the cpu first`);
  const bytes = backend.readSync(src._ref.storage, src._offset * size, src.numel() * size);
  if (!HOST_LITTLE_ENDIAN) swapBytes(bytes, size);
  return bytes;
}

export interface SafetensorsFile {
  tensors: Record<string, Tensor>;
  metadata: Record<string, string>;
}

/** Parse safetensors bytes: every tensor (copied into memory the cpu backend owns) and the metadata. */
export function parseSafetensors(bytes: Uint8Array, opts: { device?: string; metadataOnly?: boolean } = {}): SafetensorsFile {
  let r: ByteReader;
  let n: number;
  try {
    r = new ByteReader(bytes, 0, 'safetensors file');
    n = r.u64();
  } catch (e) {
    throw e instanceof SerializationError ? new SafetensorsError(`invalid safetensors file: ${e.message}`) : e;
  }
  if (n > MAX_SAFETENSORS_HEADER) throw new SafetensorsError(`invalid safetensors file: header of ${n} bytes exceeds the ${MAX_SAFETENSORS_HEADER}-byte limit`);
  if (n > r.remaining) throw new SafetensorsError(`invalid safetensors file: header of ${n} bytes but only ${r.remaining} bytes follow (truncated?)`);
  const text = fromUtf8(r.take(n), 'safetensors header');
  if (!text.startsWith('{')) throw new SafetensorsError('invalid safetensors file: the header is not a JSON object');
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    throw new SafetensorsError(`invalid safetensors file: the header is not valid JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) throw new SafetensorsError('invalid safetensors file: the header is not a JSON object');
  const data = bytes.subarray(8 + n);

  const metadata: Record<string, string> = {};
  const infos: { name: string; dtype: DType; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (info === null || typeof info !== 'object' || Array.isArray(info)) throw new SafetensorsError('invalid safetensors file: __metadata__ must be an object');
      for (const [k, v] of Object.entries(info as Record<string, unknown>)) {
        if (typeof v !== 'string') throw new SafetensorsError(`invalid safetensors file: __metadata__ value '${k}' is not a string`);
        Object.defineProperty(metadata, k, { value: v, enumerable: true, writable: true, configurable: true });
      }
      continue;
    }
    infos.push(checkInfo(name, info));
  }
  // The offsets must tile the data: sorted by start, each starting where the previous ended.
  const byOffset = [...infos].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (const t of byOffset) {
    if (t.begin !== at) {
      throw new SafetensorsError(
        `invalid safetensors file: tensor '${t.name}' starts at ${t.begin} but the previous tensor ends at ${at} (${t.begin < at ? 'overlap' : 'gap'})`,
      );
    }
    at = t.end;
  }
  if (at !== data.length) {
    throw new SafetensorsError(`invalid safetensors file: the tensors cover ${at} bytes of data but the file has ${data.length} (${at > data.length ? 'truncated' : 'trailing bytes'})`);
  }

  const cpu = getBackend('cpu');
  const dev = toDevice('cpu');
  const tensors: Record<string, Tensor> = {};
  for (const t of opts.metadataOnly ? [] : infos) {
    const size = itemsize(t.dtype);
    const storage = cpu.allocate(0, Math.max(t.end - t.begin, size));
    const src = data.subarray(t.begin, t.end);
    if (!HOST_LITTLE_ENDIAN && size > 1) {
      const copy = src.slice();
      swapBytes(copy, size);
      cpu.write(storage, 0, copy);
    } else if (src.length) cpu.write(storage, 0, src);
    let tensor = new Tensor(new StorageRef(cpu, storage), t.dtype, t.shape, contiguousStrides(t.shape), 0, dev);
    if (opts.device && opts.device !== 'cpu') tensor = to(tensor, { device: opts.device });
    Object.defineProperty(tensors, t.name, { value: tensor, enumerable: true, writable: true, configurable: true });
  }
  return { tensors, metadata };
}

function checkInfo(name: string, info: unknown): { name: string; dtype: DType; shape: number[]; begin: number; end: number } {
  const bad = (why: string): never => {
    throw new SafetensorsError(`invalid safetensors file: tensor '${name}': ${why}`);
  };
  if (info === null || typeof info !== 'object' || !isPlainObject(info)) bad('its entry is not an object');
  const { dtype: tag, shape, data_offsets: offsets } = info as Record<string, unknown>;
  if (typeof tag !== 'string') bad('dtype is missing');
  const dtype = TO_DTYPE[tag as string];
  if (!dtype) bad(`dtype ${String(tag)} is not supported by Kindling (supported: ${Object.keys(TO_DTYPE).join(', ')})`);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) bad('shape must be a list of non-negative integers');
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) bad('data_offsets must be [begin, end]');
  const [begin, end] = offsets as [number, number];
  if (end < begin) bad(`data_offsets [${begin}, ${end}] end before they begin`);
  const numel = (shape as number[]).reduce((a, b) => a * b, 1);
  const nbytes = numel * itemsize(dtype!);
  if (!Number.isSafeInteger(nbytes) || nbytes !== end - begin) bad(`shape [${(shape as number[]).join(', ')}] of ${tag} needs ${nbytes} bytes but data_offsets [${begin}, ${end}] span ${end - begin}`);
  return { name, dtype: dtype!, shape: [...(shape as number[])], begin, end };
}
