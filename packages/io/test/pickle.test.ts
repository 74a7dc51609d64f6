// The pickler writes what CPython's pickler writes; the unpickler reads every protocol's data opcodes
// and refuses, with a clear error, everything that would import or run code.
import { describe, expect, it } from 'vitest';
import { PickledObject, UnpicklingError, isOrderedDict, isTuple, tuple } from '../src/index.js';
import { toJs } from '../src/pickle/convert.js';
import { Pickler } from '../src/pickle/pickler.js';
import { unpickle } from '../src/pickle/unpickler.js';
import { torchHooks } from '../src/torch/globals.js';

const hex = (s: string) => Uint8Array.from(s.match(/../g)!.map((b) => parseInt(b, 16)));
const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** Unpickle bytes the way `load` does, minus storages. */
function loads(bytes: Uint8Array, weightsOnly = true): unknown {
  const hooks = torchHooks({
    weightsOnly,
    persistentLoad: () => {
      throw new UnpicklingError('no storages here');
    },
  });
  return toJs(unpickle(bytes, hooks).value, (x) => x);
}

// pickle.dumps({...}, protocol=2) from CPython 3 (the same settings torch.save uses).
const CPYTHON_P2 =
  '80027d71002858010000006171014b0158010000006271025d710328473ff80000000000004e88896558010000006371044b014b02867105580300000062696771068a0900000000000000004058030000006e656771074affffffff58040000006e33303071084d2c0158040000006e37306b71094a7011010058040000006e626967710a8a060000000000ff580100000073710b580600000068c3a96c6c6f710c580100000065710d2958020000007434710e284b014b024b034b0474710f58020000006c3171105d711158010000007871126158030000007365747113635f5f6275696c74696e5f5f0a7365740a71145d71154b0561857116527117580200000062797118635f636f646563730a656e636f64650a7119580300000000c3bf711a58060000006c6174696e31711b86711c52711d58020000006562711e635f5f6275696c74696e5f5f0a62797465730a711f29527120752e';
const VALUE = {
  a: 1, b: [1.5, null, true, false], c: tuple(1, 2), big: 2n ** 70n, neg: -1, n300: 300, n70k: 70000, nbig: -(2 ** 40), s: 'héllo',
  e: tuple(), t4: tuple(1, 2, 3, 4), l1: ['x'], set: new Set([5]), by: new Uint8Array([0, 255]), eb: new Uint8Array(0),
};

describe('pickler', () => {
  it('writes protocol 2 exactly as CPython does', () => {
    expect(Buffer.from(new Pickler().dump(VALUE)).toString('hex')).toBe(CPYTHON_P2);
  });

  it('memoizes repeated objects and strings, keeps cycles', () => {
    const shared = [1];
    const bytes = new Pickler().dump({ x: shared, y: shared, s1: 'same', s2: 'same' });
    const back = loads(bytes) as Record<string, unknown>;
    expect(back['x']).toBe(back['y']);
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    const again = loads(new Pickler().dump(cyclic)) as Record<string, unknown>;
    expect(again['self']).toBe(again);
  });

  it('uses LONG_BINPUT/LONG_BINGET past 256 memo entries', () => {
    const strings = Array.from({ length: 600 }, (_, i) => `s${i}`);
    const back = loads(new Pickler().dump([strings, strings])) as string[][];
    expect(back[0]).toBe(back[1]);
    expect(back[0]![599]).toBe('s599');
  });
});

describe('unpickler: data opcodes of every protocol', () => {
  it('protocol 2 (CPython)', () => {
    const v = loads(hex(CPYTHON_P2)) as Record<string, unknown>;
    expect(v).toEqual({ ...VALUE, by: new Uint8Array([0, 255]), eb: new Uint8Array(0) });
    expect(isTuple(v['c'])).toBe(true);
    expect(isTuple(v['b'])).toBe(false);
  });

  it('protocol 4: FRAME, SHORT_BINUNICODE, MEMOIZE, STACK_GLOBAL OrderedDict, sets, frozensets, bytes', () => {
    const p4 =
      '800495a2010000000000007d94288c026f64948c0b636f6c6c656374696f6e73948c0b4f72646572656444696374949394295294288c0178944b018c0179944b028c017a948694758c02667394284b0191948c0173948f94284b014b02908c01629443026162948c016c945d94284b014b014b01658c017594582c010000' +
      '78'.repeat(300) +
      '94752e';
    const v = loads(hex(p4)) as Record<string, unknown>;
    expect(isOrderedDict(v['od'])).toBe(true);
    expect(v['od']).toEqual({ x: 1, y: [2, 'z'] });
    expect(v['fs']).toEqual(new Set([1]));
    expect(v['s']).toEqual(new Set([1, 2]));
    expect(v['b']).toEqual(new Uint8Array([97, 98]));
    expect(v['l']).toEqual([1, 1, 1]);
    expect(v['u']).toBe('x'.repeat(300));
  });

  it('protocol 5: BYTEARRAY8', () => {
    expect(loads(hex('8005951a000000000000005d9428960200000000000000787994473ff4000000000000652e'))).toEqual([new Uint8Array([120, 121]), 1.25]);
  });

  it('protocol 0: text opcodes', () => {
    expect(loads(ascii('(lp0\nI1\naF2.5\naVh\\u00e9\np1\naI01\na.'))).toEqual([1, 2.5, 'hé', true]);
  });
});

describe('unpickler: refuses what would run code, and malformed streams', () => {
  const cases: [string, Uint8Array, RegExp][] = [
    ['GLOBAL os.system', hex('80026365780a73797374656d0a2e'.replace('6578', '6f73')), /Unsupported global: GLOBAL os\.system/],
    ['STACK_GLOBAL subprocess.Popen', hex('80048c0a73756270726f63657373948c05506f70656e94932e'), /Unsupported global: GLOBAL subprocess\.Popen/],
    ['copy_reg._reconstructor (a pickled object)', ascii('ccopy_reg\n_reconstructor\n.'), /GLOBAL copy_reg\._reconstructor/],
    ['INST', ascii('(ios\nsystem\n.'), /unsupported pickle opcode INST/],
    ['OBJ', ascii('(o.'), /unsupported pickle opcode OBJ/],
    ['EXT1', hex('8002820a2e'), /unsupported pickle opcode EXT1/],
    ['REDUCE of a non-global', hex('80024b0129522e'), /REDUCE: cannot call 1/],
    ['REDUCE of an allowed non-callable', ascii('ctorch\nFloatStorage\n)R.'), /unrecognized function torch\.FloatStorage/],
    ['NEWOBJ of a non-class', hex('80024b0129812e'), /NEWOBJ: cannot instantiate 1/],
    ['BUILD on a list', hex('80025d7d622e'), /can only build Tensor, Parameter or OrderedDict/],
    ['APPEND to a tuple', hex('8002294b01612e'), /can only append to a list, not tuple/],
    ['SETITEM on a list', hex('80025d4b014b02732e'), /can only set items of a dict, not list/],
    ['stack underflow', hex('8002612e'), /stack underflow/],
    ['POP_MARK without MARK', hex('8002312e'), /MARK not found/],
    ['memo miss', hex('8002680a2e'), /memo key 10 not found/],
    ['truncated string', hex('800258ffffff00616263'), /truncated or corrupt/],
    ['no STOP', hex('80024b01'), /truncated or corrupt/],
    ['huge LONG4', hex('80028bffffff7f'), /integer of 2147483647 bytes is too large/],
    ['invalid UTF-8', hex('80025802000000c3282e'), /not valid UTF-8/],
    ['unhashable key', hex('80027d5d4b01732e'), /unhashable type: 'list'/],
    ['protocol 6', hex('80062e'), /unsupported pickle protocol: 6/],
    ['persistent id of a non-storage', hex('80024b01512e'), /no storages here/],
  ];
  it.each(cases)('%s', (_, bytes, message) => {
    expect(() => loads(bytes)).toThrow(UnpicklingError);
    expect(() => loads(bytes)).toThrow(message);
  });

  it('weightsOnly: false builds inert PickledObjects (class name, args, state); nothing is called', () => {
    const obj = loads(hex('8002636d796d6f640a466f6f0a7100298171017d71022858010000006171034b0158010000006271045d71054b026175622e'), false) as PickledObject;
    expect(obj).toBeInstanceOf(PickledObject);
    expect(obj.className).toBe('mymod.Foo');
    expect(obj.args).toEqual([]);
    expect(obj.state).toEqual({ a: 1, b: [2] });
    const p0 = loads(ascii('ccopy_reg\n_reconstructor\np0\n(cmymod\nFoo\np1\nc__builtin__\nobject\np2\nNtp3\nRp4\n(dp5\nVa\np6\nI1\nsVb\np7\n(lp8\nI2\nasb.'), false) as PickledObject;
    expect(p0.className).toBe('copy_reg._reconstructor');
    expect(p0.state).toEqual({ a: 1, b: [2] });
  });

  it('deep nesting is an error, not a stack overflow', () => {
    const n = 20_000;
    const bytes = new Uint8Array(2 + 2 * n);
    bytes.set([0x80, 2]);
    bytes.fill(0x5d, 2, 2 + n); // EMPTY_LIST × n
    bytes.fill(0x61, 2 + n, 1 + 2 * n); // APPEND × (n − 1)
    bytes[bytes.length - 1] = 0x2e;
    expect(() => loads(bytes)).toThrow(/nested more than 1000 levels/);
  });

  it('dict keys compare as in Python (1 == 1.0 == True)', () => {
    // {1: 'a', True: 'b', 1.0: 'c'} → one key, the first, with the last value.
    const bytes = hex('80027d28' + '4b01' + '58010000006' + '1' + '88' + '58010000006' + '2' + '473ff0000000000000' + '58010000006' + '3' + '752e');
    expect(loads(bytes)).toEqual({ 1: 'c' });
  });
});
