import { randomUUID } from 'node:crypto';
import { schema } from '@omg/db';
import { applyRoleGrants, credentialsFromUrl, seedUser } from '@omg/db/setup';
import { connectAs, testDatabaseUrls, uniqueEmail } from '@omg/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailCatcher, type TMailCatcher } from './catcher';
import { enqueueEmail } from './enqueue-email';
import { startMailWorker, type TMailWorker } from './mail-worker';
import { prepareMailQueue } from './prepare-mail-queue';
import { checkSendCondition, type TSendCondition } from './send-condition';

const urls = testDatabaseUrls();
const hub = connectAs('hub');
/** A queue of this file's own: no other test file's worker takes its jobs. */
const queue = `test-reminder-${randomUUID().slice(0, 8)}`;
const quickRetry = { retryLimit: 3, retryDelay: 1, retryBackoff: false };
let catcher: TMailCatcher;
let worker: TMailWorker;

beforeAll(async () => {
  await prepareMailQueue(urls.DATABASE_URL, queue);
  await applyRoleGrants(urls.DATABASE_URL, {
    hub: credentialsFromUrl(urls.HUB_DATABASE_URL),
    svd: credentialsFromUrl(urls.SVD_DATABASE_URL),
  });
  catcher = await startMailCatcher();
  worker = await startMailWorker({
    databaseUrl: urls.HUB_DATABASE_URL,
    smtpUrl: catcher.smtpUrl,
    pollingIntervalSeconds: 0.5,
    queue,
  });
});

afterAll(async () => {
  await worker?.stop();
  await catcher?.close();
  await hub.pool.end();
});

const row = async (id: string) =>
  (await hub.db.select().from(schema.outgoingEmail).where(eq(schema.outgoingEmail.id, id)))[0];

async function settled(id: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await row(id);
    if (r && ['sent', 'withdrawn', 'failed'].includes(r.status)) return r;
    if (Date.now() > deadline) throw new Error(`mail ${id} still ${r?.status}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A person whose name the reminder announces: the condition is that the name is still the same. */
async function person(name: string) {
  const email = uniqueEmail('reminder');
  const userId = await seedUser(hub.db, { email, password: 'reminder-pw-1', name });
  const sendIf: TSendCondition = { table: 'core.User', where: { id: userId }, equals: { name } };
  return { userId, email, sendIf };
}

function reminder(to: string, extra: { sendAfter?: Date; sendIf?: TSendCondition }) {
  return {
    kind: 'test-reminder',
    from: 'OMG System <no-reply@example.test>',
    to,
    subject: 'Reminder',
    html: '<p>Soon</p>',
    text: 'Soon',
    ...extra,
  };
}

const caughtFor = (to: string) => catcher.messages().filter((m) => m.to.includes(to));

/** Waits until no job for the mail can run any more (none waiting, due for a retry or in a worker's hands). */
async function noJobLeft(id: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const jobs = await hub.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pgboss.job
        WHERE name = $1 AND data->>'outgoingEmailId' = $2 AND state IN ('created', 'retry', 'active')`,
      [queue, id],
    );
    if (jobs.rows[0]?.n === 0) return;
    if (Date.now() > deadline) throw new Error(`mail ${id} still has a job to run`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('mail queued ahead (sendAfter) with a condition checked when it is due (sendIf)', () => {
  it('waits for sendAfter, then sends once while the condition still holds', async () => {
    const { email, sendIf } = await person('Ada');
    const sendAfter = new Date(Date.now() + 3_000);
    const id = await enqueueEmail(hub.db, reminder(email, { sendAfter, sendIf }), {
      queue,
      retry: quickRetry,
    });
    expect((await row(id))?.sendAfter?.getTime()).toBe(sendAfter.getTime());

    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await row(id))?.status).toBe('queued');
    expect(caughtFor(email)).toHaveLength(0);

    const done = await settled(id);
    expect(done.status).toBe('sent');
    expect(done.sentAt?.getTime()).toBeGreaterThanOrEqual(sendAfter.getTime());
    // Once: its job is done and none is left that could send it again.
    await noJobLeft(id);
    expect(caughtFor(email)).toHaveLength(1);
  }, 30_000);

  it('withdraws the mail, sending nothing, when the row changed before it was due', async () => {
    const { userId, email, sendIf } = await person('Grace');
    const id = await enqueueEmail(
      hub.db,
      reminder(email, { sendAfter: new Date(Date.now() + 2_000), sendIf }),
      { queue, retry: quickRetry },
    );
    await hub.db.update(schema.user).set({ name: 'Grace H.' }).where(eq(schema.user.id, userId));

    const done = await settled(id);
    expect(done.status).toBe('withdrawn');
    expect(done.lastError).toBe(`withdrawn: core.User {"id":"${userId}"} changed (name)`);
    expect(done.attempts).toBe(0);
    expect(done.sentAt).toBeNull();
    expect(caughtFor(email)).toHaveLength(0);
  }, 30_000);

  it('withdraws a mail whose row is gone, and one whose moment has passed', async () => {
    const { email, sendIf } = await person('Linus');
    const gone = await enqueueEmail(
      hub.db,
      reminder(email, { sendIf: { ...sendIf, where: { id: 'no-such-user' } } }),
      { queue, retry: quickRetry },
    );
    const late = await enqueueEmail(
      hub.db,
      reminder(email, { sendIf: { ...sendIf, before: new Date(Date.now() - 1_000).toISOString() } }),
      { queue, retry: quickRetry },
    );
    expect(await settled(gone)).toMatchObject({
      status: 'withdrawn',
      lastError: 'withdrawn: core.User {"id":"no-such-user"} no longer exists',
    });
    expect((await settled(late)).lastError).toMatch(/^withdrawn: it was due before /);
    expect(caughtFor(email)).toHaveLength(0);
  }, 30_000);

  it('compares in the column’s own type: a timestamp as an ISO string, null as null, a boolean', async () => {
    const { userId } = await person('Barbara');
    // now() keeps microseconds, which an ISO string cannot say: the column gets a value JavaScript can name.
    const createdAt = '2026-11-28T09:30:15.250Z';
    await hub.db
      .update(schema.user)
      .set({ createdAt: new Date(createdAt) })
      .where(eq(schema.user.id, userId));
    const holds = (equals: TSendCondition['equals']) =>
      checkSendCondition(hub.db, { table: 'core.User', where: { id: userId }, equals });
    expect(await holds({ createdAt, image: null, emailVerified: false })).toBeNull();
    expect(await holds({ createdAt: new Date(Date.parse(createdAt) + 1000).toISOString() })).toMatch(
      /changed \(createdAt\)$/,
    );
    expect(await holds({ image: 'x', emailVerified: true })).toMatch(/changed \(image, emailVerified\)$/);
  });

  it('refuses a condition that is not plain names (nothing reaches SQL but identifiers and parameters)', async () => {
    const to = uniqueEmail('hostile');
    const hostile: TSendCondition[] = [
      { table: 'core.User; DROP TABLE core."User"', where: { id: 'x' }, equals: {} },
      { table: 'User', where: { id: 'x' }, equals: {} },
      { table: 'core.User', where: { 'id" OR 1=1 --': 'x' }, equals: {} },
      { table: 'core.User', where: {}, equals: { name: 'x' } },
    ];
    for (const sendIf of hostile) {
      await expect(enqueueEmail(hub.db, reminder(to, { sendIf }), { queue })).rejects.toThrow();
    }
    expect(await hub.db.select().from(schema.outgoingEmail).where(eq(schema.outgoingEmail.to, to))).toEqual(
      [],
    );
  });
});
