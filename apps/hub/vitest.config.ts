import path from 'node:path';
import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { alias: { '@': path.resolve(import.meta.dirname, 'src') } },
  // tsconfig keeps JSX for Next.js ("preserve"); the mail templates run under Vitest too, so compile it here.
  oxc: { jsx: { runtime: 'automatic' } },
  test: {
    name: 'hub',
    include: ['src/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 15_000,
    hookTimeout: 30_000,
  },
});
