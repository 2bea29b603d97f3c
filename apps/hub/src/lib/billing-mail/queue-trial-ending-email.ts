import { findProductByAppId } from '@omg/contract';
import { schema, type TDatabase, type TSubscriptionRow } from '@omg/db';
import { and, eq, isNull } from 'drizzle-orm';
import { createElement } from 'react';
import { TrialEndingEmail } from '@/emails/trial-ending-email';
import { env } from '../env';
import { sendHubEmail } from '../mail/send-hub-email';

/** How long before a trial ends its reminder leaves. */
export const TRIAL_REMINDER_LEAD_MS = 2 * 24 * 60 * 60 * 1000;

const day = (date: Date) =>
  date.toLocaleDateString('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });

/** Whether a row is in a checkout trial that a reminder should be queued for (the person's, active, not ending). */
export function isTrialReminderDue(
  row: TSubscriptionRow | undefined,
  now = new Date(),
): row is TSubscriptionRow & { userId: string; stripeSubscriptionId: string; trialEndsAt: Date } {
  if (!row?.userId || !row.stripeSubscriptionId || !row.trialEndsAt) return false;
  return row.status === 'active' && !row.cancelAtPeriodEnd && row.trialEndsAt > now;
}

/**
 * "Your free trial ends in 2 days" (issue 10 §1), for a subscription row in a checkout trial: queued when the
 * trial is first seen, to leave 2 days before it ends (at once if less is left), once per (subscription, trial
 * end) by its idempotency key. The mail carries what it announces as a condition the worker checks when it is
 * due — the row still active, on this trial end, not set to cancel, and the trial not over — so a trial that
 * ended early, was canceled or got another end is `withdrawn`, not sent; a new end queues its own reminder.
 */
export async function queueTrialEndingEmail(
  db: TDatabase,
  row: TSubscriptionRow | undefined,
  now = new Date(),
): Promise<void> {
  if (!isTrialReminderDue(row, now)) return;
  const [user] = await db
    .select({ email: schema.user.email })
    .from(schema.user)
    // A deleted account gets no more mail.
    .where(and(eq(schema.user.id, row.userId), isNull(schema.user.deletedAt)));
  if (!user) return;
  const trialEnd = row.trialEndsAt.toISOString();
  const productName = findProductByAppId(row.appId)?.name ?? 'OMG';
  await sendHubEmail(
    {
      kind: 'billing-trial-ending',
      to: user.email,
      userId: row.userId,
      subject: `Your free ${productName} trial ends on ${day(row.trialEndsAt)}`,
      idempotencyKey: `trial-ending:${row.stripeSubscriptionId}:${trialEnd}`,
      sendAfter: new Date(row.trialEndsAt.getTime() - TRIAL_REMINDER_LEAD_MS),
      sendIf: {
        table: 'hub.Subscription',
        where: { stripeSubscriptionId: row.stripeSubscriptionId },
        equals: { status: 'active', trialEndsAt: trialEnd, cancelAtPeriodEnd: false },
        before: trialEnd,
      },
      body: createElement(TrialEndingEmail, {
        productName,
        endsOn: day(row.trialEndsAt),
        billingUrl: new URL('/billing', env().HUB_URL).toString(),
      }),
    },
    db,
  );
}
