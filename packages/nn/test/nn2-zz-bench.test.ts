import { test } from 'vitest';
import * as torch from '@kindling/tensor';
import { nn } from './nn2-api.js';

const time = (label: string, f: () => unknown) => {
  f();
  const t0 = performance.now();
  const r = f();
  console.log(label, (performance.now() - t0).toFixed(1), 'ms');
  return r;
};
test('cnn parts', () => {
  const x = torch.randn(16, 64, 14, 14);
  const conv = new nn.Conv2d(64, 128, 3, { padding: 1 });
  const cols = time('im2col', () => torch.dispatch1('im2col', [x], { kernel: [3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1], outSize: [14, 14], padValue: 0 }));
  const a = cols.reshape([16 * 196, 576]);
  const w = conv.weight.detach().reshape([128, 576]);
  const y = time('mm', () => a.matmul(w.T));
  time('bias', () => y.add(conv.bias!.detach()));
  const y3 = y.reshape([16, 196, 128]);
  time('permute-contig', () => y3.permute(0, 2, 1).contiguous());
  time('conv total', () => conv.forward(x));
  const bn = new nn.BatchNorm2d(64);
  time('bn', () => bn.forward(x));
  time('relu', () => x.relu());
  time('maxpool', () => nn.functional.maxPool2d(x, 2, 2));
  time('col2im', () => torch.dispatch1('col2im', [cols], { kernel: [3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1], outSize: [14, 14], inSize: [14, 14] }));
  const g = torch.randn(16 * 196, 128);
  time('mm dA', () => g.matmul(w));
  time('mm dW', () => a.T.matmul(g));
  const xr = x.clone().requiresGrad_(true);
  const out = time('conv fwd (grad)', () => conv.forward(xr));
  time('conv bwd', () => out.backward(torch.onesLike(out)));
}, 600000);
