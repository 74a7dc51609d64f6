import { type Tensor, numel } from '@kindling/tensor';
import { gpu } from '../backend.js';
import { raisingPrelude } from '../device-errors.js';
import { withHelpers } from '../wgsl/helpers.js';
import { type Bindings, bindTensors, PARAMS_DECL } from './bindings.js';
import { coalesce, MAIN_256, stridedOffsets, stridedParams } from './layout.js';

export interface GridSpec {
  /** Identifies the generated code (with the binding pattern): op, dtypes, variant. */
  readonly key: string;
  /** One invocation per index of this shape. */
  readonly shape: readonly number[];
  readonly outputs: readonly Tensor[];
  readonly inputs: readonly Tensor[];
  /** Each operand's strides over `shape` (outputs first), in elements. */
  readonly strides: readonly (readonly number[])[];
  /** Up to 4 words the body reads as P[2]…P[5]. */
  readonly extra?: readonly number[];
  /** Bind every output as atomics (read-modify-write kernels). */
  readonly atomicOutputs?: boolean;
  /** More words after the operands' layouts; the body finds them at P[tailAt]. */
  readonly tail?: readonly number[];
  /** WGSL declared before the entry point (helper functions over the bindings). */
  readonly prelude?: string;
  /**
   * The kernel can raise: the op's sequence number (GpuContext.nextSeq). The device error flag is
   * bound after the tensors, the number is the last parameter word, and the body may call `k_raise`,
   * `k_check_index` and `k_failed` (device-errors.ts).
   */
  readonly raises?: number;
  /** Statements run at each index, with element offsets e0, e1… of the operands and the index `i`. */
  readonly body: (b: Bindings) => string;
}

const codeCache = new Map<string, string>();

/**
 * The shared shape of most kernels: one invocation per element of a (coalesced) grid, each operand
 * addressed by its own offset and strides. Parameters: P = [n, nd, extra×4, shape, (offset, strides)…].
 */
export function runGrid(spec: GridSpec): void {
  const n = numel(spec.shape);
  if (n === 0) return;
  const operands = [...spec.outputs, ...spec.inputs];
  const raises = spec.raises !== undefined;
  const b = bindTensors(spec.outputs, spec.inputs, spec.atomicOutputs, raises ? 1 : 0);
  const c = coalesce(spec.shape, spec.strides);
  const nd = c.shape.length;
  const key = `${spec.key}|${b.key}${raises ? '|raises' : ''}`;
  let code = codeCache.get(key);
  if (code === undefined) {
    code = withHelpers(`${PARAMS_DECL}
${b.decls}
${raises ? raisingPrelude(b.buffers.length + 1) : ''}
${spec.prelude ?? ''}
${MAIN_256}
  if (i >= P[0]) { return; }
  let nd = P[1];
  let tailAt = 6u + nd + ${operands.length}u * (nd + 1u);
  ${stridedOffsets(operands.length, 'nd', '6u', '6u + nd', 'i')}
  ${spec.body(b)}
}`);
    codeCache.set(key, code);
  }
  const extras = [0, 0, 0, 0];
  spec.extra?.forEach((v, i) => (extras[i] = v));
  const params = stridedParams(c.shape, operands.map((t, k) => ({ offset: t._offset, strides: c.strides[k]! })));
  const ctx = gpu();
  const words = [n, nd, ...extras, ...params, ...(spec.tail ?? [])];
  if (raises) words.push(spec.raises!);
  ctx.dispatch(code, words, raises ? [...b.buffers, ctx.errorBuffer] : b.buffers, n);
}
