// Handbook 5.6 循环层 (recurrent layers): the section's code block in TypeScript, run as a test that checks
// the values and shapes its comments state.
import { describe, expect, test } from 'vitest';
import * as torch from 'kindling';
import { nn } from 'kindling';
import type { Tensor } from 'kindling';

describe('handbook 5.6 recurrent layers', () => {
  test('LSTM (2 layers, bidirectional, batch_first, dropout), GRU, and a manual LSTMCell loop', () => {
    // LSTM
    const lstm = new nn.LSTM({
      inputSize: 128,
      hiddenSize: 256,
      numLayers: 2,
      batchFirst: true, // 输入形状 [batch, seq, feature]
      bidirectional: true,
      dropout: 0.5,
    });
    const x = torch.randn(32, 50, 128); // [batch, seq_len, input_size]
    const [output, [hN, cN]] = lstm.forward(x);
    expect(output.shape).toEqual([32, 50, 512]); // 双向所以 256*2
    expect(hN.shape).toEqual([4, 32, 256]); // 2层*双向, batch, hidden
    expect(cN.shape).toEqual([4, 32, 256]);

    // GRU
    const gru = new nn.GRU(128, 256, { numLayers: 2, batchFirst: true });
    const [gOut, gH] = gru.forward(x);
    expect(gOut.shape).toEqual([32, 50, 256]);
    expect(gH.shape).toEqual([2, 32, 256]);

    // 手动循环 (使用 Cell)
    const lstmCell = new nn.LSTMCell(128, 256);
    let h = torch.zeros(32, 256);
    let c = torch.zeros(32, 256);
    const outputs: Tensor[] = [];
    for (let t = 0; t < 50; t++) {
      [h, c] = lstmCell.forward(x.index(':', t, ':'), [h, c]);
      outputs.push(h);
    }
    const stacked = torch.stack(outputs, 1);
    expect(stacked.shape).toEqual([32, 50, 256]);
  }, 120_000);

  test('the table: RNN, RNNCell, GRUCell', () => {
    const rnn = new nn.RNN(10, 20, 2);
    const [out, hn] = rnn.forward(torch.randn(5, 3, 10), torch.randn(2, 3, 20));
    expect(out.shape).toEqual([5, 3, 20]);
    expect(hn.shape).toEqual([2, 3, 20]);
    expect(new nn.RNNCell(10, 20).forward(torch.randn(3, 10)).shape).toEqual([3, 20]);
    expect(new nn.GRUCell(10, 20).forward(torch.randn(3, 10), torch.randn(3, 20)).shape).toEqual([3, 20]);
  });
});
