import { randomUUID } from 'node:crypto';
import type { TDatabaseHandle } from '@omg/db';
import { seedUser } from '@omg/db/setup';
import { connectAs, uniqueEmail } from '@omg/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCustomerProfile } from './load-customer-profile';
import { loadCustomerTimeline } from './load-customer-timeline';
import { decodeTimelineCursor } from './timeline-cursor';

let hub: TDatabaseHandle;
let admin: TDatabaseHandle;
beforeAll(() => {
  hub = connectAs('hub');
  admin = connectAs('admin');
});
afterAll(async () => {
  await Promise.all([hub.pool.end(), admin.pool.end()]);
});

const at = (day: number, hour = 12) => new Date(Date.UTC(2026, 10, day, hour));
const q = (text: string, values: unknown[]) => admin.pool.query(text, values);

async function event(
  id: string,
  type: string,
  when: Date,
  object: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  await q(
    `INSERT INTO hub."BillingEvent" (id, type, "stripeCreatedAt", payload, outcome, "outcomeReason", "processedAt")
     VALUES ($1, $2, $3, $4, $5, $6, $3)`,
    [id, type, when, { id, type, data: { object } }, extra.outcome ?? null, extra.outcomeReason ?? null],
  );
}

/** A customer who was charged twice: every source of the timeline once, at known times. */
async function chargedTwiceCustomer() {
  const email = uniqueEmail('timeline');
  const userId = await seedUser(admin.db, { email, password: 'timeline-pass-1', name: 'T' });
  const cus = `cus_${randomUUID().slice(0, 12)}`;
  const n = randomUUID().slice(0, 8);
  await q(`UPDATE core."User" SET "createdAt" = $2 WHERE id = $1`, [userId, at(1)]);
  await q(`INSERT INTO hub."Customer" ("userId", "stripeCustomerId") VALUES ($1, $2)`, [userId, cus]);
  await q(`INSERT INTO securevault."UserProfile" ("userId", email, "createdAt") VALUES ($1, $2, $3)`, [
    userId,
    email,
    at(2),
  ]);
  await q(
    `INSERT INTO hub."Launch" (id, "userId", "appId", "createdAt") VALUES ($1, $2, 'app_securevault', $3)`,
    [`jti-${n}`, userId, at(2, 11)],
  );
  await q(
    `INSERT INTO hub."CheckoutSession" ("userId", "appId", plan, status, "stripeSessionId", "createdAt")
     VALUES ($1, 'app_securevault', 'growth', 'complete', $2, $3)`,
    [userId, `cs_${n}`, at(3)],
  );
  await event(`evt_paid1_${n}`, 'invoice.paid', at(3, 13), {
    object: 'invoice',
    id: `in_1_${n}`,
    customer: cus,
    amount_paid: 1499,
  });
  await event(
    `evt_dup_${n}`,
    'customer.subscription.created',
    at(3, 14),
    { object: 'subscription', id: `sub_2_${n}`, customer: cus, status: 'active' },
    {
      outcome: 'duplicate_resolved',
      outcomeReason: `kept sub_1_${n}; canceled sub_2_${n} and refunded $14.99 (in_2_${n})`,
    },
  );
  await event(`evt_refund_${n}`, 'refund.created', at(3, 15), {
    object: 'refund',
    id: `re_${n}`,
    charge: `ch_2_${n}`,
    customer: cus,
    amount: 1499,
    reason: 'duplicate',
    metadata: { omgDuplicateOf: `sub_1_${n}` },
  });
  await event(`evt_refunded_${n}`, 'charge.refunded', at(3, 16), {
    object: 'charge',
    id: `ch_2_${n}`,
    customer: cus,
    amount: 1499,
    amount_refunded: 1499,
  });
  await event(`evt_failed_${n}`, 'invoice.payment_failed', at(10), {
    object: 'invoice',
    id: `in_3_${n}`,
    customer: cus,
    amount_due: 1499,
    attempt_count: 2,
  });
  // Someone else's event never shows.
  await event(`evt_other_${n}`, 'invoice.paid', at(10, 13), {
    object: 'invoice',
    id: `in_x_${n}`,
    customer: `cus_other_${n}`,
    amount_paid: 99,
  });
  for (const subject of ['Your receipt', 'Payment failed']) {
    await q(
      `INSERT INTO hub."OutgoingEmail" (kind, "userId", "from", "to", subject, html, text, status, "createdAt")
       VALUES ('billing', $1, 'hub@example.test', $2, $3, '<p></p>', '', 'sent', $4)`,
      [userId, email, subject, at(11)],
    );
  }
  await q(
    `INSERT INTO hub."SubscriptionChange" ("subscriptionId", "userId", "appId", plan, status, "monthlyAmountCents",
       trial, "cancelAtPeriodEnd", "previousPlan", "previousStatus", "previousMonthlyAmountCents", source, "sourceRef", "occurredAt")
     VALUES ($1, $2, 'app_securevault', 'pro', 'active', 2499, false, false, 'growth', 'active', 1499, 'stripe_event', $3, $4)`,
    [`sub-row-${n}`, userId, `evt_up_${n}`, at(12)],
  );
  await q(
    `INSERT INTO hub."AuditLog" (id, "actorUserId", "actorRole", action, "targetUserId", reason, "createdAt")
     VALUES (gen_random_uuid(), 'system:test', 'admin', 'customer.refund', $1, 'Charged twice, refunded the duplicate', $2)`,
    [userId, at(13)],
  );
  return { userId, cus, n };
}

describe('loadCustomerTimeline: everything that happened, newest first, paged (issue 14)', () => {
  it('orders every kind newest first, in words, with Stripe links; a refunded duplicate is recognisable', async () => {
    const { userId, cus, n } = await chargedTwiceCustomer();
    const page = await loadCustomerTimeline(hub.db, {
      userId,
      stripeCustomerIds: [cus],
      stripeTestMode: true,
    });
    expect(page.nextCursor).toBeNull();
    expect(page.entries.map((e) => e.kind)).toEqual([
      'staff_action',
      'plan_change',
      'email',
      'email',
      'payment_failed',
      'refund',
      'refund',
      'duplicate',
      'payment',
      'checkout',
      'svd',
      'launch',
      'signup',
    ]);
    const times = page.entries.map((e) => e.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const words = page.entries.map((e) => e.summary);
    expect(words).toContain('customer.refund by system:test (admin): Charged twice, refunded the duplicate');
    expect(words).toContain(`SecureVault Docs: Growth ($14.99) → Pro ($24.99) (stripe_event: evt_up_${n})`);
    expect(words).toContain(`Refunded $14.99 of a duplicate payment (charge ch_2_${n})`);
    expect(words).toContain(`Refund re_${n} of $14.99 issued (duplicate of sub_1_${n})`);
    expect(words).toContain(
      `Duplicate subscription stopped: kept sub_1_${n}; canceled sub_2_${n} and refunded $14.99 (in_2_${n})`,
    );
    expect(words).toContain(`Paid $14.99 (invoice in_1_${n})`);
    expect(words).toContain(`Payment of $14.99 failed (invoice in_3_${n}, attempt 2)`);
    expect(words).toContain('Started checkout for Growth (SecureVault Docs): completed');
    expect(words).toContain('Opened SecureVault Docs from the Hub');
    expect(words.some((w) => w.includes('in_x_'))).toBe(false);
    const refund = page.entries.find((e) => e.summary.startsWith('Refunded'));
    expect(refund?.link).toEqual({
      label: `evt_refunded_${n}`,
      url: `https://dashboard.stripe.com/test/events/evt_refunded_${n}`,
    });
  });

  it('pages through the same entries with no gap and no repeat, even at equal times', async () => {
    const { userId, cus } = await chargedTwiceCustomer();
    const all = await loadCustomerTimeline(hub.db, {
      userId,
      stripeCustomerIds: [cus],
      stripeTestMode: true,
    });
    const walked: string[] = [];
    let before = null;
    for (let i = 0; i < 10; i++) {
      const page = await loadCustomerTimeline(hub.db, {
        userId,
        stripeCustomerIds: [cus],
        stripeTestMode: true,
        pageSize: 3,
        before,
      });
      expect(page.entries.length).toBeLessThanOrEqual(3);
      walked.push(...page.entries.map((e) => e.id));
      if (!page.nextCursor) break;
      before = decodeTimelineCursor(page.nextCursor);
    }
    expect(walked).toEqual(all.entries.map((e) => e.id));
    expect(new Set(walked).size).toBe(walked.length);
  });

  it('a new customer has the sign-up only; the profile feeds its Stripe customers', async () => {
    const userId = await seedUser(admin.db, {
      email: uniqueEmail('fresh'),
      password: 'timeline-pass-1',
      name: 'F',
    });
    const profile = await loadCustomerProfile(hub.db, userId);
    const page = await loadCustomerTimeline(hub.db, {
      userId,
      stripeCustomerIds: profile?.stripeCustomerIds ?? [],
      stripeTestMode: false,
    });
    expect(page.entries.map((e) => e.kind)).toEqual(['signup']);
  });

  it('refuses a damaged page link', () => {
    expect(() => decodeTimelineCursor('not-a-cursor')).toThrow(/not valid/);
  });
});
