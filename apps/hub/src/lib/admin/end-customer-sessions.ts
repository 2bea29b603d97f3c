import { schema, type TDatabase } from '@omg/db';
import { count, eq } from 'drizzle-orm';
import { z } from 'zod';
import { endHubSessions } from './end-hub-sessions';
import { findSupportTarget } from './find-support-target';
import { recordAuditEntry } from './record-audit-entry';
import { auditActorFields, type TSupportActor, ZSupportReasonSchema } from './support-actor';

export const ZEndCustomerSessionsSchema = z.object({ reason: ZSupportReasonSchema });
export type TEndCustomerSessions = z.input<typeof ZEndCustomerSessionsSchema>;

export interface TEndCustomerSessionsResult {
  ended: number;
  auditId: string;
}

/**
 * "End all sessions" (support): deletes every Hub session of the customer, with its audit entry, in one
 * transaction. SVD needs nothing more: each SVD request checks that the Hub session behind it is alive (single
 * logout), so the customer's SVD tabs are refused on their next request. Safe to repeat: a second call ends 0.
 */
export async function endCustomerSessions(
  database: TDatabase,
  actor: TSupportActor,
  userId: string,
  input: TEndCustomerSessions,
): Promise<TEndCustomerSessionsResult> {
  const { reason } = ZEndCustomerSessionsSchema.parse(input);
  return database.transaction(async (tx) => {
    const target = await findSupportTarget(tx, userId, { lock: true });
    const [before] = await tx
      .select({ n: count() })
      .from(schema.session)
      .where(eq(schema.session.userId, target.id));
    const ended = await endHubSessions(tx, target.id);
    const auditId = await recordAuditEntry(tx, {
      ...auditActorFields(actor),
      action: 'sessions.end',
      targetUserId: target.id,
      reason,
      before: { sessions: before?.n ?? ended },
      after: { sessions: 0 },
    });
    return { ended, auditId };
  });
}
