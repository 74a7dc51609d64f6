import type { Tensor } from '@kindling/tensor';
export { coalesce } from '@kindling/tensor';

/** Strides of `t` seen at `shape` (broadcast dims get stride 0), in elements. */
export function broadcastStrides(t: Tensor, shape: readonly number[]): number[] {
  const off = shape.length - t.ndim;
  return shape.map((_, i) => {
    const j = i - off;
    return j < 0 || t.shape[j] === 1 ? 0 : t._strides[j]!;
  });
}



/**
 * WGSL that turns the linear index `i` over a shape (P[base..base+nd)) into element offsets `e0…`
 * of operands whose offset and strides follow at P[first + k*(nd+1)]: the walk every strided kernel
 * shares. Declares `var e<k>: u32`.
 */
export function stridedOffsets(count: number, nd: string, shapeAt: string, firstOperandAt: string, index: string): string {
  const lines: string[] = [];
  for (let k = 0; k < count; k++) lines.push(`var e${k} = P[${firstOperandAt} + ${k}u * (${nd} + 1u)];`);
  lines.push(`var rest = ${index};`);
  lines.push(`for (var d = ${nd}; d > 0u; d--) {`);
  lines.push(`  let size = P[${shapeAt} + d - 1u]; let c = rest % size; rest = rest / size;`);
  for (let k = 0; k < count; k++) lines.push(`  e${k} += c * P[${firstOperandAt} + ${k}u * (${nd} + 1u) + d];`);
  lines.push('}');
  return lines.join('\n  ');
}

/** Parameters for `stridedOffsets`: shape, then each operand's offset and strides. */
export function stridedParams(shape: readonly number[], operands: readonly { offset: number; strides: readonly number[] }[]): number[] {
  const p: number[] = [...shape];
  for (const o of operands) p.push(o.offset, ...o.strides);
  return p;
}

/** The global invocation index in a 2-D grid of 256-wide workgroups. */
export const MAIN_256 = `@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = (wid.y * nwg.x + wid.x) * 256u + lid;`;
