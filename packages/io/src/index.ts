// @kindling/io: torch.save / torch.load for Kindling. Reads and writes PyTorch's .pth files (the zip
// format, and the legacy format for reading) and safetensors, with an unpickler that never executes
// anything from a file. `import * as io from '@kindling/io'`.
import '@kindling/backend-cpu';
import type { Tensor } from '@kindling/tensor';
import { type LoadOptions, loadTorch } from './torch/load.js';
import { prepareTorch, readStorages, writeTorchZip } from './torch/save.js';
import { type SafetensorsSaveOptions, parseSafetensors, serializeSafetensors } from './safetensors.js';
import { type Source, archiveNameFor, asBytes, isPath, readPath, writePath } from './source.js';
import { concatBytes } from './bytes.js';

export { SerializationError, UnpicklingError, ZipError, SafetensorsError } from './errors.js';
export { PickledObject, PyGlobal, tuple, isTuple, isOrderedDict } from './pickle/values.js';
export { registerModule, registerModules, type RegisteredClass } from './module/registry.js';
export type { MapLocation } from './torch/materialize.js';
export type { LoadOptions } from './torch/load.js';
export type { SafetensorsSaveOptions } from './safetensors.js';
export type { Source } from './source.js';
export { MAX_SAFETENSORS_HEADER } from './safetensors.js';

/**
 * `torch.save(obj, f)`: write `obj` in PyTorch's zip format, which `torch.load` reads.
 *
 * `obj` may be a tensor, a state dict (`model.stateDict()`, saved as the OrderedDict PyTorch's
 * `state_dict()` is), optimizer and scheduler state dicts, a checkpoint object holding them and plain
 * values, or a whole model (stored in Kindling's own form, see `registerModule`). Views keep sharing
 * their storage. JS numbers that are integers are saved as Python ints, others as floats.
 *
 * With a path (Node) it writes the file; with no target it returns the bytes.
 */
export function save(obj: unknown): Uint8Array;
export function save(obj: unknown, path: string | URL): Promise<void>;
export function save(obj: unknown, path?: string | URL): Uint8Array | Promise<void> {
  if (path === undefined) {
    const { chunks, length } = writeTorchZip(prepareTorch(obj));
    return concatBytes(chunks, length);
  }
  if (!isPath(path)) throw new TypeError('save: the target must be a file path (or omitted, to get the bytes)');
  return (async () => {
    const prepared = prepareTorch(obj);
    const fetched = await readStorages(prepared);
    await writePath(path, () => writeTorchZip(prepared, { archiveName: archiveNameFor(path) }, fetched).chunks);
  })();
}

/** `save(obj)` for tensors on devices that can only be read asynchronously (webgpu). */
export async function saveAsync(obj: unknown): Promise<Uint8Array> {
  const prepared = prepareTorch(obj);
  const fetched = await readStorages(prepared);
  const { chunks, length } = writeTorchZip(prepared, {}, fetched);
  return concatBytes(chunks, length);
}

/**
 * `torch.load(f, map_location=…, weights_only=…)`: read a file written by `torch.save` (zip or
 * legacy format) or by `save`. Tensors come back on the cpu, or where `mapLocation` says; tensors
 * that shared a storage share one again. Python dicts become plain objects (a Map when a key is not a
 * str or int), lists and tuples arrays, OrderedDicts plain objects in their order.
 *
 * Safe on untrusted files: the unpickler never imports or runs anything; it allows only the globals of
 * PyTorch's weights-only list and refuses others with an error naming them.
 *
 * With bytes it returns the value; with a path (Node) a promise of it.
 */
export function load<T = unknown>(source: Uint8Array | ArrayBuffer, opts?: LoadOptions): T;
export function load<T = unknown>(source: string | URL, opts?: LoadOptions): Promise<T>;
export function load<T = unknown>(source: Source, opts?: LoadOptions): T | Promise<T>;
export function load<T = unknown>(source: Source, opts: LoadOptions = {}): T | Promise<T> {
  if (isPath(source)) return readPath(source).then((b) => loadTorch(b, opts) as T);
  return loadTorch(asBytes(source), opts) as T;
}

/** A state dict: tensors by name. */
export type TensorDict = Record<string, Tensor>;

/**
 * Write tensors in the safetensors format. With a path (Node) it writes the file; with none it
 * returns the bytes. Tensors are written contiguous, each with its own data (safetensors has no
 * shared storage).
 */
export function saveSafetensors(tensors: TensorDict | ReadonlyMap<string, Tensor>, opts?: SafetensorsSaveOptions): Uint8Array;
export function saveSafetensors(tensors: TensorDict | ReadonlyMap<string, Tensor>, path: string | URL, opts?: SafetensorsSaveOptions): Promise<void>;
export function saveSafetensors(
  tensors: TensorDict | ReadonlyMap<string, Tensor>,
  target?: string | URL | SafetensorsSaveOptions,
  opts?: SafetensorsSaveOptions,
): Uint8Array | Promise<void> {
  if (isPath(target)) return writePath(target, () => [serializeSafetensors(tensors, opts)]);
  return serializeSafetensors(tensors, target ?? opts);
}

/** Read the tensors of a safetensors file (bytes, or a path in Node). */
export function loadSafetensors(source: Uint8Array | ArrayBuffer, opts?: { device?: string }): TensorDict;
export function loadSafetensors(source: string | URL, opts?: { device?: string }): Promise<TensorDict>;
export function loadSafetensors(source: Source, opts: { device?: string } = {}): TensorDict | Promise<TensorDict> {
  if (isPath(source)) return readPath(source).then((b) => parseSafetensors(b, opts).tensors);
  return parseSafetensors(asBytes(source), opts).tensors;
}

/** The `__metadata__` of a safetensors file (the header is validated as by `loadSafetensors`). */
export function safetensorsMetadata(source: Uint8Array | ArrayBuffer): Record<string, string>;
export function safetensorsMetadata(source: string | URL): Promise<Record<string, string>>;
export function safetensorsMetadata(source: Source): Record<string, string> | Promise<Record<string, string>> {
  if (isPath(source)) return readPath(source).then((b) => parseSafetensors(b, { metadataOnly: true }).metadata);
  return parseSafetensors(asBytes(source), { metadataOnly: true }).metadata;
}
