import { apiRoute } from '@/lib/api-route';
import { CHANGE_PASSWORD_LIMIT, changePassword, ZChangePasswordSchema } from '@/lib/auth/change-password';
import { db } from '@/lib/db';
import { consumeRateLimit } from '@/lib/rate-limit/consume-rate-limit';
import { rateLimitedResponse, retryPhrase } from '@/lib/rate-limit/rate-limited-response';

/**
 * POST /api/account/password { currentPassword, newPassword } → 204: the Account page's password change. Every
 * other session of the account ends, in the Hub and in SVD; this one stays. Rate-limited per account.
 */
export const POST = apiRoute({ body: ZChangePasswordSchema }, async ({ request, session, body }) => {
  const counted = await consumeRateLimit(db(), CHANGE_PASSWORD_LIMIT, session.user.id);
  if (!counted.allowed) {
    return rateLimitedResponse(
      `Too many attempts to change the password. Please try again ${retryPhrase(counted.retryAfterSeconds)}.`,
      counted.retryAfterSeconds,
    );
  }
  await changePassword(request.headers, body);
  return new Response(null, { status: 204 });
});
