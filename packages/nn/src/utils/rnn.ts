// nn.utils.rnn (handbook 14.4): padding and packing variable-length sequences for the recurrent layers.
import { type Tensor, cat, full, stack, tensor } from '@kindling/tensor';
import { type PyArgs, pyArgs } from '../args.js';

/**
 * `PackedSequence(data, batchSizes, sortedIndices, unsortedIndices)`: the time steps of a batch of
 * sequences sorted by decreasing length, concatenated: `data` holds step t's `batchSizes[t]` rows in
 * turn. `sortedIndices[i]` is the original batch index of sorted position i (null: already sorted).
 */
export class PackedSequence {
  readonly data: Tensor;
  readonly batchSizes: Tensor;
  readonly sortedIndices: Tensor | null;
  readonly unsortedIndices: Tensor | null;
  constructor(data: Tensor, batchSizes: Tensor, sortedIndices: Tensor | null = null, unsortedIndices: Tensor | null = null) {
    if (batchSizes.dtype !== 'int64' || batchSizes.ndim !== 1) throw new Error('batch_sizes should be a 1-D int64 tensor');
    this.data = data;
    this.batchSizes = batchSizes;
    this.sortedIndices = sortedIndices;
    this.unsortedIndices = unsortedIndices ?? (sortedIndices ? invertPermutation(sortedIndices) : null);
  }
  /** The batch sizes as numbers. */
  batchSizesList(): number[] {
    return (this.batchSizes.tolist() as (number | bigint)[]).map(Number);
  }
  /** Same packing with `data` moved or cast; the index tensors stay as they are (as PyTorch keeps them on the data's device). */
  to(...args: Parameters<Tensor['to']>): PackedSequence {
    const data = this.data.to(...args);
    if (data === this.data) return this;
    return new PackedSequence(data, this.batchSizes, this.sortedIndices?.to(data.device) ?? null, this.unsortedIndices?.to(data.device) ?? null);
  }
  get isCuda(): boolean {
    return this.data.device.type === 'cuda';
  }
  /** Unpacks like the namedtuple: `const [data, batchSizes, sortedIndices, unsortedIndices] = packed`. */
  *[Symbol.iterator](): Iterator<Tensor | null> {
    yield this.data;
    yield this.batchSizes;
    yield this.sortedIndices;
    yield this.unsortedIndices;
  }
  toString(): string {
    return `PackedSequence(data=${String(this.data)}, batch_sizes=${String(this.batchSizes)}, sorted_indices=${String(this.sortedIndices ?? 'None')}, unsorted_indices=${String(this.unsortedIndices ?? 'None')})`;
  }
}

function invertPermutation(p: Tensor): Tensor {
  const perm = (p.tolist() as (number | bigint)[]).map(Number);
  const inv = new Array<number>(perm.length);
  perm.forEach((v, i) => (inv[v] = i));
  return tensor(inv, { dtype: 'int64', device: p.device });
}

const lengthsOf = (lengths: Tensor | readonly number[]): number[] =>
  Array.isArray(lengths) ? [...(lengths as readonly number[])] : ((lengths as Tensor).tolist() as (number | bigint)[]).map(Number);

export interface PadSequenceOptions {
  batchFirst?: boolean;
  paddingValue?: number;
}

/**
 * `pad_sequence(sequences, batchFirst = false, paddingValue = 0)`: a list of [L_i, *] tensors padded to
 * the longest, stacked as [maxL, B, *] (or [B, maxL, *] with batchFirst).
 */
export function padSequence(sequences: readonly Tensor[], ...args: PyArgs<[batchFirst: boolean, paddingValue: number], PadSequenceOptions>): Tensor {
  const o = pyArgs('pad_sequence', args, ['batchFirst', 'paddingValue'], { batchFirst: false, paddingValue: 0 });
  if (sequences.length === 0) throw new Error('received an empty list of sequences');
  const trailing = sequences[0]!.shape.slice(1);
  const maxLen = Math.max(...sequences.map((s) => s.shape[0] ?? 1));
  const rows = sequences.map((s) => {
    const seq = s.ndim === 0 ? s.reshape([1]) : s;
    if (seq.shape.slice(1).join() !== trailing.join()) {
      throw new Error(`The size of tensor a (${trailing.join(', ')}) must match the size of tensor b (${seq.shape.slice(1).join(', ')}) at non-singleton dimension 1`);
    }
    const n = seq.shape[0]!;
    if (n === maxLen) return seq;
    return cat([seq, full([maxLen - n, ...trailing], o.paddingValue, { dtype: seq.dtype, device: seq.device })], 0);
  });
  return stack(rows, o.batchFirst ? 0 : 1);
}

export interface PackPaddedOptions {
  batchFirst?: boolean;
  enforceSorted?: boolean;
}

/** Batch sizes of lengths sorted in decreasing order: bs[t] = #{b : len_b > t}. */
function batchSizesFor(sortedLengths: readonly number[]): number[] {
  const T = sortedLengths[0] ?? 0;
  const bs: number[] = [];
  for (let t = 0; t < T; t++) bs.push(sortedLengths.filter((l) => l > t).length);
  return bs;
}

/**
 * `pack_padded_sequence(input, lengths, batchFirst = false, enforceSorted = true)`: input [T, B, *]
 * (or [B, T, *]) with the given lengths as a PackedSequence. With enforceSorted the lengths must
 * already decrease; otherwise the batch is sorted here and the order is restored on unpacking.
 */
export function packPaddedSequence(input: Tensor, lengths: Tensor | readonly number[], ...args: PyArgs<[batchFirst: boolean, enforceSorted: boolean], PackPaddedOptions>): PackedSequence {
  const o = pyArgs('pack_padded_sequence', args, ['batchFirst', 'enforceSorted'], { batchFirst: false, enforceSorted: true });
  let lens = lengthsOf(lengths);
  const batchDim = o.batchFirst ? 0 : 1;
  const B = input.shape[batchDim];
  if (lens.length !== B) throw new Error(`Expected \`len(lengths)\` to be equal to batch_size, but got ${lens.length} (batch_size=${B})`);
  let sortedIndices: Tensor | null = null;
  let x = input;
  if (o.enforceSorted) {
    for (let i = 1; i < lens.length; i++) {
      if (lens[i]! > lens[i - 1]!) {
        throw new Error(
          '`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to sidestep this requirement if you do not need ONNX exportability.',
        );
      }
    }
  } else {
    // A stable sort by decreasing length, as torch.sort(descending=True) orders ties on CPU.
    const order = lens.map((_, i) => i).sort((a, b) => lens[b]! - lens[a]! || a - b);
    sortedIndices = tensor(order, { dtype: 'int64', device: input.device });
    lens = order.map((i) => lens[i]!);
    x = input.indexSelect(batchDim, sortedIndices);
  }
  if (lens.some((l) => l <= 0)) throw new Error("Length of all samples has to be greater than 0, but found an element in 'lengths' that is <= 0");
  if (o.batchFirst) x = x.transpose(0, 1);
  const T = lens[0]!;
  if (T > x.shape[0]!) throw new Error(`Expected sequence length to be larger than or equal to ${T}, but got ${x.shape[0]}`);
  const bs = batchSizesFor(lens);
  const data = cat(bs.map((b, t) => x.select(0, t).narrow(0, 0, b)), 0);
  return new PackedSequence(data, tensor(bs, { dtype: 'int64' }), sortedIndices, sortedIndices ? invertPermutation(sortedIndices) : null);
}

export interface PadPackedOptions {
  batchFirst?: boolean;
  paddingValue?: number;
  totalLength?: number | null;
}

/**
 * `pad_packed_sequence(sequence, batchFirst = false, paddingValue = 0, totalLength = null)`: the inverse of
 * packing: [padded [T, B, *] (or [B, T, *]), lengths (int64, in the original batch order)].
 */
export function padPackedSequence(sequence: PackedSequence, ...args: PyArgs<[batchFirst: boolean, paddingValue: number, totalLength: number | null], PadPackedOptions>): [Tensor, Tensor] {
  const o = pyArgs('pad_packed_sequence', args, ['batchFirst', 'paddingValue', 'totalLength'], { batchFirst: false, paddingValue: 0, totalLength: null as number | null });
  const bs = sequence.batchSizesList();
  const data = sequence.data;
  const B = bs[0] ?? 0;
  let T = bs.length;
  if (o.totalLength !== null && o.totalLength !== undefined) {
    if (o.totalLength < T) {
      throw new Error(`Expected total_length to be at least the length of the longest sequence in input, but got total_length=${o.totalLength} and max sequence length being ${T}`);
    }
    T = o.totalLength;
  }
  const trailing = data.shape.slice(1);
  const steps: Tensor[] = [];
  let offset = 0;
  for (let t = 0; t < T; t++) {
    const b = bs[t] ?? 0;
    const rows = b > 0 ? data.narrow(0, offset, b) : null;
    offset += b;
    const padRows = B - b > 0 ? full([B - b, ...trailing], o.paddingValue, { dtype: data.dtype, device: data.device }) : null;
    steps.push(rows && padRows ? cat([rows, padRows], 0) : (rows ?? padRows!));
  }
  let out = stack(steps, 0);
  const lens = Array.from({ length: B }, (_, i) => bs.filter((s) => s > i).length);
  let lengths = tensor(lens, { dtype: 'int64' });
  if (sequence.unsortedIndices) {
    out = out.indexSelect(1, sequence.unsortedIndices);
    lengths = lengths.indexSelect(0, sequence.unsortedIndices.to('cpu'));
  }
  if (o.batchFirst) out = out.transpose(0, 1);
  return [out, lengths];
}

/** `pack_sequence(sequences, enforceSorted = true)`: pad_sequence then pack_padded_sequence with the sequences' lengths. */
export function packSequence(sequences: readonly Tensor[], ...args: PyArgs<[enforceSorted: boolean], { enforceSorted?: boolean }>): PackedSequence {
  const o = pyArgs('pack_sequence', args, ['enforceSorted'], { enforceSorted: true });
  const lengths = sequences.map((s) => s.shape[0] ?? 1);
  return packPaddedSequence(padSequence(sequences), lengths, { enforceSorted: o.enforceSorted });
}

/** `unpad_sequence(padded, lengths, batchFirst = false)`: the list of unpadded sequences. */
export function unpadSequence(padded: Tensor, lengths: Tensor | readonly number[], ...args: PyArgs<[batchFirst: boolean], { batchFirst?: boolean }>): Tensor[] {
  const o = pyArgs('unpad_sequence', args, ['batchFirst'], { batchFirst: false });
  const x = o.batchFirst ? padded : padded.transpose(0, 1);
  return lengthsOf(lengths).map((l, i) => x.select(0, i).narrow(0, 0, l));
}

/** `unpack_sequence(packed)`: the list of sequences, in the original batch order. */
export function unpackSequence(packed: PackedSequence): Tensor[] {
  const [padded, lengths] = padPackedSequence(packed, { batchFirst: true });
  return unpadSequence(padded, lengths, { batchFirst: true });
}
