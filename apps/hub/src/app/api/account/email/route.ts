import { CHANGE_EMAIL_LIMIT, changeEmail, ZChangeEmailSchema } from '@/lib/account/change-email';
import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';
import { consumeRateLimit } from '@/lib/rate-limit/consume-rate-limit';
import { rateLimitedResponse, retryPhrase } from '@/lib/rate-limit/rate-limited-response';

/**
 * POST /api/account/email { newEmail, currentPassword } → { message }: mails a confirmation link to the new
 * address and a notice to the current one. The same answer whether or not the new address has an account.
 */
export const POST = apiRoute({ body: ZChangeEmailSchema }, async ({ request, session, body }) => {
  const counted = await consumeRateLimit(db(), CHANGE_EMAIL_LIMIT, session.user.id);
  if (!counted.allowed) {
    return rateLimitedResponse(
      `Too many attempts to change the email address. Please try again ${retryPhrase(counted.retryAfterSeconds)}.`,
      counted.retryAfterSeconds,
    );
  }
  return Response.json(await changeEmail(request.headers, session.user, body));
});
