import { listAccountSessions } from '@/lib/account/list-account-sessions';
import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';

/** GET /api/account/sessions → { sessions }: the account's signed-in devices, this one marked `current`. */
export const GET = apiRoute({}, async ({ session }) =>
  Response.json({ sessions: await listAccountSessions(db(), session.user.id, session.session.id) }),
);
