import { schema, type TDatabase } from '@omg/db';
import { and, eq, isNull } from 'drizzle-orm';
import { createElement } from 'react';
import type Stripe from 'stripe';
import { BillingNoticeEmail } from '@/emails/billing-notice-email';
import { env } from '../env';
import { sendHubEmail } from '../mail/send-hub-email';
import type { TWebhookResult } from '../stripe/webhook/webhook.types';
import { noticesFor, type TNotice } from './billing-notices';
import { queueTrialEndingEmail } from './queue-trial-ending-email';

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
