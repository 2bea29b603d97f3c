import { assertPassThroughJson } from '@omg/platform';
import { toNextJsHandler } from 'better-auth/next-js';
import { apiRoute } from '@/lib/api-route';
import { auth } from '@/lib/auth/auth';

// better-auth reads the session and the body itself; apiRoute adds request ids, logs, the cross-site rule (403)
// and JSON-only bodies (415), so sign-out and "sign out everywhere" are as protected as every other route.
const passThrough = { auth: false } as const;

/** better-auth's routes (sign-up, sign-in, sign-out, session, revoke-sessions). */
export const GET = apiRoute(passThrough, ({ request }) => toNextJsHandler(auth()).GET(request));
export const POST = apiRoute(passThrough, async ({ request }) => {
  // No zod schema of ours sees these bodies: depth, control characters and length are checked here (400).
  await assertPassThroughJson(request);
  return toNextJsHandler(auth()).POST(request);
});
