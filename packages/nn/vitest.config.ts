import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  // Gradient checks take seconds each; on a loaded 2-core CI machine the default 5 s is too tight.
  test: { name: 'nn', include: ['test/**/*.test.ts'], testTimeout: 60_000 },
});
