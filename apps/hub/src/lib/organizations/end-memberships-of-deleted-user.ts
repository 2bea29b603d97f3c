import { schema, type TTransaction } from '@omg/db';
import { and, eq } from 'drizzle-orm';

/**
 * In the account deletion's transaction (issue 15): the person leaves every business account — their
 * memberships are removed, so SVD refuses a team request at once and no team lists them — and the invitations
 * they sent that are still pending are withdrawn. What they uploaded to a team stays the team's.
 */
export async function endMembershipsOfDeletedUser(tx: TTransaction, userId: string): Promise<void> {
  await tx.delete(schema.membership).where(eq(schema.membership.userId, userId));
  await tx
    .update(schema.invitation)
    .set({ status: 'canceled' })
    .where(and(eq(schema.invitation.inviterId, userId), eq(schema.invitation.status, 'pending')));
}
