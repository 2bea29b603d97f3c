import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { endHubSessions } from './end-hub-sessions';
import { findSupportTarget } from './find-support-target';
import { recordAuditEntry } from './record-audit-entry';
import { auditActorFields, type TSupportActor, ZSupportReasonSchema } from './support-actor';

export const ZBanCustomerSchema = z.object({ reason: ZSupportReasonSchema });
export type TBanCustomer = z.input<typeof ZBanCustomerSchema>;

export interface TBanCustomerResult {
  bannedAt: Date;
  sessionsEnded: number;
  auditId: string;
}

/**
 * Bans a customer (support may ban: stopping abuse cannot wait for an admin; only an admin lifts a ban). One
 * transaction sets core."User".bannedAt, ends every Hub session (so SVD refuses the next request too, through
 * single logout) and writes the audit entry; from then on better-auth's session hook (auth.ts) refuses every kind
 * of sign-in. Staff accounts and your own are refused (take a staff role away first), and so is a second ban.
 */
export async function banCustomer(
  database: TDatabase,
  actor: TSupportActor,
  userId: string,
  input: TBanCustomer,
): Promise<TBanCustomerResult> {
  const { reason } = ZBanCustomerSchema.parse(input);
  return database.transaction(async (tx) => {
    const target = await findSupportTarget(tx, userId, { lock: true, allowDeleted: false });
    if (target.id === actor.staff.userId) throw new AppError('CONFLICT', 'You cannot ban your own account.');
    if (target.role !== 'user') {
      throw new AppError(
        'CONFLICT',
        `${target.email} is ${target.role} staff; take the role away (npm run admin:grant) before banning.`,
      );
    }
    if (target.bannedAt) {
      throw new AppError(
        'CONFLICT',
        `${target.email} is already banned (since ${target.bannedAt.toISOString()}).`,
      );
    }
    const bannedAt = new Date();
    await tx
      .update(schema.user)
      .set({ bannedAt, banReason: reason, updatedAt: bannedAt })
      .where(eq(schema.user.id, target.id));
    const sessionsEnded = await endHubSessions(tx, target.id);
    const auditId = await recordAuditEntry(tx, {
      ...auditActorFields(actor),
      action: 'user.ban',
      targetUserId: target.id,
      reason,
      before: { bannedAt: null, sessions: sessionsEnded },
      after: { bannedAt: bannedAt.toISOString(), sessions: 0 },
    });
    return { bannedAt, sessionsEnded, auditId };
  });
}
