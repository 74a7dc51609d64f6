// The conformance matrix (conformance/conformance.test.ts: PyTorch 1.13's answers replayed on every
// registered backend) with the cuda device registered. Where CUDA is unavailable it is skipped with
// the reason; the cpu column runs in the conformance project itself.
import { describe, it } from 'vitest';
import { cudaStatus } from '@kindling/backend-cuda';

const status = cudaStatus();
if (status.available) {
  // Imported after @kindling/backend-cuda registered `cuda`: the suite reads the registered backends at load.
  // (A computed path: the conformance project is typechecked on its own, with the webgpu types it needs.
  // In the GPU bundle, scripts/cuda-bundle.mjs, the suite is transpiled to .js beside this file's .js.)
  const ext = import.meta.url.endsWith('.js') ? '.js' : '.ts';
  await import(/* @vite-ignore */ `../../../conformance/conformance.test${ext}`);
} else {
  describe('conformance on cuda', () => {
    it.skip(`skipped: CUDA is not available here (${status.reason})`, () => {});
  });
}
