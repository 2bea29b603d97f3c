import { randomUUID } from 'node:crypto';
import { createStripeClient } from '@omg/billing';
import { schema } from '@omg/db';
import { connectAs } from '@omg/db/testing';
import { eq } from 'drizzle-orm';
import pg from 'pg';
import Stripe from 'stripe';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { logger } from '@/lib/logger';
import { claimBillingEvent } from './claim-billing-event';
import { createFinishedStripeEvents, type TFinishedStripeEvents } from './finished-stripe-events';
import { processStripeEvent } from './process-stripe-event';

const SECRET = 'whsec_finished_events_test';
const hub = connectAs('hub');
afterAll(() => hub.pool.end());

/** Events of a type the Hub acknowledges without acting on it: processing them never calls Stripe. */
const neverCalled = createStripeClient('sk_test_finished_events', 'http://127.0.0.1:9');
const ignoredEvent = () =>
  JSON.stringify({
    id: `evt_mem_${randomUUID().replaceAll('-', '')}`,
    object: 'event',
    type: 'product.updated',
    created: Math.floor(Date.now() / 1000),
    data: { object: { id: 'prod_x', object: 'product' } },
  });
const idOf = (body: string) => (JSON.parse(body) as { id: string }).id;

function deliver(
  rawBody: string,
  finishedEvents: TFinishedStripeEvents,
  options: { stripe?: () => Stripe; signature?: string | null } = {},
) {
  const signature =
    options.signature === undefined
      ? Stripe.webhooks.generateTestHeaderString({ payload: rawBody, secret: SECRET })
      : options.signature;
  return processStripeEvent(
    { db: hub.db, stripe: options.stripe ?? (() => neverCalled), log: logger, finishedEvents },
    { rawBody, signature, secrets: SECRET },
  );
}

/** Every statement any pool of this process sends goes through pg's Client#query: counted, then passed on. */
async function statementsOf(work: () => Promise<unknown>): Promise<number> {
  const spy = vi.spyOn(pg.Client.prototype, 'query');
  try {
    await work().catch(() => undefined);
    return spy.mock.calls.length;
  } finally {
    spy.mockRestore();
  }
}

async function row(id: string) {
  const [found] = await hub.db.select().from(schema.billingEvent).where(eq(schema.billingEvent.id, id));
  return found;
}

describe("the webhook's memory of finished events (one per process)", () => {
  it('answers a redelivery of an event it finished without a statement, as the database would', async () => {
    const memory = createFinishedStripeEvents();
    const body = ignoredEvent();
    expect(await deliver(body, memory)).toEqual({ received: true, outcome: 'ignored' });

    let answer: unknown;
    expect(
      await statementsOf(async () => {
        answer = await deliver(body, memory);
      }),
    ).toBe(0);
    expect(answer).toEqual({ received: true, duplicate: true });

    // Another process (its own memory) asks the database once, then remembers what it was told.
    const other = createFinishedStripeEvents();
    expect(await statementsOf(() => deliver(body, other))).toBe(1);
    expect(await statementsOf(() => deliver(body, other))).toBe(0);
    expect(await deliver(body, other)).toEqual({ received: true, duplicate: true });
    expect(await row(idOf(body))).toMatchObject({ attempts: 1, outcome: 'ignored' });
  });

  it('keeps at most its bound: an evicted id is asked of the database again, with the same answer', async () => {
    const memory = createFinishedStripeEvents(2);
    const [first, second, third] = [ignoredEvent(), ignoredEvent(), ignoredEvent()];
    for (const body of [first, second, third]) await deliver(body ?? '', memory);
    expect(memory.size).toBe(2);
    expect(await statementsOf(() => deliver(third ?? '', memory))).toBe(0);
    expect(await statementsOf(() => deliver(first ?? '', memory))).toBe(1);
    expect(await deliver(first ?? '', memory)).toEqual({ received: true, duplicate: true });
  });

  it('does not remember an event whose processing failed: the retry runs it again', async () => {
    const memory = createFinishedStripeEvents();
    const body = ignoredEvent();
    const down = () => {
      throw new Error('Stripe is down');
    };
    await expect(deliver(body, memory, { stripe: down })).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(memory.has(idOf(body))).toBe(false);
    expect(await row(idOf(body))).toMatchObject({ attempts: 1, processedAt: null });

    let answer: unknown;
    expect(
      await statementsOf(async () => {
        answer = await deliver(body, memory);
      }),
    ).toBeGreaterThan(0);
    expect(answer).toEqual({ received: true, outcome: 'ignored' });
    expect(await row(idOf(body))).toMatchObject({ attempts: 2, error: null });
    expect(await statementsOf(() => deliver(body, memory))).toBe(0);
  });

  it('asks the database about an event in another delivery’s hands each time, and runs it once the claim lapses', async () => {
    const memory = createFinishedStripeEvents();
    const body = ignoredEvent();
    const id = idOf(body);
    expect(await claimBillingEvent(hub.db, { event: JSON.parse(body), rawBody: body })).toMatchObject({
      state: 'claimed',
    });
    for (let attempt = 0; attempt < 2; attempt++) {
      await expect(deliver(body, memory)).rejects.toMatchObject({ code: 'CONFLICT' });
      expect(memory.has(id)).toBe(false);
    }
    expect(await statementsOf(() => deliver(body, memory))).toBeGreaterThan(0);
    await hub.db
      .update(schema.billingEvent)
      .set({ claimedUntil: new Date(Date.now() - 1_000) })
      .where(eq(schema.billingEvent.id, id));
    expect(await deliver(body, memory)).toEqual({ received: true, outcome: 'ignored' });
    expect(await row(id)).toMatchObject({ attempts: 1, claimedUntil: null });
    expect(memory.has(id)).toBe(true);
  });

  it('checks the signature before the memory: a remembered id with a wrong, foreign or missing signature is 400', async () => {
    const memory = createFinishedStripeEvents();
    const body = ignoredEvent();
    await deliver(body, memory);
    expect(memory.has(idOf(body))).toBe(true);
    const signed = Stripe.webhooks.generateTestHeaderString({ payload: body, secret: SECRET });
    for (const attempt of [
      deliver(body.replace('product.updated', 'invoice.paid'), memory, { signature: signed }),
      deliver(body, memory, {
        signature: Stripe.webhooks.generateTestHeaderString({ payload: body, secret: 'whsec_other' }),
      }),
      deliver(body, memory, { signature: 't=1,v1=deadbeef' }),
      deliver(body, memory, { signature: null }),
    ]) {
      await expect(attempt).rejects.toMatchObject({ code: 'BAD_REQUEST', message: /signature/i });
    }
  });
});
