import { type DType, StorageRef, Tensor, itemsize } from '@kindling/tensor';
import { storageArray } from '@kindling/backend-cpu';
import { HOST_LITTLE_ENDIAN, swapBytes } from '../bytes.js';
import { SerializationError } from '../errors.js';
import { isModuleLike, moduleToData } from '../module/capture.js';
import { Pickler, Replace, isPlainObject } from '../pickle/pickler.js';
import { PyGlobal, Reduce, isOrderedDict, isPlainDict, markOrderedDict, markPlainDict, markTuple } from '../pickle/values.js';
import { ZipWriter } from '../zip/writer.js';
import { STORAGE_OF_DTYPE } from './dtypes.js';
import { UNREGISTERED_PARAMETERS } from './materialize.js';

// torch.save's zip format: archive/data.pkl is the object, pickled with protocol 2, in which each
// tensor is `_rebuild_tensor_v2(storage, offset, size, stride, requires_grad, OrderedDict())` and each
// storage a persistent id ('storage', FloatStorage, key, location, numel) whose bytes are the record
// archive/data/<key>. Tensors sharing a storage share its key, so views stay views.

const REBUILD_TENSOR = new PyGlobal('torch._utils', '_rebuild_tensor_v2');
const REBUILD_PARAMETER = new PyGlobal('torch._utils', '_rebuild_parameter');
const ORDERED_DICT = new PyGlobal('collections', 'OrderedDict');

/** A storage as the pickler meets it: its persistent id is the tuple torch writes. */
class StorageToken {
  constructor(
    readonly key: string,
    readonly dtype: DType,
    readonly location: string,
    readonly numel: number,
  ) {}
}

/** The tensor a Parameter wraps (`param.data`): pickled as a plain tensor inside `_rebuild_parameter`. */
class ParameterData {
  constructor(readonly tensor: Tensor) {}
}

interface SavedStorage {
  token: StorageToken;
  ref: StorageRef;
  /** The first tensor seen over it (to reach its host memory). */
  tensor: Tensor;
}

/** The pickled object and the storages it refers to, before the archive is written. */
export interface PreparedSave {
  pkl: Uint8Array;
  storages: SavedStorage[];
}

export interface SaveOptions {
  /** The directory name inside the zip (torch uses the file's base name, 'archive' for buffers). */
  archiveName?: string;
  /** Write zip64 records even for small files (what files over 4 GiB need); for tests. */
  forceZip64?: boolean;
}

/** Pickle `obj` as torch.save does, collecting the storages its tensors use. */
export function prepareTorch(obj: unknown): PreparedSave {
  const storages = new Map<StorageRef, SavedStorage>();
  const replaced = new WeakMap<object, Replace>();

  const storageToken = (t: Tensor): StorageToken => {
    const ref = t._ref;
    const seen = storages.get(ref);
    if (seen) {
      if (seen.token.dtype !== t.dtype) {
        throw new SerializationError('save: Cannot save multiple tensors or storages that view the same data as different types');
      }
      return seen.token;
    }
    const dev = t.device;
    const location = dev.type === 'cpu' ? 'cpu' : `${dev.type}:${dev.index ?? 0}`;
    const numel = Math.floor(ref.storage.nbytes / itemsize(t.dtype));
    const token = new StorageToken(String(storages.size), t.dtype, location, numel);
    storages.set(ref, { token, ref, tensor: t });
    return token;
  };

  const tensorReduce = (t: Tensor, requiresGrad: boolean): Reduce => {
    if (t.isDisposed) throw new SerializationError('save: a tensor in the object has been disposed');
    return new Reduce(REBUILD_TENSOR, [
      storageToken(t),
      t._offset,
      markTuple([...t.shape]),
      markTuple([...t._strides]),
      requiresGrad,
      new Reduce(ORDERED_DICT, []),
    ]);
  };

  const pickler = new Pickler({
    persistentId(x) {
      if (!(x instanceof StorageToken)) return undefined;
      return markTuple(['storage', new PyGlobal('torch', STORAGE_OF_DTYPE[x.dtype]), x.key, x.location, x.numel]);
    },
    reduce(x) {
      if (x instanceof ParameterData) return tensorReduce(x.tensor, false);
      if (x instanceof Tensor) {
        // nn.Parameter, or a tensor loaded from one while no Parameter class was registered.
        if (x.constructor.name === 'Parameter' || UNREGISTERED_PARAMETERS.has(x)) {
          return new Reduce(REBUILD_PARAMETER, [new ParameterData(x), x.requiresGrad, new Reduce(ORDERED_DICT, [])]);
        }
        return tensorReduce(x, x.requiresGrad);
      }
      let r = replaced.get(x);
      if (r) return r;
      if (isModuleLike(x)) r = new Replace(moduleToData(x));
      else if (isPlainObject(x) && !isOrderedDict(x)) {
        const alt = pythonDict(x);
        if (alt !== undefined) r = new Replace(alt);
      }
      if (r) replaced.set(x, r);
      return r;
    },
  });
  const pkl = pickler.dump(obj);
  return { pkl, storages: [...storages.values()] };
}

/**
 * The zip archive for a prepared save, as chunks (host storage bytes are not copied).
 * `fetched` holds the bytes of storages that could not be read synchronously.
 */
export function writeTorchZip(
  prepared: PreparedSave,
  opts: SaveOptions = {},
  fetched?: ReadonlyMap<StorageRef, Uint8Array>,
): { chunks: Uint8Array[]; length: number } {
  const { pkl, storages } = prepared;
  const zip = new ZipWriter({ forceZip64: opts.forceZip64 ?? false });
  const name = opts.archiveName ?? 'archive';
  zip.add(`${name}/data.pkl`, pkl);
  zip.add(`${name}/byteorder`, new TextEncoder().encode('little'));
  // Records in the order torch writes them: keys sorted as strings.
  const sorted = [...storages].sort((a, b) => (a.token.key < b.token.key ? -1 : a.token.key > b.token.key ? 1 : 0));
  for (const s of sorted) {
    const bytes = fetched?.get(s.ref) ?? hostBytes(s);
    if (!bytes) {
      throw new SerializationError(
        `save: a ${s.ref.backend.type} tensor cannot be read synchronously; use \`await saveAsync(obj)\` or \`await save(obj, path)\``,
      );
    }
    zip.add(`${name}/data/${s.token.key}`, bytes);
  }
  zip.add(`${name}/version`, new TextEncoder().encode('3\n'));
  return zip.finish();
}

/**
 * Plain objects PyTorch would have as something other than a dict: a state dict (every value a
 * tensor) is an OrderedDict, as `state_dict()` returns; an optimizer state dict's `state` is keyed
 * by int parameter ids (PyTorch's `load_state_dict` matches them with the ints in param_groups).
 */
function pythonDict(x: Record<string, unknown>): unknown {
  const entries = Object.entries(x);
  if (entries.length > 0 && !isPlainDict(x) && entries.every(([, v]) => v instanceof Tensor)) {
    const d = {};
    for (const [k, v] of entries) Object.defineProperty(d, k, { value: v, enumerable: true, writable: true, configurable: true });
    const meta = Object.getOwnPropertyDescriptor(x, '_metadata');
    return markOrderedDict(d, meta && !meta.enumerable ? { _metadata: meta.value } : {});
  }
  const state = x['state'];
  if (entries.length === 2 && Array.isArray(x['param_groups']) && state && typeof state === 'object' && isPlainObject(state)) {
    const intKeyed = new Map<unknown, unknown>();
    for (const [k, v] of Object.entries(state)) {
      // Each parameter's state is a plain dict in PyTorch, though all its values are tensors.
      const entry = v && typeof v === 'object' && isPlainObject(v) && !isOrderedDict(v) ? markPlainDict({ ...v }) : v;
      intKeyed.set(/^(0|[1-9]\d{0,14})$/.test(k) ? Number(k) : k, entry);
    }
    return { state: intKeyed, param_groups: x['param_groups'] };
  }
  return undefined;
}

/** The bytes of a whole storage, little-endian; a view, not a copy, when it is in host memory. */
function hostBytes(s: SavedStorage): Uint8Array | undefined {
  const nbytes = s.token.numel * itemsize(s.token.dtype);
  const backend = s.ref.backend;
  let bytes: Uint8Array;
  if (backend.type === 'cpu') {
    const arr = storageArray(s.tensor);
    bytes = new Uint8Array(arr.buffer, arr.byteOffset, nbytes);
  } else if (backend.readSync) {
    bytes = backend.readSync(s.ref.storage, 0, nbytes);
  } else {
    return undefined;
  }
  return littleEndian(bytes, s.token.dtype);
}

function littleEndian(bytes: Uint8Array, dtype: DType): Uint8Array {
  if (HOST_LITTLE_ENDIAN || itemsize(dtype) === 1) return bytes;
  const copy = bytes.slice();
  swapBytes(copy, itemsize(dtype));
  return copy;
}

/** The storage bytes of devices that can only be read asynchronously (webgpu); others are read when written. */
export async function readStorages(prepared: PreparedSave): Promise<Map<StorageRef, Uint8Array>> {
  const out = new Map<StorageRef, Uint8Array>();
  for (const s of prepared.storages) {
    if (s.ref.backend.type === 'cpu' || s.ref.backend.readSync) continue;
    const nbytes = s.token.numel * itemsize(s.token.dtype);
    out.set(s.ref, littleEndian(await s.ref.backend.read(s.ref.storage, 0, nbytes), s.token.dtype));
  }
  return out;
}
