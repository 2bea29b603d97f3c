import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'mail', include: ['src/**/*.test.ts'], fileParallelism: false },
});
