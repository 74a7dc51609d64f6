import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    name: 'handbook',
    include: ['test/**/*.test.ts'],
    // DataLoader worker threads (10.x, 15.3) run @kindling/data's compiled dist/: bring it up to date.
    globalSetup: ['./test/helpers/global-setup.ts'],
    testTimeout: 60_000,
  },
});
