import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { findSupportTarget } from './find-support-target';
import { recordAuditEntry } from './record-audit-entry';
import { auditActorFields, type TSupportActor, ZSupportReasonSchema } from './support-actor';

export const ZUnbanCustomerSchema = z.object({ reason: ZSupportReasonSchema });
export type TUnbanCustomer = z.input<typeof ZUnbanCustomerSchema>;

/**
 * Lifts a ban (admin only: giving access back to an account someone judged abusive takes a second, more senior
 * pair of eyes). The customer can sign in again at once; sessions ended by the ban stay ended.
 */
export async function unbanCustomer(
  database: TDatabase,
  actor: TSupportActor,
  userId: string,
  input: TUnbanCustomer,
): Promise<{ auditId: string }> {
  const { reason } = ZUnbanCustomerSchema.parse(input);
  return database.transaction(async (tx) => {
    const target = await findSupportTarget(tx, userId, { lock: true, allowDeleted: false });
    if (!target.bannedAt) throw new AppError('CONFLICT', `${target.email} is not banned.`);
    const [before] = await tx
      .select({ banReason: schema.user.banReason })
      .from(schema.user)
      .where(eq(schema.user.id, target.id));
    await tx
      .update(schema.user)
      .set({ bannedAt: null, banReason: null, updatedAt: new Date() })
      .where(eq(schema.user.id, target.id));
    const auditId = await recordAuditEntry(tx, {
      ...auditActorFields(actor),
      action: 'user.unban',
      targetUserId: target.id,
      reason,
      before: { bannedAt: target.bannedAt.toISOString(), banReason: before?.banReason ?? null },
      after: { bannedAt: null },
    });
    return { auditId };
  });
}
