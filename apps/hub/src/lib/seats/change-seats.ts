import { idOf, provisionAndResolve } from '@omg/billing';
import { type TDatabase, withAdvisoryLock } from '@omg/db';
import { AppError } from '@omg/platform';
import type Stripe from 'stripe';
import { assertSeatsCover, resolveSeatChange } from './seat-change-target';
import { seatLockKey } from './seat-lock-key';
import { seatsOf, type TSeats } from './seats-of';

export interface TSeatChangeResult {
  /** False when Stripe already had this many extra seats (a second admin confirming the same change). */
  changed: boolean;
  /** What the change invoiced now (0 on a trial or when nothing changed). */
  amountCents: number;
  seats: TSeats;
}

/** Stripe's declined card (402), recognised by its shape as change-plan.ts does (the SDK may be bundled twice). */
function isCardError(error: unknown): error is { message: string; code?: string; decline_code?: string } {
  const e = error as { statusCode?: unknown; type?: unknown; message?: unknown } | null;
  return e?.statusCode === 402 && e.type === 'StripeCardError' && typeof e.message === 'string';
}

/**
 * Sets how many seats the organization has beyond its plan's included ones (issue 15): the per-seat item's quantity
 * on its Stripe subscription, prorated and invoiced at once (a removal credits the rest of the period). Under the
 * organization's seat lock, so it cannot race an invitation for the last seat nor another admin's change; Stripe's
 * own quantity says where it starts, so two admins confirming the same "5 → 6" add one seat, not two. Removing
 * seats below those in use is refused (nobody is removed silently). A declined card changes nothing (402). The
 * result is provisioned before returning, so the seats shown next are Stripe's.
 */
export async function changeSeats(
  db: TDatabase,
  stripe: Stripe,
  input: { organizationId: string; extraSeats: number },
): Promise<TSeatChangeResult> {
  const outcome = await withAdvisoryLock(db, seatLockKey(input.organizationId), async (tx) => {
    const target = await resolveSeatChange(tx, stripe, input);
    if (target.fromExtra === target.toExtra)
      return { changed: false, amountCents: 0, id: target.subscription.id };
    assertSeatsCover(await seatsOf(tx, input.organizationId), target.toExtra);
    const customer = idOf(target.subscription.customer) ?? '';
    const [latestCharge] = (await stripe.charges.list({ customer, limit: 1 })).data;
    try {
      const updated = await stripe.subscriptions.update(
        target.subscription.id,
        {
          items: target.items,
          proration_behavior: 'always_invoice',
          payment_behavior: 'error_if_incomplete',
          expand: ['latest_invoice'],
        },
        {
          idempotencyKey: `omg-seats-${target.subscription.id}-${target.fromExtra}-${target.toExtra}-${latestCharge?.id ?? 'none'}`,
        },
      );
      const invoice = updated.latest_invoice;
      const invoiced =
        typeof invoice === 'object' && invoice && invoice.billing_reason === 'subscription_update'
          ? invoice.total
          : 0;
      return { changed: true, amountCents: updated.status === 'trialing' ? 0 : invoiced, id: updated.id };
    } catch (error) {
      if (!isCardError(error)) throw error;
      const reason = error.message.replace(/\.$/, '');
      throw new AppError('PAYMENT_REQUIRED', `${reason}; your seats are unchanged.`, {
        details: { declineCode: error.decline_code ?? error.code ?? null },
        cause: error,
      });
    }
  });
  await provisionAndResolve(db, stripe, { stripeSubscriptionId: outcome.id });
  return {
    changed: outcome.changed,
    amountCents: outcome.amountCents,
    seats: await seatsOf(db, input.organizationId),
  };
}
