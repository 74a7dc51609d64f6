import { defineConfig } from 'vitest/config';

// Tests import workspace packages through their `source` export condition, so they run
// against TypeScript sources without a build step.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    projects: [
      'packages/*',
      'conformance',
      // The golden suite once more on the cpu backend's TypeScript kernels (what browsers and machines
      // without the native addon run).
      {
        extends: './conformance/vitest.config.ts',
        test: {
          name: 'conformance-ts',
          root: './conformance',
          include: ['conformance.test.ts'],
          env: { KINDLING_NO_NATIVE: '1', KINDLING_CONFORMANCE_BACKENDS: 'cpu' },
        },
      },
      // nn's tests, PyTorch fixtures with input and parameter gradients included, once more on the
      // TypeScript kernels, where the fused ops (batch norm, relu's and max pooling's gradients, the
      // convolution's weight gradient) run as their decompositions, as on every device without them.
      {
        extends: './packages/nn/vitest.config.ts',
        test: {
          name: 'nn-ts',
          root: './packages/nn',
          env: { KINDLING_NO_NATIVE: '1' },
        },
      },
      'examples/handbook',
      'examples/browser',
      'tests/*',
    ],
  },
});
