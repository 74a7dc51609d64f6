import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    name: 'data',
    include: ['test/**/*.test.ts'],
    // Worker threads run the compiled package (dist/), not these TypeScript sources: build it first.
    globalSetup: ['./test/global-setup.ts'],
    // Worker tests start threads that import the whole tensor library; on a 2-core machine that
    // takes a few hundred milliseconds per pool.
    testTimeout: 30_000,
  },
});
