import { defineProject } from 'vitest/config';

// One file at a time, like the Hub: reconciliation reads every row of hub."Subscription".
export default defineProject({
  test: {
    name: 'billing',
    include: ['src/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 15_000,
    hookTimeout: 30_000,
  },
});
