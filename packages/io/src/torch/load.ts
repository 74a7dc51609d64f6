import { itemsize } from '@kindling/tensor';
import { ByteReader, fromUtf8 } from '../bytes.js';
import { SerializationError, UnpicklingError } from '../errors.js';
import { rebuildModules } from '../module/rebuild.js';
import { toJs } from '../pickle/convert.js';
import { PyDict } from '../pickle/pydict.js';
import { unpickle } from '../pickle/unpickler.js';
import { isTuple } from '../pickle/values.js';
import { ZipReader, isZip } from '../zip/reader.js';
import { DTYPE_OF_STORAGE, UNSUPPORTED_STORAGES } from './dtypes.js';
import { storageDtypeName, torchHooks } from './globals.js';
import { type MapLocation, StorageTable } from './materialize.js';
import { StorageRecord, TensorRecord, describe } from './records.js';

export interface LoadOptions {
  /** Where storages go (torch.load's map_location); by default back where they were saved. */
  mapLocation?: MapLocation;
  /**
   * true (the default): refuse any global outside the allowlist, as `torch.load(weights_only=True)`.
   * false: return unknown classes and calls as inert `PickledObject` records. Nothing in a file is
   * ever executed either way; this only decides between an error and an inert record.
   */
  weightsOnly?: boolean;
  /** Check the zip entries' CRC-32 (default true). */
  verifyChecksums?: boolean;
}

/** PyTorch's legacy (pre-1.6, `_use_new_zipfile_serialization=False`) format starts with these. */
const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
const LEGACY_PROTOCOL = 1001;

/** `torch.load` on bytes: the zip format, or the legacy format. */
export function loadTorch(bytes: Uint8Array, opts: LoadOptions = {}): unknown {
  if (isZip(bytes)) return loadZip(bytes, opts);
  if (bytes.length > 1 && bytes[0] === 0x80) return loadLegacy(bytes, opts);
  if (bytes.length >= 262 && fromAscii(bytes.subarray(257, 262)) === 'ustar') {
    throw new SerializationError("this is PyTorch's pre-0.4 tar checkpoint format, which Kindling does not read; load and re-save it with PyTorch ≥ 1.6");
  }
  if (bytes.length >= 9 && bytes[8] === 0x7b) {
    throw new SerializationError('this looks like a safetensors file: use loadSafetensors()');
  }
  throw new SerializationError(`not a PyTorch file: it is neither a zip archive nor a pickle (first bytes ${hexPrefix(bytes)})`);
}

function loadZip(bytes: Uint8Array, opts: LoadOptions): unknown {
  const zip = new ZipReader(bytes, opts.verifyChecksums ?? true);
  // PyTorch names every record `<archive>/…`, the archive being the file's base name; take it from
  // the first record, as its reader does.
  const first = zip.entries.keys().next().value;
  if (first === undefined) throw new SerializationError('the zip archive is empty: no data.pkl');
  const slash = first.indexOf('/');
  const prefix = slash >= 0 ? first.slice(0, slash) : '';
  const at = (name: string) => (prefix ? `${prefix}/${name}` : name);
  if (!zip.has(at('data.pkl'))) {
    const what = zip.has(at('constants.pkl')) ? ' (a TorchScript archive? those are not supported)' : '';
    throw new SerializationError(`the zip archive has no ${at('data.pkl')}: not a torch.save file${what}`);
  }
  let littleEndian = true;
  if (zip.has(at('byteorder'))) {
    const order = fromUtf8(zip.read(at('byteorder')), 'byteorder record').trim();
    if (order !== 'little' && order !== 'big') throw new SerializationError(`unknown byteorder '${order}'`);
    littleEndian = order === 'little';
  }

  const weightsOnly = opts.weightsOnly ?? true;
  const records = new Map<string, StorageRecord>();
  const persistentLoad = (pid: unknown): StorageRecord => {
    if (!isTuple(pid) || pid.length !== 5) throw new UnpicklingError(`persistent id must be a 5-tuple ('storage', type, key, location, numel), got ${describe(pid)}`);
    const [kind, type, key, location, numel] = pid;
    if (kind !== 'storage') throw new UnpicklingError(`Only persistent_load of storage is allowed, but got ${describe(kind)}`);
    const dtype = storageDtype(type);
    if (typeof key !== 'string' && typeof key !== 'number') throw new UnpicklingError(`storage key must be a str, got ${describe(key)}`);
    if (typeof location !== 'string') throw new UnpicklingError(`storage location must be a str, got ${describe(location)}`);
    if (typeof numel !== 'number' || !Number.isSafeInteger(numel) || numel < 0) throw new UnpicklingError(`storage size must be a non-negative int, got ${describe(numel)}`);
    const k = String(key);
    const seen = records.get(k);
    if (seen) {
      if (seen.dtype !== dtype || seen.numel !== numel) {
        throw new UnpicklingError(`storage '${k}' is referred to as ${seen.numel} ${seen.dtype} and as ${numel} ${dtype} elements`);
      }
      return seen;
    }
    const name = at(`data/${k}`);
    const entry = zip.entries.get(name);
    if (!entry) throw new SerializationError(`storage '${k}' is missing: the archive has no ${name}`);
    if (entry.size < numel * itemsize(dtype)) {
      throw new SerializationError(`storage '${k}' declares ${numel} ${dtype} elements (${numel * itemsize(dtype)} bytes) but ${name} holds ${entry.size} bytes`);
    }
    const rec = new StorageRecord(k, dtype, numel, location);
    records.set(k, rec);
    return rec;
  };
  const { value } = unpickle(zip.read(at('data.pkl')), torchHooks({ weightsOnly, persistentLoad }), 0, at('data.pkl'));
  const table = new StorageTable((key) => zip.read(at(`data/${key}`)), opts.mapLocation, littleEndian);
  return finish(value, table);
}

function loadLegacy(bytes: Uint8Array, opts: LoadOptions): unknown {
  const weightsOnly = opts.weightsOnly ?? true;
  const noPersistent = torchHooks({
    weightsOnly: true,
    persistentLoad: () => {
      throw new UnpicklingError('unexpected persistent id in a legacy file header');
    },
  });
  let pos = 0;
  const next = (hooks: typeof noPersistent, what: string): unknown => {
    const r = unpickle(bytes, hooks, pos, what);
    pos = r.end;
    return r.value;
  };
  const magic = next(noPersistent, 'legacy magic number');
  if (magic !== LEGACY_MAGIC) throw new SerializationError('Invalid magic number; corrupt file? (not a legacy torch.save file)');
  const protocol = next(noPersistent, 'legacy protocol version');
  if (protocol !== LEGACY_PROTOCOL) throw new SerializationError(`Invalid protocol version: ${String(protocol)}`);
  const sysInfo = next(noPersistent, 'legacy sys_info');
  if (!(sysInfo instanceof PyDict)) throw new SerializationError('corrupt legacy file: sys_info is not a dict');

  const roots = new Map<string, StorageRecord>();
  const views = new Map<string, StorageRecord>();
  const persistentLoad = (pid: unknown): unknown => {
    if (!isTuple(pid) || pid.length < 1) throw new UnpicklingError(`legacy persistent id must be a tuple, got ${describe(pid)}`);
    if (pid[0] === 'module') {
      if (weightsOnly) throw new UnpicklingError('this legacy file pickles a whole PyTorch module (Python classes), which weightsOnly refuses');
      return pid[1];
    }
    if (pid[0] !== 'storage' || pid.length !== 6) throw new UnpicklingError(`Unknown saved id type: ${describe(pid[0])}`);
    const [, type, rootKey, location, numel, view] = pid;
    const dtype = storageDtype(type);
    if (typeof rootKey !== 'string' || typeof location !== 'string') throw new UnpicklingError('legacy storage key and location must be str');
    if (typeof numel !== 'number' || !Number.isSafeInteger(numel) || numel < 0) throw new UnpicklingError(`legacy storage size must be a non-negative int, got ${describe(numel)}`);
    let root = roots.get(rootKey);
    if (!root) roots.set(rootKey, (root = new StorageRecord(rootKey, dtype, numel, location)));
    else if (root.dtype !== dtype) throw new UnpicklingError(`storage '${rootKey}' is referred to as ${root.dtype} and as ${dtype}`);
    if (view === null) return root;
    if (!isTuple(view) || view.length !== 3) throw new UnpicklingError('legacy storage view metadata must be (key, offset, size)');
    const [viewKey, offset, size] = view;
    if (typeof viewKey !== 'string') throw new UnpicklingError('legacy storage view key must be a str');
    const known = views.get(viewKey);
    if (known) return known;
    if (typeof offset !== 'number' || typeof size !== 'number' || !Number.isSafeInteger(offset) || !Number.isSafeInteger(size) || offset < 0 || size < 0 || offset + size > root.numel) {
      throw new UnpicklingError(`legacy storage view '${viewKey}' lies outside its storage '${rootKey}'`);
    }
    const rec = new StorageRecord(rootKey, dtype, size, location, offset);
    views.set(viewKey, rec);
    return rec;
  };
  const value = next(torchHooks({ weightsOnly, persistentLoad }), 'legacy data pickle');
  const keys = next(noPersistent, 'legacy storage key list');
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) throw new SerializationError('corrupt legacy file: the storage key list is not a list of str');

  // The storages follow, in the order of the key list: an int64 element count, then the raw bytes.
  const r = new ByteReader(bytes, pos, 'legacy storage data');
  const data = new Map<string, Uint8Array>();
  for (const key of keys as string[]) {
    const rec = roots.get(key);
    if (!rec) throw new SerializationError(`corrupt legacy file: storage '${key}' is listed but never referred to`);
    const n = r.i64();
    if (n < 0n || n > BigInt(Number.MAX_SAFE_INTEGER)) throw new SerializationError(`corrupt legacy file: storage '${key}' has size ${n}`);
    data.set(key, r.take(Number(n) * itemsize(rec.dtype)));
  }
  const table = new StorageTable(
    (key) => {
      const d = data.get(key);
      if (!d) throw new SerializationError(`corrupt legacy file: no data for storage '${key}'`);
      return d;
    },
    opts.mapLocation,
  );
  return finish(value, table);
}

/** Python values → JS, tensor records → tensors over shared storages, Kindling modules rebuilt. */
function finish(value: unknown, table: StorageTable): unknown {
  const out = toJs(value, (x) => {
    if (x instanceof TensorRecord) return table.tensor(x);
    if (x instanceof StorageRecord) return table.wholeStorage(x);
    return x;
  });
  return rebuildModules(out);
}

function storageDtype(type: unknown): import('@kindling/tensor').DType {
  const name = storageDtypeName(type);
  if (!name) throw new UnpicklingError(`persistent id names an unknown storage type ${describe(type)}`);
  const unsupported = UNSUPPORTED_STORAGES.get(name);
  if (unsupported) throw new UnpicklingError(`${name} (dtype ${unsupported}) is not supported by Kindling`);
  return DTYPE_OF_STORAGE.get(name)!;
}

function fromAscii(b: Uint8Array): string {
  return String.fromCharCode(...b);
}

function hexPrefix(b: Uint8Array): string {
  return Array.from(b.subarray(0, 8), (x) => x.toString(16).padStart(2, '0')).join(' ') || 'none: the file is empty';
}
