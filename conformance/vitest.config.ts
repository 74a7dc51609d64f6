import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: { name: 'conformance', include: ['**/*.test.ts'], testTimeout: 120_000 },
});
