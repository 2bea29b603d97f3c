import { z } from 'zod';
import { endAccountSession } from '@/lib/account/end-account-session';
import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';

const ZParamsSchema = z.object({ id: z.string().min(1).max(200) });

/**
 * DELETE /api/account/sessions/:id → 204: signs that device out of the Hub and of SVD (its SVD sessions hang off
 * this session). 404 for a session that is not the caller's or has already ended.
 */
export const DELETE = apiRoute({ params: ZParamsSchema }, async ({ session, params }) => {
  await endAccountSession(db(), session.user.id, params.id);
  return new Response(null, { status: 204 });
});
