// The tolerances of every nn fixture comparison, in one place: |actual − expected| ≤ atol + rtol·|expected|.
// float32 matches the project's conformance suite; float64 cases are recorded where PyTorch ran in float64.
// Never widen these to make a case pass: fix the code.
import type { DType } from '@kindling/tensor';

export const TOLERANCES: Partial<Record<DType, { rtol: number; atol: number }>> = {
  float32: { rtol: 1.3e-6, atol: 1e-5 },
  float64: { rtol: 1e-7, atol: 1e-7 },
};
