import type { DType } from '@kindling/tensor';

// The names PyTorch pickles for each dtype's storage class (`torch.FloatStorage`), both ways.

export const STORAGE_OF_DTYPE: Record<DType, string> = {
  float32: 'FloatStorage',
  float64: 'DoubleStorage',
  float16: 'HalfStorage',
  bfloat16: 'BFloat16Storage',
  uint8: 'ByteStorage',
  int8: 'CharStorage',
  int16: 'ShortStorage',
  int32: 'IntStorage',
  int64: 'LongStorage',
  bool: 'BoolStorage',
};

export const DTYPE_OF_STORAGE: ReadonlyMap<string, DType> = new Map(
  Object.entries(STORAGE_OF_DTYPE).map(([d, s]) => [s, d as DType]),
);

/** Storage classes PyTorch has and Kindling cannot hold, with the dtype to name in the error. */
export const UNSUPPORTED_STORAGES: ReadonlyMap<string, string> = new Map([
  ['ComplexFloatStorage', 'complex64'],
  ['ComplexDoubleStorage', 'complex128'],
  ['QUInt8Storage', 'quint8'],
  ['QInt8Storage', 'qint8'],
  ['QInt32Storage', 'qint32'],
  ['QUInt4x2Storage', 'quint4x2'],
  ['QUInt2x4Storage', 'quint2x4'],
]);

/** `torch.<name>` dtype globals (as in `{'dtype': torch.float32}`) → the value loaded. */
export const DTYPE_GLOBALS: ReadonlyMap<string, string> = new Map([
  ['float32', 'float32'], ['float', 'float32'], ['float64', 'float64'], ['double', 'float64'],
  ['float16', 'float16'], ['half', 'float16'], ['bfloat16', 'bfloat16'], ['uint8', 'uint8'], ['int8', 'int8'],
  ['int16', 'int16'], ['short', 'int16'], ['int32', 'int32'], ['int', 'int32'], ['int64', 'int64'], ['long', 'int64'],
  ['bool', 'bool'], ['complex32', 'complex32'], ['complex64', 'complex64'], ['complex128', 'complex128'],
]);

/** Legacy tensor type classes (`torch.FloatTensor`), which PyTorch's weights-only unpickler allows. */
export const TENSOR_TYPES: ReadonlySet<string> = new Set(
  ['Float', 'Double', 'Half', 'BFloat16', 'Byte', 'Char', 'Short', 'Int', 'Long', 'Bool'].map((p) => `${p}Tensor`),
);
