import { ByteWriter, utf8 } from '../bytes.js';
import { SerializationError } from '../errors.js';
import { MAX_DEPTH } from './convert.js';
import { fromLatin1 } from '../bytes.js';
import { isOrderedDict, isTuple, markTuple, orderedDictAttrs, PyGlobal, Reduce } from './values.js';

/** A value to pickle in place of another (cached by the hook, so memo identity holds). */
export class Replace {
  constructor(readonly value: unknown) {}
}

export interface PicklerHooks {
  /** A persistent id (a storage's tuple), or undefined to pickle the value itself. */
  persistentId?(value: object): unknown;
  /** How to pickle an object the pickler has no rule for (tensors, modules), or undefined. */
  reduce?(value: object, path: string): Reduce | Replace | undefined;
}

const OP = {
  MARK: 0x28, STOP: 0x2e, NONE: 0x4e, NEWTRUE: 0x88, NEWFALSE: 0x89, BININT: 0x4a, BININT1: 0x4b, BININT2: 0x4d,
  LONG1: 0x8a, LONG4: 0x8b, BINFLOAT: 0x47, BINUNICODE: 0x58, EMPTY_LIST: 0x5d, APPEND: 0x61, APPENDS: 0x65,
  EMPTY_TUPLE: 0x29, TUPLE: 0x74, TUPLE1: 0x85, TUPLE2: 0x86, TUPLE3: 0x87, EMPTY_DICT: 0x7d, SETITEM: 0x73,
  SETITEMS: 0x75, BINGET: 0x68, LONG_BINGET: 0x6a, BINPUT: 0x71, LONG_BINPUT: 0x72, GLOBAL: 0x63, REDUCE: 0x52,
  BUILD: 0x62, BINPERSID: 0x51, PROTO: 0x80,
} as const;

/** Python's pickler writes containers in batches of this many items. */
const BATCH = 1000;

const SET = new PyGlobal('__builtin__', 'set');
const BYTES = new PyGlobal('__builtin__', 'bytes');
const ENCODE = new PyGlobal('_codecs', 'encode');
const ORDERED_DICT = new PyGlobal('collections', 'OrderedDict');

/**
 * Writes pickle protocol 2 opcode for opcode as CPython's pickler does with `torch.save`'s settings:
 * BINPUT after every memoizable object, BINGET for repeats (so shared tensors, cycles and repeated
 * strings and globals are written once), batched SETITEMS/APPENDS, `__builtin__` names for protocol 2.
 * JS values map to Python as: integral numbers (safe range) and bigints → int, other numbers → float,
 * strings → str, booleans → bool, null/undefined → None, arrays → list (tuple if marked with
 * `tuple()` or loaded from a tuple), plain objects and Maps → dict (OrderedDict if marked), Sets →
 * set, Uint8Array → bytes.
 */
export class Pickler {
  private w = new ByteWriter();
  /** Objects by identity; strings and globals by value (CPython: by id, and they are interned). */
  private memo = new Map<unknown, number>();
  private strings = new Map<string, number>();
  private globals = new Map<string, number>();
  private nextMemo = 0;
  private depth = 0;

  constructor(private readonly hooks: PicklerHooks = {}) {}

  dump(value: unknown): Uint8Array {
    this.w.u8(OP.PROTO).u8(2);
    this.save(value, '');
    this.w.u8(OP.STOP);
    return this.w.toBytes();
  }

  private fail(path: string, msg: string): never {
    throw new SerializationError(`save: ${msg}${path ? ` (at ${path})` : ''}`);
  }

  private memoize(key: unknown, table: Map<unknown, number> = this.memo): void {
    const i = this.nextMemo++;
    table.set(key, i);
    if (i < 256) this.w.u8(OP.BINPUT).u8(i);
    else this.w.u8(OP.LONG_BINPUT).u32(i);
  }

  /** Write a BINGET if `key` is memoized. */
  private recall(key: unknown, table: Map<unknown, number> = this.memo): boolean {
    const i = table.get(key);
    if (i === undefined) return false;
    this.get(i);
    return true;
  }

  private get(i: number): void {
    if (i < 256) this.w.u8(OP.BINGET).u8(i);
    else this.w.u8(OP.LONG_BINGET).u32(i);
  }

  save(x: unknown, path: string): void {
    if (++this.depth > MAX_DEPTH) this.fail(path, `the object is nested more than ${MAX_DEPTH} levels deep (or contains a tuple that contains itself)`);
    try {
      this.saveValue(x, path);
    } finally {
      this.depth--;
    }
  }

  private saveValue(x: unknown, path: string): void {
    const w = this.w;
    switch (typeof x) {
      case 'undefined':
        w.u8(OP.NONE);
        return;
      case 'boolean':
        w.u8(x ? OP.NEWTRUE : OP.NEWFALSE);
        return;
      case 'number':
        if (Number.isSafeInteger(x) && !Object.is(x, -0)) this.saveInt(BigInt(x));
        else w.u8(OP.BINFLOAT).f64be(x);
        return;
      case 'bigint':
        this.saveInt(x);
        return;
      case 'string':
        if (this.recall(x, this.strings)) return;
        {
          const b = utf8(x);
          w.u8(OP.BINUNICODE).u32(b.length).bytes(b);
        }
        this.memoize(x, this.strings);
        return;
      case 'function':
      case 'symbol':
        this.fail(path, `cannot save a ${typeof x}`);
    }
    if (x === null) {
      w.u8(OP.NONE);
      return;
    }
    const obj = x as object;
    const pid = this.hooks.persistentId?.(obj);
    if (pid !== undefined) {
      this.save(pid, path);
      w.u8(OP.BINPERSID);
      return;
    }
    if (this.recall(obj)) return;
    if (obj instanceof PyGlobal) {
      if (this.recall(obj.qualname, this.globals)) return;
      w.u8(OP.GLOBAL).bytes(utf8(`${obj.module}\n${obj.name}\n`));
      this.memoize(obj.qualname, this.globals);
      return;
    }
    if (obj instanceof Reduce) {
      this.saveReduce(obj, obj, path);
      return;
    }
    const custom = this.hooks.reduce?.(obj, path);
    if (custom instanceof Reduce) {
      this.saveReduce(custom, obj, path);
      return;
    }
    if (custom instanceof Replace) {
      this.save(custom.value, path);
      const i = this.memo.get(custom.value);
      if (i !== undefined) this.memo.set(obj, i);
      return;
    }
    if (Array.isArray(obj)) {
      if (isTuple(obj)) this.saveTuple(obj, path);
      else this.saveList(obj, path);
      return;
    }
    if (obj instanceof Map) {
      w.u8(OP.EMPTY_DICT);
      this.memoize(obj);
      this.saveItems([...obj], path);
      return;
    }
    if (obj instanceof Set) {
      // Protocol 2 has no set opcodes: CPython writes set(list).
      this.saveReduce(new Reduce(SET, [[...obj]]), obj, path);
      return;
    }
    if (obj instanceof Uint8Array) {
      // Protocol 2 has no bytes opcodes either: CPython writes _codecs.encode(latin1 text, 'latin1').
      const r = obj.length === 0 ? new Reduce(BYTES, []) : new Reduce(ENCODE, [fromLatin1(obj), 'latin1']);
      this.saveReduce(r, obj, path);
      return;
    }
    if (isPlainObject(obj)) {
      const entries = Object.entries(obj);
      if (isOrderedDict(obj)) {
        const attrs = orderedDictAttrs(obj);
        const state = attrs && Object.keys(attrs).length ? attrs : undefined;
        this.saveReduce(new Reduce(ORDERED_DICT, [], state, entries), obj, path);
        return;
      }
      w.u8(OP.EMPTY_DICT);
      this.memoize(obj);
      this.saveItems(entries, path);
      return;
    }
    if (ArrayBuffer.isView(obj)) {
      this.fail(path, `cannot save a ${obj.constructor.name}; make it a tensor first (torch.fromArray)`);
    }
    this.fail(path, `cannot save an object of class ${obj.constructor?.name ?? 'Object'}`);
  }

  private saveInt(v: bigint): void {
    const w = this.w;
    if (v >= 0n && v <= 0xffn) w.u8(OP.BININT1).u8(Number(v));
    else if (v >= 0n && v <= 0xffffn) w.u8(OP.BININT2).u16(Number(v));
    else if (v >= -0x80000000n && v <= 0x7fffffffn) w.u8(OP.BININT).i32(Number(v));
    else {
      const b = encodeLong(v);
      if (b.length < 256) w.u8(OP.LONG1).u8(b.length);
      else w.u8(OP.LONG4).i32(b.length);
      w.bytes(b);
    }
  }

  private saveTuple(items: unknown[], path: string): void {
    const w = this.w;
    if (items.length === 0) {
      w.u8(OP.EMPTY_TUPLE);
      return;
    }
    if (items.length > 3) w.u8(OP.MARK);
    items.forEach((x, i) => this.save(x, `${path}[${i}]`));
    const again = this.memo.get(items);
    if (again !== undefined) {
      // The tuple was reached through its own items and written there: drop these, fetch that.
      if (items.length > 3) w.u8(0x31); // POP_MARK
      else for (let i = 0; i < items.length; i++) w.u8(0x30); // POP
      this.get(again);
      return;
    }
    w.u8(items.length === 1 ? OP.TUPLE1 : items.length === 2 ? OP.TUPLE2 : items.length === 3 ? OP.TUPLE3 : OP.TUPLE);
    this.memoize(items);
  }

  private saveList(items: unknown[], path: string): void {
    const w = this.w;
    w.u8(OP.EMPTY_LIST);
    this.memoize(items);
    for (let start = 0; start < items.length; start += BATCH) {
      const batch = items.slice(start, start + BATCH);
      if (batch.length === 1) {
        this.save(batch[0], `${path}[${start}]`);
        w.u8(OP.APPEND);
      } else {
        w.u8(OP.MARK);
        batch.forEach((x, i) => this.save(x, `${path}[${start + i}]`));
        w.u8(OP.APPENDS);
      }
    }
  }

  private saveItems(entries: readonly (readonly [unknown, unknown])[], path: string): void {
    const w = this.w;
    for (let start = 0; start < entries.length; start += BATCH) {
      const batch = entries.slice(start, start + BATCH);
      if (batch.length > 1) w.u8(OP.MARK);
      for (const [k, v] of batch) {
        this.save(k, path);
        this.save(v, `${path}${path ? '.' : ''}${typeof k === 'string' ? k : `[${String(k)}]`}`);
      }
      w.u8(batch.length > 1 ? OP.SETITEMS : OP.SETITEM);
    }
  }

  /** CPython's save_reduce: func, args, REDUCE, memoize, dict items, BUILD state. */
  private saveReduce(r: Reduce, obj: object, path: string): void {
    this.save(r.func, path);
    this.save(tupleOf(r.args), path);
    this.w.u8(OP.REDUCE);
    this.memoize(obj);
    if (r.dictItems?.length) this.saveItems(r.dictItems, path);
    if (r.state !== undefined) {
      this.save(r.state, path);
      this.w.u8(OP.BUILD);
    }
  }
}

function tupleOf(items: unknown[]): unknown[] {
  return isTuple(items) ? items : markTuple([...items]);
}

export function isPlainObject(x: object): x is Record<string, unknown> {
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** Python's `encode_long`: minimal little-endian two's complement. */
export function encodeLong(v: bigint): Uint8Array {
  if (v === 0n) return new Uint8Array(0);
  const bytes: number[] = [];
  let x = v;
  // Emit bytes until the remaining value is pure sign extension of the last byte's top bit.
  for (;;) {
    const byte = Number(x & 0xffn);
    bytes.push(byte);
    x >>= 8n;
    if ((x === 0n && (byte & 0x80) === 0) || (x === -1n && (byte & 0x80) !== 0)) break;
  }
  return Uint8Array.from(bytes);
}
