import { findProductByAppId, formatPrice } from '@omg/contract';
import { schema, type TDatabase, type TSubscriptionRow } from '@omg/db';
import { and, eq, isNull } from 'drizzle-orm';
import { createElement } from 'react';
import type Stripe from 'stripe';
import { BillingNoticeEmail } from '@/emails/billing-notice-email';
import { env } from '../env';
import { sendHubEmail } from '../mail/send-hub-email';
import type { TWebhookResult } from '../stripe/webhook/webhook.types';
import { queueTrialEndingEmail } from './queue-trial-ending-email';

interface TNotice {
  kind: string;
  /** What happened, once: Stripe may deliver an event twice or out of order, the outbox keeps one mail per key. */
  idempotencyKey: string;
  /** A person's notice, or (issue 15) a business account's: its billing email and its owner. */
  userId?: string;
  organizationId?: string;
  subject: string;
  title: string;
  lines: string[];
}

/** Display names from the catalog; an id the catalog does not know is never shown. */
function names(appId: string, planId?: string | null) {
  const product = findProductByAppId(appId);
  const plan = product?.plans.find((p) => p.id === planId);
  return { product: product?.name ?? 'your subscription', plan: plan?.name ?? 'a new plan' };
}

const ownerOf = (row: TSubscriptionRow): { userId: string } | { organizationId: string } =>
  row.userId ? { userId: row.userId } : { organizationId: row.organizationId ?? '' };

interface TRecipient {
  to: string;
  userId: string | null;
  /** Appended to the notice's key, so each recipient of one notice gets it once. Empty for a person. */
  keySuffix: string;
  /** A business account's name, said in the subject so a reader of several accounts knows which. */
  organizationName?: string;
}

/**
 * Who a notice goes to: a person (not once their account is deleted), or — for a business subscription — the
 * organization's billing email and its owner (once, when the owner's address is the billing email). A deleted
 * owner's account gets nothing, as a deleted person's does.
 */
async function recipientsOf(db: TDatabase, notice: TNotice): Promise<TRecipient[]> {
  if (notice.userId) {
    const [user] = await db
      .select({ email: schema.user.email })
      .from(schema.user)
      // A deleted account gets no more mail (issue 11: deleting the account stops mail at once).
      .where(and(eq(schema.user.id, notice.userId), isNull(schema.user.deletedAt)));
    return user ? [{ to: user.email, userId: notice.userId, keySuffix: '' }] : [];
  }
  if (!notice.organizationId) return [];
  const [organization] = await db
    .select({ name: schema.organization.name, billingEmail: schema.organization.billingEmail })
    .from(schema.organization)
    .where(eq(schema.organization.id, notice.organizationId));
  if (!organization) return [];
  const owners = await db
    .select({ userId: schema.user.id, email: schema.user.email })
    .from(schema.membership)
    .innerJoin(schema.user, eq(schema.user.id, schema.membership.userId))
    .where(
      and(
        eq(schema.membership.organizationId, notice.organizationId),
        eq(schema.membership.role, 'owner'),
        isNull(schema.user.deletedAt),
      ),
    );
  const organizationName = organization.name;
  const recipients: TRecipient[] = [
    { to: organization.billingEmail, userId: null, keySuffix: ':billing-email', organizationName },
  ];
  for (const o of owners) {
    if (o.email.toLowerCase() === organization.billingEmail.toLowerCase()) continue;
    recipients.push({ to: o.email, userId: o.userId, keySuffix: `:owner:${o.userId}`, organizationName });
  }
  return recipients;
}

const day = (date: Date) =>
  date.toLocaleDateString('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });

function noticesFor(
  event: Stripe.Event,
  result: TWebhookResult,
  row: TSubscriptionRow | undefined,
): TNotice[] {
  const notices: TNotice[] = [];
  // An organization's duplicate is told to the member who bought it, when known (issue 15).
  if (result.duplicate?.userId) {
    const { duplicateStripeSubscriptionId, userId, appId, invoices } = result.duplicate;
    const paid = invoices.reduce((sum, invoice) => sum + invoice.paidCents, 0);
    const { product } = names(appId);
    notices.push({
      kind: 'billing-duplicate-refunded',
      idempotencyKey: `duplicate-refunded:${duplicateStripeSubscriptionId}`,
      userId,
      subject: `We refunded a duplicate ${product} payment`,
      title: 'Duplicate payment refunded',
      lines: [
        `You paid twice for ${product}. We kept your first subscription, canceled the second one and refunded ${paid > 0 ? formatPrice(paid) : 'its payment'} to your card.`,
        'Refunds usually show on your statement within 5–10 business days.',
      ],
    });
  }
  // A business subscription (issue 15) has no userId: its notices go to the organization (see recipientsOf).
  const owner = row?.userId ?? row?.organizationId;
  if (!row || !owner) return notices;
  const { product, plan } = names(row.appId, row.plan);
  if (event.type === 'invoice.payment_failed') {
    notices.push({
      kind: 'billing-payment-failed',
      idempotencyKey: `payment-failed:${event.data.object.id}`,
      ...ownerOf(row),
      subject: `Your ${product} payment failed`,
      title: 'Your payment failed',
      lines: [
        `We could not charge your card for ${product} (${plan}).`,
        'Please update your card in Billing; we will retry the payment automatically.',
      ],
    });
  }
  if (row.status === 'canceled') {
    notices.push({
      kind: 'billing-canceled',
      idempotencyKey: `canceled:${row.stripeSubscriptionId}`,
      ...ownerOf(row),
      subject: `Your ${product} subscription was canceled`,
      title: 'Subscription canceled',
      lines: [
        `Your ${product} subscription (${plan}) has been canceled.`,
        'You can subscribe again at any time.',
      ],
    });
  } else if (row.scheduledPlan && row.scheduledPlanAt) {
    const next = names(row.appId, row.scheduledPlan).plan;
    notices.push({
      kind: 'billing-downgrade-scheduled',
      idempotencyKey: `downgrade-scheduled:${row.stripeSubscriptionId}:${row.scheduledPlan}:${row.scheduledPlanAt.toISOString()}`,
      ...ownerOf(row),
      subject: `Your ${product} plan changes to ${next} on ${day(row.scheduledPlanAt)}`,
      title: 'Plan change scheduled',
      lines: [
        `You keep ${product} ${plan} until ${day(row.scheduledPlanAt)}; from then on your plan is ${next}.`,
      ],
    });
  } else if (
    event.type === 'customer.subscription.updated' &&
    event.data.previous_attributes &&
    'items' in event.data.previous_attributes &&
    row.stripePriceId
  ) {
    // The row is Stripe's current state, so a late or repeated "updated" names the same price and the same key.
    notices.push({
      kind: 'billing-plan-changed',
      idempotencyKey: `plan-changed:${row.stripeSubscriptionId}:${row.stripePriceId}`,
      ...ownerOf(row),
      subject: `Your ${product} plan is now ${plan}`,
      title: 'Plan changed',
      lines: [`Your ${product} subscription is now on the ${plan} plan.`],
    });
  }
  return notices;
}

/**
 * The billing mails a processed Stripe event calls for (payment failed, canceled, duplicate refunded, plan
 * changed or downgrade scheduled, and the reminder before a trial ends), each queued once per thing that happened
 * by its idempotency key.
 */
export async function sendBillingEmails(
  db: TDatabase,
  event: Stripe.Event,
  result: TWebhookResult,
): Promise<void> {
  const notices = noticesFor(event, result, result.subscription);
  for (const notice of notices) {
    for (const recipient of await recipientsOf(db, notice)) {
      await sendHubEmail(
        {
          kind: notice.kind,
          to: recipient.to,
          userId: recipient.userId,
          subject: recipient.organizationName
            ? `${recipient.organizationName}: ${notice.subject}`
            : notice.subject,
          idempotencyKey: `${notice.idempotencyKey}${recipient.keySuffix}`,
          body: createElement(BillingNoticeEmail, {
            title: notice.title,
            lines: recipient.organizationName
              ? [`This is about the business account ${recipient.organizationName}.`, ...notice.lines]
              : notice.lines,
            action: { label: 'Open Billing', url: new URL('/billing', env().HUB_URL).toString() },
          }),
        },
        db,
      );
    }
  }
  await queueTrialEndingEmail(db, result.subscription);
}
