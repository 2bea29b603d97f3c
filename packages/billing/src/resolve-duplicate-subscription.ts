import { findPlanByLookupKey, formatPrice, isEndedStripeStatus, isLiveStripeStatus } from '@omg/contract';
import { schema, type TDatabase } from '@omg/db';
import { eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import { z } from 'zod';
import { idOf } from './id-of';
import { orNullIfMissing } from './is-resource-missing';

const ZResolveDuplicateInputSchema = z
  .object({
    duplicateStripeSubscriptionId: z.string().min(1),
    keptStripeSubscriptionId: z.string().min(1),
    /** Whose app it is: a person (`userId`) or, for a business subscription, an organization (issue 15). */
    userId: z.string().min(1).optional(),
    organizationId: z.string().min(1).optional(),
    appId: z.string().min(1),
    /**
     * A Stripe customer the caller has proven to be this user's although hub."Customer" records another (the SVD
     * migration: the export and Stripe's customer email both name the user). Without it, only metadata.userId or
     * hub."Customer" attribute a subscription.
     */
    attributedStripeCustomerId: z.string().min(1).optional(),
  })
  .refine((input) => input.duplicateStripeSubscriptionId !== input.keptStripeSubscriptionId, {
    message: 'The subscription to keep cannot be the duplicate.',
  })
  .refine((input) => (input.userId === undefined) !== (input.organizationId === undefined), {
    message: 'A duplicate belongs to a user or to an organization.',
  });

export type TResolveDuplicateInput = z.infer<typeof ZResolveDuplicateInputSchema>;

export type TDuplicateInvoiceRefund =
  | { invoiceId: string; status: 'refunded'; paidCents: number; refundedCents: number; refundId: string }
  | { invoiceId: string; status: 'already_refunded'; paidCents: number; refundedCents: 0 };

export interface TDuplicateResolution {
  keptStripeSubscriptionId: string;
  duplicateStripeSubscriptionId: string;
  /**
   * Who is told about the refund: the user, or for an organization's duplicate the member who bought it
   * (`purchasedBy` in its metadata; null when unknown).
   */
  userId: string | null;
  /** Set when the duplicate was an organization's. */
  organizationId: string | null;
  appId: string;
  /** True when this call canceled the duplicate; false when it was already canceled (a replay). */
  canceled: boolean;
  /** What this call refunded; a replay refunds nothing. */
  refundedCents: number;
  /** Every paid invoice of the duplicate, and what became of it. */
  invoices: TDuplicateInvoiceRefund[];
  /** One line for hub."BillingEvent".outcomeReason and the operator. */
  summary: string;
}

const retrieve = (stripe: Stripe, id: string) =>
  orNullIfMissing(stripe.subscriptions.retrieve(id, { expand: ['items.data.price'] }));

/** The catalog's app for the price's lookup key, else the app a recorded legacy (pre-Hub) price belongs to. */
async function appOf(db: TDatabase, subscription: Stripe.Subscription): Promise<string | null> {
  const price = subscription.items.data[0]?.price;
  const catalogApp = price?.lookup_key ? findPlanByLookupKey(price.lookup_key)?.product.appId : undefined;
  if (catalogApp || !price) return catalogApp ?? null;
  const [legacy] = await db
    .select({ appId: schema.legacyPrice.appId })
    .from(schema.legacyPrice)
    .where(eq(schema.legacyPrice.stripePriceId, price.id));
  return legacy?.appId ?? null;
}

/**
 * Cancelling or refunding the wrong subscription is far worse than leaving a duplicate for a retry, so the
 * duplicate must provably be this user's, for this app, before anything is touched.
 */
async function assertBelongs(
  db: TDatabase,
  subscription: Stripe.Subscription,
  {
    userId,
    organizationId,
    appId,
    attributedStripeCustomerId,
  }: { userId?: string; organizationId?: string; appId: string; attributedStripeCustomerId?: string },
): Promise<void> {
  const app = await appOf(db, subscription);
  if (app !== appId) {
    throw new Error(`Subscription ${subscription.id} is for ${app ?? 'no catalog app'}, not ${appId}.`);
  }
  if (organizationId !== undefined) {
    // An organization's subscription: its checkout's metadata or the organization's own Stripe customer.
    if (subscription.metadata?.organizationId) {
      if (subscription.metadata.organizationId !== organizationId) {
        throw new Error(
          `Subscription ${subscription.id} belongs to organization ${subscription.metadata.organizationId}.`,
        );
      }
      return;
    }
    const customerId = idOf(subscription.customer);
    const [known] = customerId
      ? await db
          .select({ organizationId: schema.customer.organizationId })
          .from(schema.customer)
          .where(eq(schema.customer.stripeCustomerId, customerId))
      : [];
    if (known?.organizationId !== organizationId) {
      throw new Error(
        `Subscription ${subscription.id} cannot be attributed to organization ${organizationId}.`,
      );
    }
    return;
  }
  if (subscription.metadata?.organizationId) {
    throw new Error(
      `Subscription ${subscription.id} belongs to organization ${subscription.metadata.organizationId}.`,
    );
  }
  if (subscription.metadata?.userId) {
    if (subscription.metadata.userId !== userId) {
      throw new Error(`Subscription ${subscription.id} belongs to user ${subscription.metadata.userId}.`);
    }
    return;
  }
  const customerId = idOf(subscription.customer);
  if (customerId && customerId === attributedStripeCustomerId) return;
  const [known] = customerId
    ? await db
        .select({ userId: schema.customer.userId })
        .from(schema.customer)
        .where(eq(schema.customer.stripeCustomerId, customerId))
    : [];
  if (known?.userId !== userId) {
    throw new Error(`Subscription ${subscription.id} cannot be attributed to user ${userId}.`);
  }
}

/**
 * What each payment of an invoice went through: a refund points at its charge. A card payment on a subscription
 * invoice names its payment intent (whose latest charge is the one to refund); `charge` appears only for a charge
 * made without an intent. `invoice.payments` is includable (absent unless expanded), so the payments are listed.
 */
async function paymentsOf(
  stripe: Stripe,
  invoice: Stripe.Invoice,
): Promise<Array<{ charge: string | null; paymentIntent: string | null; amount: number }>> {
  const payments: Stripe.InvoicePayment[] = [];
  for await (const payment of stripe.invoicePayments.list({ invoice: invoice.id, limit: 100 })) {
    payments.push(payment);
  }
  return payments
    .filter((p) => p.status === 'paid' && p.amount_paid)
    .map((p) => ({
      charge: idOf(p.payment.charge),
      paymentIntent: idOf(p.payment.payment_intent),
      amount: p.amount_paid ?? 0,
    }));
}

async function refundInvoice(
  stripe: Stripe,
  invoice: Stripe.Invoice,
  keptStripeSubscriptionId: string,
): Promise<TDuplicateInvoiceRefund> {
  let refundedCents = 0;
  let refundId: string | null = null;
  for (const [index, payment] of (await paymentsOf(stripe, invoice)).entries()) {
    const charge = payment.charge
      ? await stripe.charges.retrieve(payment.charge)
      : payment.paymentIntent
        ? await stripe.paymentIntents
            .retrieve(payment.paymentIntent)
            .then((pi) => (pi.latest_charge ? stripe.charges.retrieve(idOf(pi.latest_charge) ?? '') : null))
        : null;
    if (!charge) continue;
    // The charge remembers earlier refunds (ours from a previous run, or one made by hand in the dashboard):
    // only what is still unrefunded of this payment goes back, so a second run refunds nothing.
    const refundable = Math.min(payment.amount, charge.amount - charge.amount_refunded);
    if (refundable <= 0) continue;
    const refund = await stripe.refunds.create(
      {
        charge: charge.id,
        amount: refundable,
        reason: 'duplicate',
        metadata: { omgDuplicateOf: keptStripeSubscriptionId, invoice: invoice.id },
      },
      { idempotencyKey: `omg-dup-refund-${invoice.id}${index ? `-${index}` : ''}` },
    );
    refundedCents += refund.amount;
    refundId ??= refund.id;
  }
  return refundId
    ? { invoiceId: invoice.id, status: 'refunded', paidCents: invoice.amount_paid, refundedCents, refundId }
    : { invoiceId: invoice.id, status: 'already_refunded', paidCents: invoice.amount_paid, refundedCents: 0 };
}

function summarize(resolution: Omit<TDuplicateResolution, 'summary'>): string {
  const { keptStripeSubscriptionId: kept, duplicateStripeSubscriptionId: dup, invoices } = resolution;
  const ids = invoices.map((i) => i.invoiceId).join(', ');
  const cancel = resolution.canceled ? `canceled ${dup}` : `${dup} was already canceled`;
  const refunded = invoices.filter((i) => i.status === 'refunded');
  const already = invoices.filter((i) => i.status === 'already_refunded');
  let money: string;
  if (invoices.length === 0) money = 'it had charged nothing';
  else if (refunded.length > 0) {
    money = `refunded ${formatPrice(resolution.refundedCents)} (${refunded.map((i) => i.invoiceId).join(', ')})`;
    if (already.length > 0) money += `; already refunded: ${already.map((i) => i.invoiceId).join(', ')}`;
  } else money = `its charges were already refunded (${ids})`;
  return `kept ${kept}; ${cancel} and ${money}`;
}

/**
 * SPEC §5 "Duplicate payments never happen": a second live Stripe subscription for the same user and app (two
 * checkouts racing past every earlier guard) is canceled at once, without proration, and everything it charged
 * goes back. The existing subscription is kept because it is the one the Hub already provisioned and the user
 * already uses. Safe to run any number of times: a canceled duplicate is left alone, refunded charges are not
 * refunded again, and Stripe idempotency keys make a retried request the same request.
 */
export async function resolveDuplicateSubscription(
  db: TDatabase,
  stripe: Stripe,
  input: TResolveDuplicateInput,
): Promise<TDuplicateResolution> {
  const {
    duplicateStripeSubscriptionId,
    keptStripeSubscriptionId,
    userId,
    organizationId,
    appId,
    attributedStripeCustomerId,
  } = ZResolveDuplicateInputSchema.parse(input);

  const duplicate = await retrieve(stripe, duplicateStripeSubscriptionId);
  if (!duplicate) throw new Error(`Subscription ${duplicateStripeSubscriptionId} does not exist in Stripe.`);
  await assertBelongs(db, duplicate, { userId, organizationId, appId, attributedStripeCustomerId });

  const alreadyCanceled = isEndedStripeStatus(duplicate.status);
  if (!alreadyCanceled) {
    // Cancelling the newcomer is only right while the one we keep still gives access; otherwise the user would be
    // left with nothing. Failing makes the webhook answer 5xx, and Stripe's retry re-provisions from fresh state.
    const kept = await retrieve(stripe, keptStripeSubscriptionId);
    if (!kept || !isLiveStripeStatus(kept.status)) {
      throw new Error(
        `Subscription ${keptStripeSubscriptionId} is no longer live; ${duplicateStripeSubscriptionId} is not a duplicate.`,
      );
    }
    await assertBelongs(db, kept, { userId, organizationId, appId, attributedStripeCustomerId });
    await stripe.subscriptions.cancel(
      duplicateStripeSubscriptionId,
      {
        prorate: false,
        invoice_now: false,
        cancellation_details: {
          comment: `Duplicate of ${keptStripeSubscriptionId} (same ${organizationId ? 'organization' : 'user'} and app).`,
        },
      },
      { idempotencyKey: `omg-dup-cancel-${duplicateStripeSubscriptionId}` },
    );
  }

  const invoices: TDuplicateInvoiceRefund[] = [];
  for await (const invoice of stripe.invoices.list({
    subscription: duplicateStripeSubscriptionId,
    status: 'paid',
    limit: 100,
  })) {
    if (invoice.amount_paid <= 0) continue;
    invoices.push(await refundInvoice(stripe, invoice, keptStripeSubscriptionId));
  }

  const resolution = {
    keptStripeSubscriptionId,
    duplicateStripeSubscriptionId,
    userId: userId ?? duplicate.metadata?.purchasedBy ?? null,
    organizationId: organizationId ?? null,
    appId,
    canceled: !alreadyCanceled,
    refundedCents: invoices.reduce((sum, i) => sum + i.refundedCents, 0),
    invoices,
  };
  return { ...resolution, summary: summarize(resolution) };
}
