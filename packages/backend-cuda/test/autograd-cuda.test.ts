// The autograd conformance suite (conformance/autograd.test.ts: forward values, grad_fn names and
// gradients against PyTorch 1.13 on every registered backend) with the cuda device registered. Where
// CUDA is unavailable it is skipped with the reason; the cpu column runs in the conformance project.
import { describe, it } from 'vitest';
import { cudaStatus } from '@kindling/backend-cuda';

const status = cudaStatus();
if (status.available) {
  // Imported after @kindling/backend-cuda registered `cuda`: the suite reads the registered backends at load.
  // (A computed path: the conformance project is typechecked on its own, with the webgpu types it needs.
  // In the GPU bundle, scripts/cuda-bundle.mjs, the suite is transpiled to .js beside this file's .js.)
  const ext = import.meta.url.endsWith('.js') ? '.js' : '.ts';
  await import(/* @vite-ignore */ `../../../conformance/autograd.test${ext}`);
} else {
  describe('autograd conformance on cuda', () => {
    it.skip(`skipped: CUDA is not available here (${status.reason})`, () => {});
  });
}
