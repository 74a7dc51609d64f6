import { ByteReader, fromLatin1, fromUtf8 } from '../bytes.js';
import { SerializationError, UnpicklingError } from '../errors.js';
import { PyDict, PySet } from './pydict.js';
import { isTuple, markTuple } from './values.js';

/**
 * What the unpickler does with the opcodes that could run code in Python: it has no way to import or
 * call anything itself, and asks these hooks, which decide from an allowlist (see torch/globals.ts).
 */
export interface UnpicklerHooks {
  /** GLOBAL / STACK_GLOBAL: a handle for `module.name`, or throw to refuse it. */
  findGlobal(module: string, name: string): unknown;
  /** REDUCE: `fn(*args)`. */
  call(fn: unknown, args: unknown[]): unknown;
  /** NEWOBJ: `cls.__new__(cls, *args)`. */
  newObject(cls: unknown, args: unknown[]): unknown;
  /** BUILD: `obj.__setstate__(state)`. */
  build(obj: unknown, state: unknown): void;
  /** BINPERSID: the object a persistent id stands for (a storage). */
  persistentLoad(pid: unknown): unknown;
}

export interface UnpickleResult {
  value: unknown;
  /** Offset just past the STOP opcode (legacy files hold several pickles back to back). */
  end: number;
}

/** Longest integer accepted from LONG/LONG4, in bytes: enough for any real value, bounds the work. */
const MAX_LONG_BYTES = 1024;
const MAX_LINE = 1 << 16;

/**
 * Reads one pickle (protocols 0–5) from `bytes` at `offset`. It understands data opcodes only;
 * everything that would import, call or build an object goes through `hooks`. Every read is bounds
 * checked, the stacks grow only as the input does, and it never recurses, so hostile input ends in an
 * UnpicklingError, not a crash. Python containers come out as arrays (lists, tuples marked as tuples),
 * PyDict and PySet; `toJs` (convert.ts) turns them into JS values.
 */
export function unpickle(bytes: Uint8Array, hooks: UnpicklerHooks, offset = 0, what = 'pickle'): UnpickleResult {
  const r = new ByteReader(bytes, offset, what);
  let stack: unknown[] = [];
  const metastack: unknown[][] = [];
  const memo = new Map<number, unknown>();

  const fail = (msg: string): never => {
    throw new UnpicklingError(`${what}: ${msg} (at byte ${r.pos - offset})`);
  };
  const pop = (): unknown => {
    if (stack.length === 0) fail('unpickling stack underflow');
    return stack.pop();
  };
  const top = (): unknown => {
    if (stack.length === 0) fail('unpickling stack underflow');
    return stack[stack.length - 1];
  };
  const popMark = (): unknown[] => {
    const items = stack;
    const prev = metastack.pop();
    if (!prev) fail('MARK not found');
    stack = prev!;
    return items;
  };
  const lineBytes = (): Uint8Array => {
    const start = r.pos;
    const end = bytes.indexOf(0x0a, start);
    if (end < 0 || end - start > MAX_LINE) fail('unterminated text line');
    r.pos = end + 1;
    return bytes.subarray(start, end);
  };
  const line = (): string => fromUtf8(lineBytes(), `${what} text line`);
  const get = (i: number): unknown => {
    if (!memo.has(i)) fail(`memo key ${i} not found`);
    return memo.get(i);
  };
  const put = (i: number): void => {
    if (i < 0 || !Number.isSafeInteger(i)) fail(`negative or invalid memo key ${i}`);
    memo.set(i, top());
  };
  const long = (n: number): bigint | number => {
    if (n > MAX_LONG_BYTES) fail(`integer of ${n} bytes is too large`);
    return decodeLong(r.take(n));
  };
  const appendTo = (list: unknown, items: unknown[]): void => {
    if (!Array.isArray(list) || isTuple(list)) fail(`can only append to a list, not ${typeName(list)}`);
    for (const x of items) (list as unknown[]).push(x);
  };
  const setItems = (dict: unknown, items: unknown[]): void => {
    if (!(dict instanceof PyDict)) fail(`can only set items of a dict, not ${typeName(dict)}`);
    if (items.length % 2 !== 0) fail('odd number of items for SETITEMS');
    for (let i = 0; i < items.length; i += 2) (dict as PyDict).set(items[i], items[i + 1]);
  };
  const str = (n: number): string => fromUtf8(r.take(n), `${what} string`);

  try {
    for (;;) {
      const op = r.u8();
      switch (op) {
        case 0x80: { // PROTO
          const v = r.u8();
          if (v > 5) fail(`unsupported pickle protocol: ${v}`);
          break;
        }
        case 0x95: // FRAME: a length prefix only; the data follows inline.
          r.u64();
          break;
        case 0x2e: // STOP
          return { value: pop(), end: r.pos };
        case 0x28: // MARK
          metastack.push(stack);
          stack = [];
          break;
        case 0x30: // POP
          if (stack.length === 0) popMark(); // Python pops the mark when the stack is empty
          else stack.pop();
          break;
        case 0x31: // POP_MARK
          popMark();
          break;
        case 0x32: // DUP
          stack.push(top());
          break;

        // ---- scalars ---------------------------------------------------------------------------
        case 0x4e: stack.push(null); break; // NONE
        case 0x88: stack.push(true); break; // NEWTRUE
        case 0x89: stack.push(false); break; // NEWFALSE
        case 0x4b: stack.push(r.u8()); break; // BININT1
        case 0x4d: stack.push(r.u16()); break; // BININT2
        case 0x4a: stack.push(r.i32()); break; // BININT
        case 0x8a: stack.push(long(r.u8())); break; // LONG1
        case 0x8b: { // LONG4
          const n = r.i32();
          if (n < 0) fail('LONG pickle has negative byte count');
          stack.push(long(n));
          break;
        }
        case 0x47: stack.push(r.f64be()); break; // BINFLOAT
        case 0x49: { // INT (protocol 0): "I01\n" / "I00\n" are True/False
          const s = line();
          if (s === '01') stack.push(true);
          else if (s === '00') stack.push(false);
          else stack.push(parseIntText(s, fail));
          break;
        }
        case 0x4c: stack.push(parseIntText(line().replace(/L$/, ''), fail)); break; // LONG (protocol 0)
        case 0x46: { // FLOAT (protocol 0)
          const s = line();
          const v = Number(s);
          if (Number.isNaN(v) && !/^[-+]?nan$/i.test(s)) fail(`invalid float literal '${s}'`);
          stack.push(v);
          break;
        }

        // ---- strings and bytes -----------------------------------------------------------------
        case 0x56: stack.push(rawUnicodeEscape(fromLatin1(lineBytes()))); break; // UNICODE (protocol 0)
        case 0x58: stack.push(str(r.u32())); break; // BINUNICODE
        case 0x8c: stack.push(str(r.u8())); break; // SHORT_BINUNICODE
        case 0x8d: stack.push(str(r.u64())); break; // BINUNICODE8
        // Python 2 `str`: torch.load decodes it as UTF-8 (its default encoding), else latin-1.
        case 0x55: stack.push(py2str(r.take(r.u8()))); break; // SHORT_BINSTRING
        case 0x54: { // BINSTRING
          const n = r.i32();
          if (n < 0) fail('BINSTRING pickle has negative byte count');
          stack.push(py2str(r.take(n)));
          break;
        }
        case 0x43: stack.push(r.take(r.u8()).slice()); break; // SHORT_BINBYTES
        case 0x42: stack.push(r.take(r.u32()).slice()); break; // BINBYTES
        case 0x8e: stack.push(r.take(r.u64()).slice()); break; // BINBYTES8
        case 0x96: stack.push(r.take(r.u64()).slice()); break; // BYTEARRAY8

        // ---- containers ------------------------------------------------------------------------
        case 0x5d: stack.push([]); break; // EMPTY_LIST
        case 0x6c: { // LIST (popMark replaces `stack`: take the items before pushing)
          const items = popMark();
          stack.push(items);
          break;
        }
        case 0x61: { // APPEND
          const x = pop();
          appendTo(top(), [x]);
          break;
        }
        case 0x65: { // APPENDS
          const items = popMark();
          appendTo(top(), items);
          break;
        }
        case 0x29: stack.push(markTuple([])); break; // EMPTY_TUPLE
        case 0x74: { // TUPLE
          const items = markTuple(popMark());
          stack.push(items);
          break;
        }
        case 0x85: stack.push(markTuple([pop()])); break; // TUPLE1
        case 0x86: { // TUPLE2
          const b = pop();
          const a = pop();
          stack.push(markTuple([a, b]));
          break;
        }
        case 0x87: { // TUPLE3
          const c = pop();
          const b = pop();
          const a = pop();
          stack.push(markTuple([a, b, c]));
          break;
        }
        case 0x7d: stack.push(new PyDict()); break; // EMPTY_DICT
        case 0x64: { // DICT
          const d = new PyDict();
          setItems(d, popMark());
          stack.push(d);
          break;
        }
        case 0x73: { // SETITEM
          const v = pop();
          const k = pop();
          setItems(top(), [k, v]);
          break;
        }
        case 0x75: { // SETITEMS
          const items = popMark();
          setItems(top(), items);
          break;
        }
        case 0x8f: stack.push(new PySet(false)); break; // EMPTY_SET
        case 0x90: { // ADDITEMS
          const items = popMark();
          const s = top();
          if (!(s instanceof PySet) || s.frozen) fail(`can only add items to a set, not ${typeName(s)}`);
          for (const x of items) (s as PySet).add(x);
          break;
        }
        case 0x91: { // FROZENSET
          const s = new PySet(true);
          for (const x of popMark()) s.add(x);
          stack.push(s);
          break;
        }

        // ---- memo ------------------------------------------------------------------------------
        case 0x68: stack.push(get(r.u8())); break; // BINGET
        case 0x6a: stack.push(get(r.u32())); break; // LONG_BINGET
        case 0x67: stack.push(get(parseIndex(line(), fail))); break; // GET
        case 0x71: put(r.u8()); break; // BINPUT
        case 0x72: put(r.u32()); break; // LONG_BINPUT
        case 0x70: put(parseIndex(line(), fail)); break; // PUT
        case 0x94: put(memo.size); break; // MEMOIZE

        // ---- the opcodes that name code: all through the hooks ---------------------------------
        case 0x63: { // GLOBAL
          const module = line();
          const name = line();
          stack.push(hooks.findGlobal(module, name));
          break;
        }
        case 0x93: { // STACK_GLOBAL
          const name = pop();
          const module = pop();
          if (typeof module !== 'string' || typeof name !== 'string') fail('STACK_GLOBAL requires str');
          stack.push(hooks.findGlobal(module as string, name as string));
          break;
        }
        case 0x52: { // REDUCE
          const args = pop();
          const fn = pop();
          if (!isTuple(args)) fail(`REDUCE arguments must be a tuple, not ${typeName(args)}`);
          stack.push(hooks.call(fn, args as unknown[]));
          break;
        }
        case 0x81: { // NEWOBJ
          const args = pop();
          const cls = pop();
          if (!isTuple(args)) fail(`NEWOBJ arguments must be a tuple, not ${typeName(args)}`);
          stack.push(hooks.newObject(cls, args as unknown[]));
          break;
        }
        case 0x92: { // NEWOBJ_EX
          const kwargs = pop();
          const args = pop();
          const cls = pop();
          if (!isTuple(args)) fail('NEWOBJ_EX arguments must be a tuple');
          if (!(kwargs instanceof PyDict) || kwargs.size > 0) fail('NEWOBJ_EX with keyword arguments is not supported');
          stack.push(hooks.newObject(cls, args as unknown[]));
          break;
        }
        case 0x62: { // BUILD
          const state = pop();
          hooks.build(top(), state);
          break;
        }
        case 0x51: { // BINPERSID
          const pid = pop();
          stack.push(hooks.persistentLoad(pid));
          break;
        }
        case 0x50: // PERSID (protocol 0): an ASCII id
          stack.push(hooks.persistentLoad(line()));
          break;

        default:
          fail(`unsupported pickle opcode ${opName(op)}`);
      }
    }
  } catch (e) {
    if (e instanceof UnpicklingError) throw e;
    if (e instanceof SerializationError) throw new UnpicklingError(`${what} is truncated or corrupt: ${e.message}`);
    throw e;
  }
}

/** Python's `decode_long`: little-endian two's complement. */
export function decodeLong(b: Uint8Array): bigint | number {
  if (b.length === 0) return 0;
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  if (b[b.length - 1]! & 0x80) v -= 1n << BigInt(8 * b.length);
  return pyInt(v);
}

/** Python ints become numbers when exact, bigints beyond 2^53. */
export function pyInt(v: bigint): bigint | number {
  return v >= -BigInt(Number.MAX_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** Python's raw-unicode-escape, as protocol 0 writes str: \\uXXXX and \\UXXXXXXXX escapes. */
function rawUnicodeEscape(s: string): string {
  return s.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (m, u: string | undefined, U: string | undefined) => {
    const cp = parseInt(u ?? U!, 16);
    if (cp > 0x10ffff) throw new UnpicklingError(`invalid code point in ${m}`);
    return String.fromCodePoint(cp);
  });
}

function py2str(b: Uint8Array): string {
  try {
    return fromUtf8(b, 'string');
  } catch {
    return fromLatin1(b);
  }
}

function parseIntText(s: string, fail: (m: string) => never): number | bigint {
  if (!/^[-+]?\d{1,2000}$/.test(s)) fail(`invalid integer literal '${s.slice(0, 40)}'`);
  return pyInt(BigInt(s));
}

function parseIndex(s: string, fail: (m: string) => never): number {
  const v = parseIntText(s, fail);
  if (typeof v !== 'number') fail(`memo key ${s} out of range`);
  return v as number;
}

export function typeName(x: unknown): string {
  if (x === null || x === undefined) return 'NoneType';
  if (Array.isArray(x)) return isTuple(x) ? 'tuple' : 'list';
  if (x instanceof PyDict) return x.ordered ? 'OrderedDict' : 'dict';
  if (x instanceof PySet) return x.frozen ? 'frozenset' : 'set';
  if (x instanceof Uint8Array) return 'bytes';
  if (typeof x === 'number') return Number.isInteger(x) ? 'int' : 'float';
  if (typeof x === 'bigint') return 'int';
  if (typeof x === 'string') return 'str';
  if (typeof x === 'boolean') return 'bool';
  const ctor = (x as { constructor?: { name?: string } }).constructor?.name;
  return ctor ?? 'object';
}

const NAMES: Record<number, string> = {
  0x69: 'INST', 0x6f: 'OBJ', 0x82: 'EXT1', 0x83: 'EXT2', 0x84: 'EXT4', 0x97: 'NEXT_BUFFER', 0x98: 'READONLY_BUFFER',
  0x53: 'STRING',
};

function opName(op: number): string {
  const ch = op >= 0x20 && op < 0x7f ? ` '${String.fromCharCode(op)}'` : '';
  return `${NAMES[op] ?? 'byte'} 0x${op.toString(16).padStart(2, '0')}${ch}`;
}
