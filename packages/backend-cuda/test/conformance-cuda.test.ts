// The conformance matrix (conformance/*.test.ts: PyTorch 1.13's answers replayed on every registered
// backend) with the cuda device registered. Where CUDA is unavailable the suite is skipped with the
// reason; the cpu column runs in the conformance project itself.
import { describe, it } from 'vitest';
import { cudaStatus } from '@kindling/backend-cuda';

const status = cudaStatus();
if (status.available) {
  // Imported after @kindling/backend-cuda registered `cuda`: the suites read the registered backends at load.
  // (A computed path: the conformance project is typechecked on its own, with the webgpu types it needs.)
  // In the GPU bundle (scripts/cuda-bundle.mjs) the suites are transpiled to .js beside this file's .js.
  const dir = '../../../conformance/';
  const ext = import.meta.url.endsWith('.js') ? '.js' : '.ts';
  for (const suite of ['conformance.test', 'autograd.test']) await import(/* @vite-ignore */ `${dir}${suite}${ext}`);
} else {
  describe('conformance on cuda', () => {
    it.skip(`skipped: CUDA is not available here (${status.reason})`, () => {});
  });
}
