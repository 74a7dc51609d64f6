// Cases that fail for a reason outside what the conformance work may change, each with its reason.
// The suite expects these to fail; once one passes it fails, so that its entry is removed here.
export const KNOWN_FAILURES: Record<string, string> = {
  // packages/tensor/src/shape.ts broadcastShapes compares from the first shape's leading dims; PyTorch's
  // infer_size walks from the last dim and reports the first mismatch there.
  'torch.add(f32[2,3], f32[3,2])': 'broadcast error names the leading dim (shape.ts)',
  'torch.mul(i64[2,3], i32[3,2])': 'broadcast error names the leading dim (shape.ts)',
};
