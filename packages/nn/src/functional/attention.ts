// Attention (handbook 5.7): F.scaled_dot_product_attention (PyTorch 2 semantics) and
// F.multi_head_attention_forward (PyTorch 1.13's, step for step, so the rounding and the dropout
// draws are the same).
import { type Tensor, arange, cat, zeros } from '@kindling/tensor';
import { type PyArgs, pyArgs } from '../args.js';
import { dropout } from './dropout.js';
import { linear } from './linear.js';
import { softmax } from './activation.js';
import { pad } from './padding.js';

const sizeStr = (s: readonly number[]) => `torch.Size([${s.join(', ')}])`;

export interface ScaledDotProductAttentionOptions {
  attnMask?: Tensor | null;
  dropoutP?: number;
  isCausal?: boolean;
  scale?: number | null;
}

/**
 * `F.scaled_dot_product_attention(query, key, value, attnMask = null, dropoutP = 0, isCausal = false, { scale })`:
 * softmax(q·kᵀ·scale + bias)·v over the last two dims (…, L, E) × (…, S, E) → (…, L, Ev), scale 1/√E by
 * default. A bool attnMask marks the positions that take part (false: masked out); a float mask is added.
 * isCausal masks position j > i (and excludes attnMask). dropoutP drops attention weights (always, as
 * PyTorch 2 does: pass 0 in eval mode).
 */
export function scaledDotProductAttention(
  query: Tensor, key: Tensor, value: Tensor,
  ...args: PyArgs<[attnMask: Tensor | null, dropoutP: number, isCausal: boolean], ScaledDotProductAttentionOptions>
): Tensor {
  const o = pyArgs('scaled_dot_product_attention', args, ['attnMask', 'dropoutP', 'isCausal'], {
    attnMask: null as Tensor | null, dropoutP: 0, isCausal: false, scale: null as number | null,
  });
  if (query.ndim < 2 || key.ndim < 2 || value.ndim < 2) throw new Error('scaled_dot_product_attention: query, key and value must be at least 2-D');
  const L = query.shape[query.ndim - 2]!;
  const S = key.shape[key.ndim - 2]!;
  const E = query.shape[query.ndim - 1]!;
  if (key.shape[key.ndim - 1] !== E) throw new Error(`scaled_dot_product_attention: query and key must have the same embedding size, got ${E} and ${key.shape[key.ndim - 1]}`);
  if (value.shape[value.ndim - 2] !== S) throw new Error(`scaled_dot_product_attention: key and value must have the same sequence length, got ${S} and ${value.shape[value.ndim - 2]}`);
  const scale = o.scale ?? 1 / Math.sqrt(E);
  let bias: Tensor | null = null;
  if (o.isCausal) {
    if (o.attnMask) throw new Error('_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True');
    bias = causalMask(L, S, query);
  }
  if (o.attnMask) {
    const m = o.attnMask;
    bias = m.dtype === 'bool' ? zeros([...m.shape], { dtype: query.dtype, device: query.device }).maskedFill(m.logicalNot(), -Infinity) : m;
  }
  let w = query.matmul(key.transpose(-2, -1)).mul(scale);
  if (bias) w = w.add(bias);
  w = softmax(w, -1);
  if (o.dropoutP > 0) w = dropout(w, o.dropoutP, true);
  return w.matmul(value);
}

/** [L, S] float mask: 0 where j ≤ i, −∞ above the diagonal. */
function causalMask(L: number, S: number, like: Tensor): Tensor {
  const above = arange(0, L, { device: like.device }).unsqueeze(1).lt(arange(0, S, { device: like.device }).unsqueeze(0));
  return zeros([L, S], { dtype: like.dtype, device: like.device }).maskedFill(above, -Infinity);
}

export interface MultiHeadAttentionForwardOptions {
  training?: boolean;
  keyPaddingMask?: Tensor | null;
  needWeights?: boolean;
  attnMask?: Tensor | null;
  useSeparateProjWeight?: boolean;
  qProjWeight?: Tensor | null;
  kProjWeight?: Tensor | null;
  vProjWeight?: Tensor | null;
  staticK?: Tensor | null;
  staticV?: Tensor | null;
  averageAttnWeights?: boolean;
}

function check(cond: boolean, msg: string): void {
  if (!cond) throw new Error(msg);
}

/** PyTorch's `_mha_shape_check`: whether the input is batched, after validating the shapes. */
function mhaShapeCheck(q: Tensor, k: Tensor, v: Tensor, kpm: Tensor | null, mask: Tensor | null, numHeads: number): boolean {
  if (q.ndim === 3) {
    check(k.ndim === 3 && v.ndim === 3, `For batched (3-D) \`query\`, expected \`key\` and \`value\` to be 3-D but found ${k.ndim}-D and ${v.ndim}-D tensors respectively`);
    if (kpm) check(kpm.ndim === 2, `For batched (3-D) \`query\`, expected \`key_padding_mask\` to be \`None\` or 2-D but found ${kpm.ndim}-D tensor instead`);
    if (mask) check(mask.ndim === 2 || mask.ndim === 3, `For batched (3-D) \`query\`, expected \`attn_mask\` to be \`None\`, 2-D or 3-D but found ${mask.ndim}-D tensor instead`);
    return true;
  }
  if (q.ndim === 2) {
    check(k.ndim === 2 && v.ndim === 2, `For unbatched (2-D) \`query\`, expected \`key\` and \`value\` to be 2-D but found ${k.ndim}-D and ${v.ndim}-D tensors respectively`);
    if (kpm) check(kpm.ndim === 1, `For unbatched (2-D) \`query\`, expected \`key_padding_mask\` to be \`None\` or 1-D but found ${kpm.ndim}-D tensor instead`);
    if (mask) {
      check(mask.ndim === 2 || mask.ndim === 3, `For unbatched (2-D) \`query\`, expected \`attn_mask\` to be \`None\`, 2-D or 3-D but found ${mask.ndim}-D tensor instead`);
      if (mask.ndim === 3) {
        const expected = [numHeads, q.shape[0]!, k.shape[0]!];
        check(mask.shape.join() === expected.join(), `Expected \`attn_mask\` shape to be (${expected.join(', ')}) but got ${sizeStr(mask.shape)}`);
      }
    }
    return false;
  }
  throw new Error(`query should be unbatched 2D or batched 3D tensor but received ${q.ndim}-D query tensor`);
}

/** `_in_projection_packed`: q, k, v projected with the packed [3E, E] weight (sharing the work when q, k, v are the same tensor). */
function inProjectionPacked(q: Tensor, k: Tensor, v: Tensor, w: Tensor, b: Tensor | null): [Tensor, Tensor, Tensor] {
  const E = q.shape[q.ndim - 1]!;
  if (k === v) {
    if (q === k) return linear(q, w, b).chunk(3, -1) as [Tensor, Tensor, Tensor];
    const [wq, wkv] = w.split([E, E * 2]) as [Tensor, Tensor];
    const [bq, bkv] = b ? (b.split([E, E * 2]) as [Tensor, Tensor]) : [null, null];
    const [kk, vv] = linear(k, wkv, bkv).chunk(2, -1) as [Tensor, Tensor];
    return [linear(q, wq, bq), kk, vv];
  }
  const [wq, wk, wv] = w.chunk(3) as [Tensor, Tensor, Tensor];
  const [bq, bk, bv] = b ? (b.chunk(3) as [Tensor, Tensor, Tensor]) : [null, null, null];
  return [linear(q, wq, bq), linear(k, wk, bk), linear(v, wv, bv)];
}

/**
 * `F.multi_head_attention_forward(query, key, value, embedDimToCheck, numHeads, inProjWeight, inProjBias,
 * biasK, biasV, addZeroAttn, dropoutP, outProjWeight, outProjBias, { training, keyPaddingMask, needWeights,
 * attnMask, useSeparateProjWeight, qProjWeight, kProjWeight, vProjWeight, staticK, staticV, averageAttnWeights })`:
 * sequence-first (L, N, E) inputs (or unbatched (L, E)); returns [output, weights or null].
 */
export function multiHeadAttentionForward(
  query: Tensor, key: Tensor, value: Tensor, embedDimToCheck: number, numHeads: number,
  inProjWeight: Tensor | null, inProjBias: Tensor | null, biasK: Tensor | null, biasV: Tensor | null, addZeroAttn: boolean,
  dropoutP: number, outProjWeight: Tensor, outProjBias: Tensor | null, opts: MultiHeadAttentionForwardOptions = {},
): [Tensor, Tensor | null] {
  const training = opts.training ?? true;
  let keyPaddingMask = opts.keyPaddingMask ?? null;
  let attnMask = opts.attnMask ?? null;
  const needWeights = opts.needWeights ?? true;
  const average = opts.averageAttnWeights ?? true;
  const isBatched = mhaShapeCheck(query, key, value, keyPaddingMask, attnMask, numHeads);
  if (!isBatched) {
    // As PyTorch: three separate tensors from here on (so the projections are not shared).
    query = query.unsqueeze(1);
    key = key.unsqueeze(1);
    value = value.unsqueeze(1);
    if (keyPaddingMask) keyPaddingMask = keyPaddingMask.unsqueeze(0);
  }
  const [tgtLen, bsz, embedDim] = query.shape as [number, number, number];
  let srcLen = key.shape[0]!;
  if (keyPaddingMask && keyPaddingMask.dtype !== 'bool' && !keyPaddingMask.isFloatingPoint()) {
    throw new Error('only bool and floating types of key_padding_mask are supported');
  }
  check(embedDim === embedDimToCheck, `was expecting embedding dimension of ${embedDimToCheck}, but got ${embedDim}`);
  const headDim = Math.floor(embedDim / numHeads);
  check(headDim * numHeads === embedDim, `embed_dim ${embedDim} not divisible by num_heads ${numHeads}`);
  if (opts.useSeparateProjWeight) {
    check(key.shape[0] === value.shape[0] && key.shape[1] === value.shape[1], `key's sequence and batch dims ${sizeStr(key.shape.slice(0, 2))} do not match value's ${sizeStr(value.shape.slice(0, 2))}`);
  } else {
    check(key.shape.join() === value.shape.join(), `key shape ${sizeStr(key.shape)} does not match value shape ${sizeStr(value.shape)}`);
  }
  let q: Tensor;
  let k: Tensor;
  let v: Tensor;
  if (!opts.useSeparateProjWeight) {
    check(inProjWeight !== null, 'use_separate_proj_weight is False but in_proj_weight is None');
    [q, k, v] = inProjectionPacked(query, key, value, inProjWeight!, inProjBias);
  } else {
    const { qProjWeight: wq, kProjWeight: wk, vProjWeight: wv } = opts;
    check(!!wq, 'use_separate_proj_weight is True but q_proj_weight is None');
    check(!!wk, 'use_separate_proj_weight is True but k_proj_weight is None');
    check(!!wv, 'use_separate_proj_weight is True but v_proj_weight is None');
    const [bq, bk, bv] = inProjBias ? (inProjBias.chunk(3) as [Tensor, Tensor, Tensor]) : [null, null, null];
    q = linear(query, wq!, bq);
    k = linear(key, wk!, bk);
    v = linear(value, wv!, bv);
  }
  // Prepare the attention mask: [1 or N·H, L, S].
  if (attnMask) {
    if (attnMask.dtype === 'uint8') attnMask = attnMask.bool();
    else check(attnMask.isFloatingPoint() || attnMask.dtype === 'bool', `Only float, byte, and bool types are supported for attn_mask, not ${attnMask.dtype}`);
    if (attnMask.ndim === 2) {
      if (attnMask.shape[0] !== tgtLen || attnMask.shape[1] !== srcLen) {
        throw new Error(`The shape of the 2D attn_mask is ${sizeStr(attnMask.shape)}, but should be (${tgtLen}, ${srcLen}).`);
      }
      attnMask = attnMask.unsqueeze(0);
    } else if (attnMask.ndim === 3) {
      const want = [bsz * numHeads, tgtLen, srcLen];
      if (attnMask.shape.join() !== want.join()) throw new Error(`The shape of the 3D attn_mask is ${sizeStr(attnMask.shape)}, but should be (${want.join(', ')}).`);
    } else {
      throw new Error(`attn_mask's dimension ${attnMask.ndim} is not supported`);
    }
  }
  if (biasK && biasV) {
    check(!opts.staticK, 'bias cannot be added to static key.');
    check(!opts.staticV, 'bias cannot be added to static value.');
    k = cat([k, biasK.repeat(1, bsz, 1)]);
    v = cat([v, biasV.repeat(1, bsz, 1)]);
    if (attnMask) attnMask = pad(attnMask, [0, 1]);
    if (keyPaddingMask) keyPaddingMask = pad(keyPaddingMask, [0, 1]);
  } else {
    check(!biasK && !biasV, 'bias_k and bias_v must both be given or both be None');
  }
  // Heads: (L, N, E) → (N·H, L, E/H).
  q = q.contiguous().view(tgtLen, bsz * numHeads, headDim).transpose(0, 1);
  if (!opts.staticK) k = k.contiguous().view(k.shape[0]!, bsz * numHeads, headDim).transpose(0, 1);
  else {
    check(opts.staticK.shape[0] === bsz * numHeads, `expecting static_k.size(0) of ${bsz * numHeads}, but got ${opts.staticK.shape[0]}`);
    check(opts.staticK.shape[2] === headDim, `expecting static_k.size(2) of ${headDim}, but got ${opts.staticK.shape[2]}`);
    k = opts.staticK;
  }
  if (!opts.staticV) v = v.contiguous().view(v.shape[0]!, bsz * numHeads, headDim).transpose(0, 1);
  else {
    check(opts.staticV.shape[0] === bsz * numHeads, `expecting static_v.size(0) of ${bsz * numHeads}, but got ${opts.staticV.shape[0]}`);
    check(opts.staticV.shape[2] === headDim, `expecting static_v.size(2) of ${headDim}, but got ${opts.staticV.shape[2]}`);
    v = opts.staticV;
  }
  if (addZeroAttn) {
    const shape = [bsz * numHeads, 1, headDim];
    k = cat([k, zeros(shape, { dtype: k.dtype, device: k.device })], 1);
    v = cat([v, zeros(shape, { dtype: v.dtype, device: v.device })], 1);
    if (attnMask) attnMask = pad(attnMask, [0, 1]);
    if (keyPaddingMask) keyPaddingMask = pad(keyPaddingMask, [0, 1]);
  }
  srcLen = k.shape[1]!;
  // Merge the key padding mask into the attention mask.
  if (keyPaddingMask) {
    const want = [bsz, srcLen];
    if (keyPaddingMask.shape.join() !== want.join()) throw new Error(`expecting key_padding_mask shape of (${want.join(', ')}), but got ${sizeStr(keyPaddingMask.shape)}`);
    const kpm = keyPaddingMask.view(bsz, 1, 1, srcLen).expand(-1, numHeads, -1, -1).reshape(bsz * numHeads, 1, srcLen);
    if (!attnMask) attnMask = kpm;
    else if (attnMask.dtype === 'bool') attnMask = attnMask.logicalOr(kpm);
    else attnMask = attnMask.maskedFill(kpm, -Infinity);
  }
  if (attnMask && attnMask.dtype === 'bool') {
    attnMask = zeros([...attnMask.shape], { dtype: q.dtype, device: q.device }).maskedFill(attnMask, -Infinity);
  }
  if (!training) dropoutP = 0;
  // (N·H, L, S) attention weights.
  const E = q.shape[2]!;
  const qScaled = q.div(Math.sqrt(E));
  let w = qScaled.bmm(k.transpose(-2, -1));
  if (attnMask) w = w.add(attnMask);
  w = softmax(w, -1);
  if (dropoutP > 0) w = dropout(w, dropoutP);
  let out = w.bmm(v);
  out = out.transpose(0, 1).contiguous().view(tgtLen * bsz, embedDim);
  out = linear(out, outProjWeight, outProjBias);
  out = out.view(tgtLen, bsz, out.shape[1]!);
  if (needWeights) {
    let weights = w.view(bsz, numHeads, tgtLen, srcLen);
    if (average) weights = weights.sum(1).div(numHeads);
    if (!isBatched) {
      out = out.squeeze(1);
      weights = weights.squeeze(0);
    }
    return [out, weights];
  }
  if (!isBatched) out = out.squeeze(1);
  return [out, null];
}
