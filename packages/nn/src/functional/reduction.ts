// The `reduction` argument shared by every loss.
import type { Tensor } from '@kindling/tensor';

export type Reduction = 'none' | 'mean' | 'sum';
export interface ReductionOptions {
  reduction?: Reduction;
}

/** PyTorch's `_Reduction.get_enum` check, with its message. */
export function checkReduction(reduction: string): Reduction {
  if (reduction !== 'none' && reduction !== 'mean' && reduction !== 'sum') throw new Error(`${reduction} is not a valid value for reduction`);
  return reduction;
}

export function reduce(loss: Tensor, reduction: Reduction = 'mean'): Tensor {
  switch (checkReduction(reduction)) {
    case 'none': return loss;
    case 'sum': return loss.sum();
    default: return loss.mean();
  }
}

const TYPE_NAMES: Record<string, string> = {
  float32: 'Float', float64: 'Double', float16: 'Half', bfloat16: 'BFloat16', int64: 'Long', int32: 'Int', int16: 'Short', int8: 'Char', uint8: 'Byte', bool: 'Bool',
};
/** PyTorch's scalar type name of a dtype (`Long`, `Float`), as its error messages print it. */
export function scalarTypeName(dtype: string): string {
  return TYPE_NAMES[dtype] ?? dtype;
}
export const sizeRepr = (t: Tensor) => `torch.Size([${t.shape.join(', ')}])`;
