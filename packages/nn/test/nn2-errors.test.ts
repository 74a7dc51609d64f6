// Misuse gets PyTorch's error (fixtures/nn2/errors.json holds PyTorch 1.13's message for each call), and
// changes nothing.
import { describe, expect, test } from 'vitest';
import * as torch from '@kindling/tensor';
import * as nn from '../src/index.js';
import { loadFixture } from './nn2-harness.js';

const F = nn.functional;
const r = (...s: number[]) => torch.randn(s);
const { packPaddedSequence, padPackedSequence, packSequence } = nn.utils.rnn;

const calls: Record<string, () => unknown> = {
  'conv/channels': () => new nn.Conv2d(3, 8, 3).forward(r(1, 4, 8, 8)),
  'conv/kernel-too-big': () => new nn.Conv2d(3, 8, 5).forward(r(1, 3, 3, 3)),
  'conv/input-dims': () => new nn.Conv2d(3, 8, 3).forward(r(3, 8)),
  'conv/same-strided': () => new nn.Conv2d(3, 8, 3, { stride: 2, padding: 'same' }),
  'conv/bad-padding-string': () => new nn.Conv2d(3, 8, 3, { padding: 'full' as 'same' }),
  'conv/bad-padding-mode': () => new nn.Conv2d(3, 8, 3, { paddingMode: 'mirror' as 'zeros' }),
  'conv/groups-in': () => new nn.Conv2d(3, 8, 3, { groups: 2 }),
  'conv/groups-out': () => new nn.Conv2d(4, 6, 3, { groups: 4 }),
  'conv/negative-padding': () => F.conv2d(r(1, 2, 5, 5), r(3, 2, 3, 3), { padding: -1 }),
  'conv/zero-stride': () => F.conv2d(r(1, 2, 5, 5), r(3, 2, 3, 3), { stride: 0 }),
  'conv-transpose/padding-mode': () => new nn.ConvTranspose2d(2, 3, 3, { paddingMode: 'reflect' }),
  'conv-transpose/output-size': () => new nn.ConvTranspose2d(2, 3, 3, { stride: 2 }).forward(r(1, 2, 4, 4), [12, 12]),
  'unfold/2d-input': () => F.unfold(r(4, 5), 2),
  'fold/blocks': () => F.fold(r(1, 12, 10), [4, 5], 2),
  'maxpool/pad': () => new nn.MaxPool2d(3, { padding: 2 }).forward(r(1, 3, 8, 8)),
  'maxpool/too-small': () => new nn.MaxPool2d(3).forward(r(1, 3, 2, 2)),
  'avgpool/too-small': () => new nn.AvgPool2d(3).forward(r(1, 3, 2, 2)),
  'avgpool/pad': () => new nn.AvgPool2d(2, { padding: 2 }).forward(r(1, 3, 8, 8)),
  'maxunpool/output-size': () => {
    const [y, idx] = F.maxPool2d(r(1, 1, 4, 4), 2, { returnIndices: true });
    return new nn.MaxUnpool2d(2).forward(y, idx, [9, 9]);
  },
  'pad/reflect-too-large': () => F.pad(r(1, 3, 2), [3, 3], { mode: 'reflect' }),
  'pad/odd-length': () => F.pad(r(2, 3), [1]),
  'pad/value-with-reflect': () => F.pad(r(1, 2, 3), [1, 1], { mode: 'reflect', value: 1 }),
  'pad/circular-length': () => F.pad(r(2, 3, 4), [1, 1, 1, 1], { mode: 'circular' }),
  'pad/non-constant-dims': () => F.pad(r(2, 3, 4, 5), [1, 1], { mode: 'replicate' }),
  'rnn/input-size': () => new nn.LSTM(10, 20).forward(r(5, 3, 8)),
  'rnn/hidden-size': () => new nn.GRU(10, 20, 2).forward(r(5, 3, 10), r(1, 3, 20)),
  'rnn/lstm-hidden0': () => new nn.LSTM(10, 20).forward(r(5, 3, 10), [r(2, 3, 20), r(1, 3, 20)]),
  'rnn/lstm-hidden1': () => new nn.LSTM(10, 20).forward(r(5, 3, 10), [r(1, 3, 20), r(1, 3, 21)]),
  'rnn/proj-size': () => new nn.LSTM(10, 20, { projSize: 20 }),
  'rnn/dropout': () => new nn.LSTM(10, 20, { dropout: 1.5 }),
  'rnn/unbatched-hidden-dims': () => new nn.RNN(4, 5).forward(r(3, 4), r(1, 1, 5)),
  'cell/input-size': () => new nn.LSTMCell(4, 5).forward(r(3, 6)),
  'cell/hidden-batch': () => new nn.GRUCell(4, 5).forward(r(3, 4), r(2, 5)),
  'pack/unsorted': () => packPaddedSequence(r(4, 3, 2), [2, 4, 1]),
  'pack/zero-length': () => packPaddedSequence(r(4, 3, 2), [4, 2, 0]),
  'pack/lengths-count': () => packPaddedSequence(r(4, 3, 2), [4, 2]),
  'unpack/total-length': () => padPackedSequence(packSequence([r(4, 2), r(2, 2)]), { totalLength: 3 }),
  'mha/heads': () => new nn.MultiheadAttention(10, 3),
  'mha/attn-mask-shape': () => new nn.MultiheadAttention(8, 2).forward(r(4, 2, 8), r(4, 2, 8), r(4, 2, 8), { attnMask: torch.zeros(3, 3) }),
  'mha/kpm-dtype': () => new nn.MultiheadAttention(8, 2).forward(r(4, 2, 8), r(4, 2, 8), r(4, 2, 8), { keyPaddingMask: torch.zeros([2, 4], { dtype: 'int64' }) }),
  'mha/kpm-shape': () => new nn.MultiheadAttention(8, 2).forward(r(4, 2, 8), r(4, 2, 8), r(4, 2, 8), { keyPaddingMask: torch.zeros([2, 5], { dtype: 'bool' }) }),
  'mha/embed-dim': () => new nn.MultiheadAttention(8, 2).forward(r(4, 2, 6), r(4, 2, 6), r(4, 2, 6)),
  'transformer/batch': () => new nn.Transformer(8, 2, 1, 1, 16).forward(r(5, 2, 8), r(3, 3, 8)),
  'transformer/d-model': () => new nn.Transformer(8, 2, 1, 1, 16).forward(r(5, 2, 8), r(3, 2, 6)),
};

/** Where Kindling's message deliberately differs from PyTorch's (which is an internal one there). */
const OURS: Record<string, string> = {
  'unfold/2d-input': 'Input Error: Only 3D or 4D input Tensors are supported (got 2D)',
};

describe('misuse gives PyTorch’s error (fixtures/nn2/errors.json)', () => {
  for (const c of loadFixture('errors').cases) {
    test(c.id, () => {
      const call = calls[c.id];
      expect(call, `no call for ${c.id}`).toBeTruthy();
      let message: string | null = null;
      try {
        call!();
      } catch (e) {
        message = (e as Error).message.split('\n')[0]!;
      }
      expect(message, `${c.id} did not throw`).not.toBeNull();
      expect(message).toBe(OURS[c.id] ?? c.message);
    });
  }
  test('every fixture case has a call', () => {
    expect(Object.keys(calls).sort()).toEqual(loadFixture('errors').cases.map((c) => c.id).sort());
  });
});

describe('a refused call changes nothing', () => {
  test('a conv layer keeps its weights and the input keeps its values', () => {
    const conv = new nn.Conv2d(3, 4, 3);
    const before = conv.weight.clone();
    const x = r(1, 5, 6, 6);
    const xb = x.clone();
    expect(() => conv.forward(x)).toThrow();
    expect(conv.weight.equal(before)).toBe(true);
    expect(x.equal(xb)).toBe(true);
  });
  test('a recurrent layer with a bad hidden state keeps its state', () => {
    const gru = new nn.GRU(3, 4);
    const sd = Object.entries(gru.stateDict()).map(([k, v]) => [k, v.clone()] as const);
    expect(() => gru.forward(r(2, 1, 3), r(2, 1, 4))).toThrow();
    for (const [k, v] of sd) expect(gru.stateDict()[k]!.equal(v)).toBe(true);
  });
});
