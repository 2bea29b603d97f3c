import { formatBillingDay } from '@omg/contract';
import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { findSupportTarget } from './find-support-target';
import { recordAuditEntry } from './record-audit-entry';
import { auditActorFields, type TSupportActor, ZSupportReasonSchema } from './support-actor';

export const ZRevokeCompSchema = z.object({ reason: ZSupportReasonSchema });
export type TRevokeComp = z.input<typeof ZRevokeCompSchema>;

/**
 * Ends a comp early (admin, as granting is). The row stays, with who revoked it and when, so the history of what
 * was given survives; the customer is back on their own subscription (or none) on their next request.
 */
export async function revokeComp(
  database: TDatabase,
  actor: TSupportActor,
  userId: string,
  compId: string,
  input: TRevokeComp,
  now = new Date(),
): Promise<{ revokedAt: Date; auditId: string }> {
  const { reason } = ZRevokeCompSchema.parse(input);
  return database.transaction(async (tx) => {
    const target = await findSupportTarget(tx, userId, { lock: true });
    const [comp] = z.uuid().safeParse(compId).success
      ? await tx
          .select()
          .from(schema.comp)
          .where(and(eq(schema.comp.id, compId), eq(schema.comp.userId, target.id)))
      : [];
    if (!comp) throw new AppError('NOT_FOUND', 'This customer has no such comp.');
    if (comp.revokedAt) {
      throw new AppError('CONFLICT', `This comp was already revoked on ${formatBillingDay(comp.revokedAt)}.`);
    }
    if (comp.endsAt <= now) {
      throw new AppError('CONFLICT', `This comp already ended on ${formatBillingDay(comp.endsAt)}.`);
    }
    await tx
      .update(schema.comp)
      .set({ revokedAt: now, revokedBy: actor.staff.userId })
      .where(eq(schema.comp.id, comp.id));
    const auditId = await recordAuditEntry(tx, {
      ...auditActorFields(actor),
      action: 'comp.revoke',
      targetUserId: target.id,
      reason,
      before: { compId: comp.id, appId: comp.appId, plan: comp.plan, endsAt: comp.endsAt.toISOString() },
      after: { compId: comp.id, revokedAt: now.toISOString() },
    });
    return { revokedAt: now, auditId };
  });
}
