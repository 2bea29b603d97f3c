import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      'packages/platform',
      'packages/billing',
      'packages/db',
      'packages/mail',
      'packages/contract',
      'packages/stripe-emulator',
      'apps/hub',
      'apps/svd',
    ],
  },
});
