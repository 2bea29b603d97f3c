import {
  EXPORT_ACCOUNT_DATA_LIMIT,
  exportAccountData,
  exportFilename,
} from '@/lib/account/export-account-data';
import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';
import { consumeRateLimit } from '@/lib/rate-limit/consume-rate-limit';
import { rateLimitedResponse, retryPhrase } from '@/lib/rate-limit/rate-limited-response';

/**
 * GET /api/account/export → the account's data as a JSON attachment, streamed. Five exports an hour per account.
 */
export const GET = apiRoute({}, async ({ session }) => {
  const counted = await consumeRateLimit(db(), EXPORT_ACCOUNT_DATA_LIMIT, session.user.id);
  if (!counted.allowed) {
    return rateLimitedResponse(
      `You have downloaded your data several times already. Please try again ${retryPhrase(counted.retryAfterSeconds)}.`,
      counted.retryAfterSeconds,
    );
  }
  const chunks = exportAccountData(db(), session.user.id);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="${exportFilename(new Date())}"`,
      'cache-control': 'no-store',
    },
  });
});
