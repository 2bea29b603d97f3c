import { schema, type TDatabase } from '@omg/db';
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import type { TFinishedStripeEvents } from './finished-stripe-events';

/**
 * Stripe (and the emulator) serialise an event with its own id as the first key. Only that position is read, and
 * only an `evt_` id, so a nested object's id (sub_, in_, cus_…) is never taken for the event's; a body in any
 * other shape simply takes the full path, which parses it.
 */
const LEADING_EVENT_ID = /^\s*\{\s*"id"\s*:\s*"(evt_[A-Za-z0-9_]{1,200})"/;

/**
 * The read, built once per database handle and prepared once per connection (a named statement): drizzle's
 * building of it cost about 0.1 ms a delivery, PostgreSQL's parse and plan more.
 */
const prepared = new WeakMap<TDatabase, ReturnType<typeof prepareRead>>();
const prepareRead = (db: TDatabase) =>
  db
    .select({ id: schema.billingEvent.id })
    .from(schema.billingEvent)
    .where(and(eq(schema.billingEvent.id, sql.placeholder('id')), isNotNull(schema.billingEvent.processedAt)))
    .limit(1)
    .prepare('hub_billing_event_is_processed');

/**
 * Whether a body whose signature has been checked is an event already processed: its id read from the raw text,
 * then this process's memory of finished events (no round trip), else one indexed read, before any JSON is parsed
 * or written. Stripe redelivers often (at least once, retries after timeouts), and a redelivery of a finished event
 * changes nothing, so it is answered from this alone. What the read finds finished is remembered.
 */
export async function isProcessedEvent(
  db: TDatabase,
  rawBody: string,
  finishedEvents?: TFinishedStripeEvents,
): Promise<boolean> {
  const id = LEADING_EVENT_ID.exec(rawBody)?.[1];
  if (!id) return false;
  if (finishedEvents?.get(id)) return true;
  const read = prepared.get(db) ?? prepareRead(db);
  prepared.set(db, read);
  const [row] = await read.execute({ id });
  if (row === undefined) return false;
  finishedEvents?.set(id, true);
  return true;
}
