import { addressBucket, clientAddressOf } from '@omg/platform';
import { CLAIM_LANDING, claimAccount, ZClaimAccountSchema } from '@/lib/account-claim/claim-account';
import { apiRoute } from '@/lib/api-route';
import { auth } from '@/lib/auth/auth';
import { db } from '@/lib/db';
import { consumeRateLimit } from '@/lib/rate-limit/consume-rate-limit';
import { rateLimitedResponse, retryPhrase } from '@/lib/rate-limit/rate-limited-response';
import { RATE_LIMITS } from '@/lib/rate-limit/rules';

/**
 * POST /api/account/claim { token, password } → { next } and the new session's cookie (SPEC §7): a migrated
 * customer sets their first password with the mailed claim link and is signed in. Rate-limited per address.
 */
export const POST = apiRoute({ auth: false, body: ZClaimAccountSchema }, async ({ request, body }) => {
  const counted = await consumeRateLimit(
    db(),
    RATE_LIMITS.claimPerAddress,
    addressBucket(clientAddressOf(request.headers)),
  );
  if (!counted.allowed) {
    const when = retryPhrase(counted.retryAfterSeconds);
    return rateLimitedResponse(
      `Too many attempts from your network. Please try again ${when}.`,
      counted.retryAfterSeconds,
    );
  }
  const context = await auth().$context;
  const claimed = await claimAccount(db(), body, { hashPassword: (p) => context.password.hash(p) });
  // Signed in as the login form would be: better-auth's own session and cookie.
  const signIn = await auth().api.signInEmail({
    body: { email: claimed.email, password: body.password },
    headers: request.headers,
    returnHeaders: true,
  });
  const response = Response.json({ next: CLAIM_LANDING });
  for (const cookie of signIn.headers.getSetCookie()) response.headers.append('set-cookie', cookie);
  return response;
});
