import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'install',
    include: ['test/**/*.test.ts'],
    // Packing and three npm installs (with a native build) take a while on a 2-core machine.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
