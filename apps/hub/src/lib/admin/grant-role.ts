import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { recordAuditEntry } from './record-audit-entry';
import { ZUserRoleSchema } from './staff-role';

export const ZGrantRoleSchema = z.object({
  email: z.string().trim().min(1, 'Give the email address of the account.'),
  role: ZUserRoleSchema,
  reason: z.string().trim().min(1, 'A reason is required.').max(1000),
  /** Who grants: 'system:cli' from `npm run admin:grant`. */
  actor: z.string().min(1),
});
export type TGrantRole = z.input<typeof ZGrantRoleSchema>;

export interface TGrantRoleResult {
  userId: string;
  email: string;
  before: string;
  after: string;
  /** False when the account already had the role: nothing changed and nothing was logged. */
  changed: boolean;
  auditId: string | null;
}

/**
 * Gives an account a role on the operator's console ('user' takes it away), with its audit entry in the same
 * transaction. Only the command line calls this (issue 14: never from a page). Unknown and deleted accounts are
 * refused with a message that says which.
 */
export async function grantRole(database: TDatabase, input: TGrantRole): Promise<TGrantRoleResult> {
  const { email, role, reason, actor } = ZGrantRoleSchema.parse(input);
  return database.transaction(async (tx) => {
    const [found] = await tx
      .select({
        id: schema.user.id,
        email: schema.user.email,
        role: schema.user.role,
        deletedAt: schema.user.deletedAt,
      })
      .from(schema.user)
      .where(eq(sql`lower(${schema.user.email})`, email.toLowerCase()))
      .for('update');
    if (!found) throw new AppError('NOT_FOUND', `No account has the address ${email}.`);
    if (found.deletedAt) {
      throw new AppError(
        'CONFLICT',
        `The account of ${found.email} was deleted; a deleted account cannot be staff.`,
      );
    }
    if (found.role === role) {
      return {
        userId: found.id,
        email: found.email,
        before: found.role,
        after: role,
        changed: false,
        auditId: null,
      };
    }
    await tx.update(schema.user).set({ role, updatedAt: new Date() }).where(eq(schema.user.id, found.id));
    const auditId = await recordAuditEntry(tx, {
      actorUserId: actor,
      actorRole: 'system',
      action: 'role.grant',
      targetUserId: found.id,
      reason,
      before: { role: found.role },
      after: { role },
    });
    return { userId: found.id, email: found.email, before: found.role, after: role, changed: true, auditId };
  });
}
