import { idOf } from '@omg/billing';
import { schema, type TDatabase } from '@omg/db';
import { eq } from 'drizzle-orm';
import type Stripe from 'stripe';

export interface TLastPayment {
  chargeId: string;
  amountCents: number;
  /** What is still unrefunded of it: 0 when it was refunded in full (the duplicate resolution, an earlier refund). */
  refundableCents: number;
  currency: string;
  createdAt: Date;
  description: string | null;
  /** The subscription it paid for, when Stripe says (through its invoice), and that subscription's app. */
  stripeSubscriptionId: string | null;
  appId: string | null;
}

/** Every Stripe customer of the user: hub."Customer" (the authority) and any other on their subscription rows. */
async function stripeCustomersOf(database: TDatabase, userId: string): Promise<string[]> {
  const [customers, rows] = await Promise.all([
    database
      .select({ id: schema.customer.stripeCustomerId })
      .from(schema.customer)
      .where(eq(schema.customer.userId, userId)),
    database
      .select({ id: schema.subscription.stripeCustomerId })
      .from(schema.subscription)
      .where(eq(schema.subscription.userId, userId)),
  ]);
  return [...new Set([...customers, ...rows].flatMap((c) => (c.id ? [c.id] : [])))];
}

/** The subscription a charge paid: its payment intent → the invoice payment → the invoice's subscription. */
async function subscriptionOfCharge(stripe: Stripe, charge: Stripe.Charge): Promise<string | null> {
  const paymentIntent = idOf(charge.payment_intent);
  if (!paymentIntent) return null;
  const payments = await stripe.invoicePayments.list({
    payment: { type: 'payment_intent', payment_intent: paymentIntent },
    limit: 1,
  });
  const invoiceId = idOf(payments.data[0]?.invoice);
  if (!invoiceId) return null;
  const invoice = await stripe.invoices.retrieve(invoiceId);
  return idOf(invoice.parent?.subscription_details?.subscription) ?? null;
}

/**
 * The customer's most recent successful payment in Stripe, refunded or not (the console shows what was last
 * charged, and says when it was already given back), or null when Stripe has none. Read from Stripe, never from
 * our records, because a refund must point at a real charge.
 */
export async function findLastPayment(
  database: TDatabase,
  stripe: Stripe,
  userId: string,
): Promise<TLastPayment | null> {
  let last: Stripe.Charge | null = null;
  for (const customer of await stripeCustomersOf(database, userId)) {
    const charges = await stripe.charges.list({ customer, limit: 20 });
    for (const charge of charges.data) {
      if (charge.status !== 'succeeded' || !charge.paid) continue;
      if (!last || charge.created > last.created) last = charge;
    }
  }
  if (!last) return null;
  const stripeSubscriptionId = await subscriptionOfCharge(stripe, last);
  const [row] = stripeSubscriptionId
    ? await database
        .select({ appId: schema.subscription.appId })
        .from(schema.subscription)
        .where(eq(schema.subscription.stripeSubscriptionId, stripeSubscriptionId))
    : [];
  return {
    chargeId: last.id,
    amountCents: last.amount,
    refundableCents: Math.max(0, last.amount - last.amount_refunded),
    currency: last.currency,
    createdAt: new Date(last.created * 1000),
    description: last.description,
    stripeSubscriptionId,
    appId: row?.appId ?? null,
  };
}
