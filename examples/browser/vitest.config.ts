import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    name: 'browser',
    include: ['test/**/*.test.ts'],
    // The Node run of the training uses the TypeScript kernels, the ones a browser runs, so that the
    // page's losses and Node's can be compared exactly (the native addon sums in another order).
    env: { KINDLING_NO_NATIVE: '1' },
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
