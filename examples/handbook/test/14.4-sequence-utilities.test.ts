// Handbook 14.4 序列处理工具 (sequence utilities): the section's code block in TypeScript, run as a test that checks
// the values and shapes its comments state.
import { describe, expect, test } from 'vitest';
import * as torch from 'kindling';
import { nn } from 'kindling';

const { padSequence, packPaddedSequence, padPackedSequence } = nn.utils.rnn;

describe('handbook 14.4 sequence utilities', () => {
  test('pad_sequence, pack_padded_sequence (enforce_sorted=False), pad_packed_sequence', () => {
    // 填充序列
    const sequences = [torch.tensor([1, 2, 3]), torch.tensor([4, 5]), torch.tensor([6, 7, 8, 9])];
    const padded = padSequence(sequences, { batchFirst: true, paddingValue: 0 });
    expect(padded.tolist()).toEqual([
      [1, 2, 3, 0],
      [4, 5, 0, 0],
      [6, 7, 8, 9],
    ]);

    // 打包填充序列 (RNN使用)
    const lengths = torch.tensor([3, 2, 4]);
    const packed = packPaddedSequence(padded, lengths, { batchFirst: true, enforceSorted: false });
    expect(packed.data.tolist()).toEqual([6, 1, 4, 7, 2, 5, 8, 3, 9]);
    expect(packed.batchSizes.tolist()).toEqual([3, 3, 2, 1]);
    expect(packed.sortedIndices!.tolist()).toEqual([2, 0, 1]);
    expect(packed.unsortedIndices!.tolist()).toEqual([1, 2, 0]);

    // 解包
    const [output, outLengths] = padPackedSequence(packed, { batchFirst: true });
    expect(output.equal(padded)).toBe(true);
    expect(outLengths.tolist()).toEqual([3, 2, 4]);
  });

  test('packed sequences through an LSTM match the per-sequence results', () => {
    const lstm = new nn.LSTM(3, 4, { batchFirst: true });
    const seqs = [torch.randn(3, 3), torch.randn(2, 3), torch.randn(4, 3)];
    const packed = packPaddedSequence(padSequence(seqs, { batchFirst: true }), [3, 2, 4], { batchFirst: true, enforceSorted: false });
    const [out, [h]] = lstm.forward(packed);
    const [padded, lens] = padPackedSequence(out, { batchFirst: true });
    expect(lens.tolist()).toEqual([3, 2, 4]);
    seqs.forEach((s, i) => {
      const [o, [hi]] = lstm.forward(s.unsqueeze(0));
      expect(padded.index(i).narrow(0, 0, s.shape[0]!).allclose(o.squeeze(0), { atol: 1e-6 })).toBe(true);
      expect(h.index(':', i).allclose(hi.index(':', 0), { atol: 1e-6 })).toBe(true);
    });
  });
});
