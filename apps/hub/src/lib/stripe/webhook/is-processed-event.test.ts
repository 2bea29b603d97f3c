import { randomUUID } from 'node:crypto';
import { schema } from '@omg/db';
import { connectAs } from '@omg/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { isProcessedEvent } from './is-processed-event';

const hub = connectAs('hub');
afterAll(() => hub.pool.end());

/** A recorded event, finished or not, and the body Stripe would sign for it (its own id first, pretty-printed). */
async function recorded(processed: boolean) {
  const id = `evt_${randomUUID().replaceAll('-', '')}`;
  const event = { id, object: 'event', type: 'invoice.paid', created: 1, data: { object: { id: 'in_1' } } };
  await hub.db.insert(schema.billingEvent).values({
    id,
    type: event.type,
    stripeCreatedAt: new Date(),
    payload: event,
    processedAt: processed ? new Date() : null,
  });
  return { id, body: JSON.stringify(event, null, 2) };
}

describe("isProcessedEvent (the webhook's redelivery check before any parsing)", () => {
  it('knows a finished event from the id leading its raw body', async () => {
    const { body } = await recorded(true);
    expect(await isProcessedEvent(hub.db, body)).toBe(true);
    expect(await isProcessedEvent(hub.db, body.replaceAll('\n', '').replaceAll('  ', ''))).toBe(true);
  });

  it('sends everything else down the full path: unfinished, unknown, or an id that is not the leading key', async () => {
    const unfinished = await recorded(false);
    expect(await isProcessedEvent(hub.db, unfinished.body)).toBe(false);
    expect(await isProcessedEvent(hub.db, JSON.stringify({ id: 'evt_never_seen', object: 'event' }))).toBe(
      false,
    );
    const finished = await recorded(true);
    // The finished id elsewhere in a body (a nested object, or after another key) is never taken for the event's.
    expect(await isProcessedEvent(hub.db, JSON.stringify({ object: 'event', id: finished.id }))).toBe(false);
    expect(
      await isProcessedEvent(
        hub.db,
        JSON.stringify({ data: { object: { id: finished.id } }, id: 'evt_other' }),
      ),
    ).toBe(false);
    expect(await isProcessedEvent(hub.db, 'not json')).toBe(false);
  });
});
