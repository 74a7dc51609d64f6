import { test } from 'vitest';
import * as torch from '@kindling/tensor';
import '../src/index.js';

test('gemm bench', () => {
  for (const [n, k, m] of [[3136, 576, 128], [1024, 1024, 1024]] as const) {
    const a = torch.randn(n, k);
    const w = torch.randn(m, k);
    a.matmul(w.T);
    const t0 = performance.now();
    for (let i = 0; i < 3; i++) a.matmul(w.T);
    const dt = (performance.now() - t0) / 3;
    console.log(n, k, m, dt.toFixed(1), 'ms', ((2 * n * k * m) / dt / 1e6).toFixed(2), 'GFLOP/s');
  }
}, 120000);
