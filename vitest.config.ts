import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The Stripe emulator's SDK-derived schemas, built once before the workers start (then cached on disk).
    globalSetup: ['packages/stripe-emulator/src/test/warm-sdk-schemas.ts'],
    projects: [
      'packages/platform',
      'packages/billing',
      'packages/db',
      'packages/mail',
      'packages/contract',
      'packages/stripe-emulator',
      'apps/hub',
      'apps/svd',
      'scripts/bench',
    ],
  },
});
