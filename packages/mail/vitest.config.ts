import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'mail',
    include: ['src/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 15_000,
    hookTimeout: 30_000,
  },
});
