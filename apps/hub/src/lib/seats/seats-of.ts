import { findProductByAppId, isLiveHubStatus, SVD_APP_ID } from '@omg/contract';
import { findOwnedSubscription, schema, type TDatabase, type TTransaction } from '@omg/db';
import { and, count, eq, gt, sql } from 'drizzle-orm';

export interface TSeats {
  /** The business plan the seats come with; null while the organization has no live business subscription. */
  plan: { id: string; name: string } | null;
  /** Seats the plan's price includes (catalog), and those bought on top (the Stripe quantity provisioning wrote). */
  included: number;
  extra: number;
  /** included + extra; null while there is no live business subscription (nothing limits members then). */
  total: number | null;
  /** Members, and pending unexpired invitations: an invitation holds its seat until it is answered or expires. */
  members: number;
  pendingInvitations: number;
  used: number;
  /** Seats still free; null without a subscription. */
  available: number | null;
  /** What one more seat costs a month, for "Add seats". */
  seatPriceCents: number | null;
  /** Whether the subscription is managed through Stripe (seats can be bought). */
  canBuySeats: boolean;
}

/**
 * An organization's seats (issue 15): its live business subscription's included and extra seats against who uses
 * one. Read fresh from the database (provisioning keeps "extraSeats" equal to Stripe's quantity), so it never waits
 * on Stripe; callers that decide (assertSeatAvailable, changeSeats) read it under the organization's seat lock.
 */
export async function seatsOf(
  db: TDatabase | TTransaction,
  organizationId: string,
  { appId = SVD_APP_ID, now = new Date() }: { appId?: string; now?: Date } = {},
): Promise<TSeats> {
  const [row, [members], [pending]] = await Promise.all([
    findOwnedSubscription(db, { owner: { organizationId }, appId }),
    db
      .select({ n: count() })
      .from(schema.membership)
      .where(eq(schema.membership.organizationId, organizationId)),
    db
      .select({ n: count() })
      .from(schema.invitation)
      .where(
        and(
          eq(schema.invitation.organizationId, organizationId),
          eq(schema.invitation.status, 'pending'),
          gt(schema.invitation.expiresAt, sql`${now.toISOString()}::timestamp`),
        ),
      ),
  ]);
  const memberCount = members?.n ?? 0;
  const pendingCount = pending?.n ?? 0;
  const used = memberCount + pendingCount;
  const plan =
    row && isLiveHubStatus(row.status)
      ? findProductByAppId(appId)?.plans.find((p) => p.id === row.plan && p.includedSeats !== null)
      : undefined;
  if (!row || !plan || plan.includedSeats === null) {
    return {
      plan: null,
      included: 0,
      extra: 0,
      total: null,
      members: memberCount,
      pendingInvitations: pendingCount,
      used,
      available: null,
      seatPriceCents: null,
      canBuySeats: false,
    };
  }
  const total = plan.includedSeats + row.extraSeats;
  return {
    plan: { id: plan.id, name: plan.name },
    included: plan.includedSeats,
    extra: row.extraSeats,
    total,
    members: memberCount,
    pendingInvitations: pendingCount,
    used,
    available: Math.max(0, total - used),
    seatPriceCents: plan.seatPriceCents,
    canBuySeats: row.stripeSubscriptionId !== null && plan.seatLookupKey !== null,
  };
}
