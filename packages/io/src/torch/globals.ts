import { UnpicklingError } from '../errors.js';
import { PyDict, PySet } from '../pickle/pydict.js';
import type { UnpicklerHooks } from '../pickle/unpickler.js';
import { typeName } from '../pickle/unpickler.js';
import { isTuple, markTuple, PickledObject, PyGlobal } from '../pickle/values.js';
import { DTYPE_GLOBALS, DTYPE_OF_STORAGE, TENSOR_TYPES, UNSUPPORTED_STORAGES } from './dtypes.js';
import { TensorRecord, describe, tensorRecord } from './records.js';

// The allowlist: the only globals a file may name. It is PyTorch 1.13's weights-only list
// (torch/_weights_only_unpickler.py: OrderedDict, the tensor/parameter rebuild functions, storage and
// tensor type classes, dtypes, torch.Size, torch.Tensor, nn.Parameter), plus what newer PyTorch
// versions write for the same data (_rebuild_from_type_v2, _rebuild_parameter_with_state, device)
// and the builtins protocol 2 needs for sets and bytes. Each entry is implemented here, in
// TypeScript, on the data: naming a global never imports or runs anything.

interface Handler {
  call?(args: unknown[]): unknown;
  newObject?(args: unknown[]): unknown;
}

const unsupported = (what: string): Handler => ({
  call: () => {
    throw new UnpicklingError(`${what} are not supported by Kindling`);
  },
});

const HANDLERS = new Map<string, Handler>([
  ['collections.OrderedDict', { call: (a) => orderedDict(a) }],
  ['torch._utils._rebuild_tensor_v2', { call: (a) => rebuildTensor(a, 6, 7) }],
  ['torch._utils._rebuild_tensor', { call: (a) => rebuildTensor(a, 4, 4) }],
  ['torch._utils._rebuild_parameter', { call: (a) => parameter(arity(a, 3, 3, '_rebuild_parameter')[0], a[1]) }],
  ['torch._utils._rebuild_parameter_with_state', { call: (a) => parameter(arity(a, 4, 4, '_rebuild_parameter_with_state')[0], a[1]) }],
  ['torch._tensor._rebuild_from_type_v2', { call: (a) => fromType(a) }],
  ['torch.nn.parameter.Parameter', { newObject: (a) => parameter(a[0], a.length > 1 ? a[1] : true), call: (a) => parameter(a[0], a.length > 1 ? a[1] : true) }],
  ['torch.Size', { call: (a) => size(a), newObject: (a) => size(a) }],
  ['torch.Tensor', {}],
  ['torch.device', { call: (a) => device(a) }],
  ['torch._utils._rebuild_sparse_tensor', unsupported('sparse tensors')],
  ['torch._utils._rebuild_sparse_csr_tensor', unsupported('sparse CSR tensors')],
  ['torch._utils._rebuild_meta_tensor_no_storage', unsupported("tensors on the 'meta' device")],
  ['torch.serialization._get_layout', unsupported('sparse layouts')],
  ['builtins.set', { call: (a) => set(a, false) }],
  ['builtins.frozenset', { call: (a) => set(a, true) }],
  ['builtins.bytes', { call: (a) => emptyBytes(a) }],
  ['_codecs.encode', { call: (a) => encode(a) }],
]);
// Protocol 2 writes Python 3's `builtins` under its Python 2 name.
for (const n of ['set', 'frozenset', 'bytes']) HANDLERS.set(`__builtin__.${n}`, HANDLERS.get(`builtins.${n}`)!);

/** The storage class a global names, or undefined. */
export function storageDtypeName(g: unknown): string | undefined {
  if (!(g instanceof PyGlobal)) return undefined;
  if (g.module !== 'torch' && g.module !== 'torch.cuda' && g.module !== 'torch.storage') return undefined;
  if (DTYPE_OF_STORAGE.has(g.name) || UNSUPPORTED_STORAGES.has(g.name)) return g.name;
  if (g.name === 'UntypedStorage' || g.name === '_UntypedStorage') return 'ByteStorage';
  return undefined;
}

export interface TorchHookOptions {
  weightsOnly: boolean;
  persistentLoad(pid: unknown): unknown;
}

export function torchHooks(opts: TorchHookOptions): UnpicklerHooks {
  const handles = new Map<string, PyGlobal>();
  const handle = (module: string, name: string): PyGlobal => {
    const q = `${module}.${name}`;
    let g = handles.get(q);
    if (!g) handles.set(q, (g = new PyGlobal(module, name)));
    return g;
  };
  return {
    findGlobal(module, name) {
      const q = `${module}.${name}`;
      if (module === 'torch' && DTYPE_GLOBALS.has(name)) return DTYPE_GLOBALS.get(name);
      if (HANDLERS.has(q)) return handle(module, name);
      const g = handle(module, name);
      if (storageDtypeName(g)) return g;
      if ((module === 'torch' || module === 'torch.cuda') && TENSOR_TYPES.has(name)) return g;
      if (!opts.weightsOnly) return g;
      throw new UnpicklingError(
        `Weights only load failed: Unsupported global: GLOBAL ${q}. Kindling never runs code from a file: it reads ` +
          `tensors, storages and plain containers only, and this file names '${q}', which is none of those. ` +
          `Pass { weightsOnly: false } to receive inert PickledObject records for unknown classes instead (nothing is executed either way).`,
      );
    },
    call(fn, args) {
      if (!(fn instanceof PyGlobal)) throw new UnpicklingError(`REDUCE: cannot call ${describe(fn)}`);
      const h = HANDLERS.get(fn.qualname);
      if (h?.call) return h.call(args);
      if (!opts.weightsOnly && !h) return new PickledObject(fn.qualname, args);
      throw new UnpicklingError(`Trying to call reduce for unrecognized function ${fn.qualname}`);
    },
    newObject(cls, args) {
      if (!(cls instanceof PyGlobal)) throw new UnpicklingError(`NEWOBJ: cannot instantiate ${describe(cls)}`);
      const h = HANDLERS.get(cls.qualname);
      if (h?.newObject) return h.newObject(args);
      if (!opts.weightsOnly && !h) return new PickledObject(cls.qualname, args);
      throw new UnpicklingError(`Trying to instantiate unsupported class ${cls.qualname}`);
    },
    build(obj, state) {
      if (obj instanceof PyDict && obj.ordered) {
        // OrderedDict: instance attributes (a state dict's `_metadata`); (dict, slots) form too.
        const attrs = isTuple(state) ? state[0] : state;
        if (attrs === null) return;
        if (!(attrs instanceof PyDict)) throw new UnpicklingError(`BUILD: OrderedDict state must be a dict, got ${typeName(attrs)}`);
        obj.attrs = attrs;
        return;
      }
      if (obj instanceof TensorRecord && isEmptyState(state)) return;
      if (obj instanceof PickledObject) {
        obj.state = state;
        return;
      }
      throw new UnpicklingError(`BUILD: can only build Tensor, Parameter or OrderedDict objects, but got ${typeName(obj)}`);
    },
    persistentLoad: (pid) => opts.persistentLoad(pid),
  };
}

function isEmptyState(s: unknown): boolean {
  return s === null || (s instanceof PyDict && s.size === 0) || (Array.isArray(s) && s.every(isEmptyState));
}

function arity(a: unknown[], min: number, max: number, what: string): unknown[] {
  if (a.length < min || a.length > max) {
    throw new UnpicklingError(`${what} takes ${min === max ? min : `${min} to ${max}`} arguments, got ${a.length}`);
  }
  return a;
}

function rebuildTensor(a: unknown[], min: number, max: number): TensorRecord {
  arity(a, min, max, min === 4 ? '_rebuild_tensor' : '_rebuild_tensor_v2');
  return tensorRecord(a[0], a[1], a[2], a[3], min === 4 ? false : a[4]);
}

function parameter(data: unknown, requiresGrad: unknown): TensorRecord {
  if (!(data instanceof TensorRecord)) throw new UnpicklingError(`Parameter: expected a tensor, got ${describe(data)}`);
  if (typeof requiresGrad !== 'boolean') throw new UnpicklingError(`Parameter: requires_grad must be a bool, got ${describe(requiresGrad)}`);
  return new TensorRecord(data.storage, data.offset, data.size, data.stride, requiresGrad, true);
}

function fromType(a: unknown[]): TensorRecord {
  const [func, type, args, state] = arity(a, 4, 4, '_rebuild_from_type_v2');
  const h = func instanceof PyGlobal ? HANDLERS.get(func.qualname) : undefined;
  if (!h?.call || !isTuple(args)) throw new UnpicklingError(`_rebuild_from_type_v2: cannot call ${describe(func)}`);
  const typeName = type instanceof PyGlobal ? type.qualname : describe(type);
  if (typeName !== 'torch.Tensor' && typeName !== 'torch.nn.parameter.Parameter') {
    throw new UnpicklingError(`_rebuild_from_type_v2: tensor subclass ${typeName} is not supported`);
  }
  if (!isEmptyState(state)) throw new UnpicklingError('_rebuild_from_type_v2: tensors with Python attributes are not supported');
  const t = h.call(args);
  if (!(t instanceof TensorRecord)) throw new UnpicklingError('_rebuild_from_type_v2: the rebuild function did not return a tensor');
  return typeName === 'torch.Tensor' ? t : new TensorRecord(t.storage, t.offset, t.size, t.stride, t.requiresGrad, true);
}

function orderedDict(a: unknown[]): PyDict {
  const d = new PyDict();
  d.ordered = true;
  if (a.length === 0) return d;
  const items = a[0];
  if (a.length !== 1 || !Array.isArray(items)) throw new UnpicklingError('OrderedDict: expected no arguments or a list of pairs');
  for (const pair of items) {
    if (!Array.isArray(pair) || pair.length !== 2) throw new UnpicklingError('OrderedDict: items must be (key, value) pairs');
    d.set(pair[0], pair[1]);
  }
  return d;
}

function size(a: unknown[]): unknown[] {
  const dims = a.length === 0 ? [] : a[0];
  if (a.length > 1 || !Array.isArray(dims) || !dims.every((d) => typeof d === 'number' && Number.isSafeInteger(d))) {
    throw new UnpicklingError('torch.Size: expected a tuple of ints');
  }
  return markTuple([...dims]);
}

function device(a: unknown[]): string {
  const [type, index] = a;
  if (typeof type !== 'string' || !/^[a-z][a-z0-9_]*(:\d+)?$/.test(type)) throw new UnpicklingError(`torch.device: invalid device ${describe(type)}`);
  if (index === undefined || index === null) return type;
  if (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0) throw new UnpicklingError('torch.device: invalid index');
  return `${type}:${index}`;
}

function set(a: unknown[], frozen: boolean): PySet {
  const s = new PySet(frozen);
  if (a.length === 0) return s;
  if (a.length !== 1 || !Array.isArray(a[0])) throw new UnpicklingError(`${frozen ? 'frozenset' : 'set'}: expected a list`);
  for (const x of a[0]) s.add(x);
  return s;
}

function emptyBytes(a: unknown[]): Uint8Array {
  if (a.length !== 0) throw new UnpicklingError('bytes: only bytes() with no arguments is accepted');
  return new Uint8Array(0);
}

function encode(a: unknown[]): Uint8Array {
  const [s, enc] = a;
  if (typeof s !== 'string' || (enc !== 'latin1' && enc !== 'latin-1') || a.length !== 2) {
    throw new UnpicklingError("_codecs.encode: only (str, 'latin1'), as protocol 2 writes bytes, is accepted");
  }
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) throw new UnpicklingError('_codecs.encode: character outside latin-1');
    out[i] = c;
  }
  return out;
}
