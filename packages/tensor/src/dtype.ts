/**
 * Dtypes are plain strings so that they compare by value even when two copies of the package
 * are loaded; `torch.float32 === 'float32'`.
 */
export type DType =
  | 'float32' | 'float64' | 'float16' | 'bfloat16'
  | 'int8' | 'uint8' | 'int16' | 'int32' | 'int64'
  | 'bool';

export const float32: DType = 'float32';
export const float64: DType = 'float64';
export const float16: DType = 'float16';
export const bfloat16: DType = 'bfloat16';
export const int8: DType = 'int8';
export const uint8: DType = 'uint8';
export const int16: DType = 'int16';
export const int32: DType = 'int32';
export const int64: DType = 'int64';
export const bool: DType = 'bool';
// PyTorch's aliases.
export const float: DType = 'float32';
export const double: DType = 'float64';
export const half: DType = 'float16';
export const short: DType = 'int16';
export const int: DType = 'int32';
export const long: DType = 'int64';

export const ALL_DTYPES: readonly DType[] = [
  'bool', 'uint8', 'int8', 'int16', 'int32', 'int64', 'float16', 'bfloat16', 'float32', 'float64',
];

const ITEMSIZE: Record<DType, number> = {
  bool: 1, uint8: 1, int8: 1, int16: 2, int32: 4, int64: 8, float16: 2, bfloat16: 2, float32: 4, float64: 8,
};

export function isDType(x: unknown): x is DType {
  return typeof x === 'string' && x in ITEMSIZE;
}

export function itemsize(d: DType): number {
  return ITEMSIZE[d];
}

export function isFloatingPoint(d: DType): boolean {
  return d === 'float32' || d === 'float64' || d === 'float16' || d === 'bfloat16';
}

export function isIntegral(d: DType, includeBool = false): boolean {
  return d === 'bool' ? includeBool : !isFloatingPoint(d);
}

/** Category used by type promotion: bool < integer < floating. */
export type Category = 0 | 1 | 2;
export function category(d: DType): Category {
  return d === 'bool' ? 0 : isFloatingPoint(d) ? 2 : 1;
}

/** PyTorch's name for a dtype: `torch.float32`. */
export function dtypeName(d: DType): string {
  return `torch.${d}`;
}

/** Legacy tensor type names used by `x.type()` / `x.type(torch.FloatTensor)`. */
const TYPE_NAMES: Record<DType, string> = {
  float32: 'FloatTensor', float64: 'DoubleTensor', float16: 'HalfTensor', bfloat16: 'BFloat16Tensor',
  int8: 'CharTensor', uint8: 'ByteTensor', int16: 'ShortTensor', int32: 'IntTensor', int64: 'LongTensor',
  bool: 'BoolTensor',
};
export function legacyTypeName(d: DType): string {
  return `torch.${TYPE_NAMES[d]}`;
}
export function dtypeFromLegacyTypeName(name: string): DType | undefined {
  const short = name.replace(/^torch\./, '');
  return (Object.keys(TYPE_NAMES) as DType[]).find((d) => TYPE_NAMES[d] === short);
}

// Index order for the promotion lattice: u1 i1 i2 i4 i8 f2 f4 f8 b1 bf
const LATTICE_ORDER: DType[] = ['uint8', 'int8', 'int16', 'int32', 'int64', 'float16', 'float32', 'float64', 'bool', 'bfloat16'];
// PyTorch's c10 promoteTypes table, restricted to the dtypes Kindling has.
const u1 = 'uint8', i1 = 'int8', i2 = 'int16', i4 = 'int32', i8 = 'int64', f2 = 'float16', f4 = 'float32', f8 = 'float64', b1 = 'bool', bf = 'bfloat16';
const LATTICE: DType[][] = [
  /* u1 */ [u1, i2, i2, i4, i8, f2, f4, f8, u1, bf],
  /* i1 */ [i2, i1, i2, i4, i8, f2, f4, f8, i1, bf],
  /* i2 */ [i2, i2, i2, i4, i8, f2, f4, f8, i2, bf],
  /* i4 */ [i4, i4, i4, i4, i8, f2, f4, f8, i4, bf],
  /* i8 */ [i8, i8, i8, i8, i8, f2, f4, f8, i8, bf],
  /* f2 */ [f2, f2, f2, f2, f2, f2, f4, f8, f2, f4],
  /* f4 */ [f4, f4, f4, f4, f4, f4, f4, f8, f4, f4],
  /* f8 */ [f8, f8, f8, f8, f8, f8, f8, f8, f8, f8],
  /* b1 */ [u1, i1, i2, i4, i8, f2, f4, f8, b1, bf],
  /* bf */ [bf, bf, bf, bf, bf, f4, f4, f8, bf, bf],
];

/** `torch.promote_types(a, b)`. */
export function promoteTypes(a: DType, b: DType): DType {
  return LATTICE[LATTICE_ORDER.indexOf(a)]![LATTICE_ORDER.indexOf(b)]!;
}

let defaultFloat: DType = 'float32';
/** `torch.get_default_dtype()`. */
export function getDefaultDtype(): DType {
  return defaultFloat;
}
/** `torch.set_default_dtype(d)`: only floating dtypes, as in PyTorch. */
export function setDefaultDtype(d: DType): void {
  if (d !== 'float32' && d !== 'float64') {
    throw new TypeError(`only floating-point types are supported as the default type, got ${dtypeName(d)}`);
  }
  defaultFloat = d;
}

/** An operand of type promotion: a tensor's dtype and rank, or a JS scalar. */
export type PromotionOperand = { dtype: DType; dim: number } | number | boolean | bigint;

function scalarCategory(s: number | boolean | bigint): Category {
  if (typeof s === 'boolean') return 0;
  if (typeof s === 'bigint') return 1;
  return Number.isInteger(s) ? 1 : 2;
}

function combineCategories(higher: DType | undefined, lower: DType | undefined): DType | undefined {
  if (higher === undefined) return lower;
  if (isFloatingPoint(higher)) return higher;
  if (lower !== undefined && (higher === 'bool' || isFloatingPoint(lower))) return promoteTypes(higher, lower);
  return higher;
}

/**
 * `torch.result_type`, with PyTorch's priorities: tensors with dimensions, then zero-dim tensors,
 * then scalars; a lower-priority operand only matters when it is of a higher category.
 * A JS number counts as an integer scalar when it is integral (JS cannot tell `2.0` from `2`).
 */
export function resultType(...operands: PromotionOperand[]): DType {
  let dimResult: DType | undefined;
  let zeroResult: DType | undefined;
  let scalarResult: DType | undefined;
  const acc = (cur: DType | undefined, d: DType) => (cur === undefined ? d : promoteTypes(cur, d));
  for (const op of operands) {
    if (typeof op === 'object') {
      if (op.dim > 0) dimResult = acc(dimResult, op.dtype);
      else zeroResult = acc(zeroResult, op.dtype);
    } else {
      const c = scalarCategory(op);
      scalarResult = acc(scalarResult, c === 0 ? 'bool' : c === 1 ? 'int64' : defaultFloat);
    }
  }
  const r = combineCategories(dimResult, combineCategories(zeroResult, scalarResult));
  if (r === undefined) throw new Error('result_type: expected at least one operand');
  return r;
}

export function canCast(from: DType, to: DType): boolean {
  return category(from) <= category(to);
}
