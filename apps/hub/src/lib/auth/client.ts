import { twoFactorClient } from 'better-auth/client/plugins';
import { createAuthClient } from 'better-auth/react';

/** Browser-side calls to the Hub's own /api/auth routes. */
export const authClient = createAuthClient({ plugins: [twoFactorClient()] });
