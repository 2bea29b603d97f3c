import { DELETE_ACCOUNT_LIMIT, deleteAccount, ZDeleteAccountSchema } from '@/lib/account/delete-account';
import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';
import { consumeRateLimit } from '@/lib/rate-limit/consume-rate-limit';
import { rateLimitedResponse, retryPhrase } from '@/lib/rate-limit/rate-limited-response';
import { stripe } from '@/lib/stripe/client';

/**
 * POST /api/account/delete { email, password } → 204: deletes the signed-in account (subscriptions canceled in
 * Stripe, signed out everywhere, sign-in gone at once; SVD's documents after the grace period).
 */
export const POST = apiRoute({ body: ZDeleteAccountSchema }, async ({ request, session, body }) => {
  const counted = await consumeRateLimit(db(), DELETE_ACCOUNT_LIMIT, session.user.id);
  if (!counted.allowed) {
    return rateLimitedResponse(
      `Too many attempts to delete the account. Please try again ${retryPhrase(counted.retryAfterSeconds)}.`,
      counted.retryAfterSeconds,
    );
  }
  await deleteAccount(db(), stripe(), request.headers, session.user, body);
  return new Response(null, { status: 204 });
});
