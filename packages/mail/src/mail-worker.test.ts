import { randomUUID } from 'node:crypto';
import { schema } from '@omg/db';
import { applyRoleGrants, credentialsFromUrl, findFreePort } from '@omg/db/setup';
import { connectAs, testDatabaseUrls, uniqueEmail } from '@omg/db/testing';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailCatcher, type TMailCatcher } from './catcher';
import { enqueueEmail } from './enqueue-email';
import { startMailWorker } from './mail-worker';
import { prepareMailQueue } from './prepare-mail-queue';

const urls = testDatabaseUrls();
const hub = connectAs('hub');
/** A queue of this file's own, so workers of other test files (pointed at other SMTP servers) never take its jobs. */
const queue = `test-mail-${randomUUID().slice(0, 8)}`;
const quickRetry = { retryLimit: 5, retryDelay: 1, retryBackoff: false };

function message(to: string, subject = 'Hello') {
  return {
    kind: 'test',
    from: 'OMG System <no-reply@example.test>',
    to,
    subject,
    html: '<p>Hi</p>',
    text: 'Hi',
  };
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 200));
  }
}

const row = async (id: string) =>
  (await hub.db.select().from(schema.outgoingEmail).where(eq(schema.outgoingEmail.id, id)))[0];

/** The mail's jobs that could still run: waiting, due for a retry, or in a worker's hands. */
async function runnableJobs(id: string): Promise<number> {
  const jobs = await hub.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pgboss.job
      WHERE name = $1 AND data->>'outgoingEmailId' = $2 AND state IN ('created', 'retry', 'active')`,
    [queue, id],
  );
  return jobs.rows[0]?.n ?? -1;
}

beforeAll(async () => {
  await prepareMailQueue(urls.DATABASE_URL, queue);
  // The new queue's table is created by the admin; the Hub's role gets the same row-level grants as in prepare.
  await applyRoleGrants(urls.DATABASE_URL, {
    hub: credentialsFromUrl(urls.HUB_DATABASE_URL),
    svd: credentialsFromUrl(urls.SVD_DATABASE_URL),
  });
});

afterAll(async () => {
  await hub.pool.end();
});

describe('who may do what in the mail queue (least privilege)', () => {
  it('the Hub role reads and writes queue rows but cannot create tables or queues; SVD cannot see it at all', async () => {
    await expect(hub.pool.query('SELECT count(*) FROM pgboss.job')).resolves.toBeDefined();
    await expect(hub.pool.query('SELECT count(*) FROM hub."OutgoingEmail"')).resolves.toBeDefined();
    await expect(hub.pool.query('CREATE TABLE pgboss.intruder (id int)')).rejects.toMatchObject({
      code: '42501',
    });
    await expect(hub.pool.query(`SELECT pgboss.create_queue('intruder', '{}'::json)`)).rejects.toMatchObject({
      code: '42501',
    });
    const svd = connectAs('svd');
    try {
      await expect(svd.pool.query('SELECT count(*) FROM pgboss.job')).rejects.toMatchObject({
        code: '42501',
      });
      await expect(svd.pool.query('SELECT count(*) FROM hub."OutgoingEmail"')).rejects.toMatchObject({
        code: '42501',
      });
    } finally {
      await svd.pool.end();
    }
  });
});

describe('the mail queue (pg-boss on PostgreSQL, as the Hub role) and a real SMTP server', () => {
  it('delivers a queued mail once and marks the outbox row sent', async () => {
    const catcher = await startMailCatcher();
    const worker = await startMailWorker({
      databaseUrl: urls.HUB_DATABASE_URL,
      smtpUrl: catcher.smtpUrl,
      pollingIntervalSeconds: 0.5,
      queue,
    });
    try {
      const to = uniqueEmail('queued');
      const id = await enqueueEmail(hub.db, message(to, 'Queued'), { queue, retry: quickRetry });
      const sent = await waitFor(async () => {
        const r = await row(id);
        return r?.status === 'sent' ? r : undefined;
      });
      expect(sent.attempts).toBe(1);
      expect(sent.sentAt).toBeInstanceOf(Date);
      const inbox = await (
        await fetch(`${catcher.inboxUrl}/api/messages?to=${encodeURIComponent(to)}`)
      ).json();
      expect(inbox).toHaveLength(1);
      expect(inbox[0]).toMatchObject({ subject: 'Queued', to: [to], text: 'Hi' });
    } finally {
      await worker.stop();
      await catcher.close();
    }
  });

  it('sends a batch over several connections, and mails to one address in the order they were queued', async () => {
    const to = uniqueEmail('ordered');
    const ids: string[] = [];
    // Queued before the worker starts, so they come in one batch: one address's five among five others.
    for (let i = 1; i <= 5; i++) {
      ids.push(await enqueueEmail(hub.db, message(to, `Step ${i}`), { queue, retry: quickRetry }));
      ids.push(
        await enqueueEmail(hub.db, message(uniqueEmail('beside'), `Other ${i}`), {
          queue,
          retry: quickRetry,
        }),
      );
    }
    const catcher = await startMailCatcher();
    const worker = await startMailWorker({
      databaseUrl: urls.HUB_DATABASE_URL,
      smtpUrl: catcher.smtpUrl,
      pollingIntervalSeconds: 0.5,
      queue,
    });
    try {
      await waitFor(async () => {
        const sent = await hub.db
          .select({ id: schema.outgoingEmail.id })
          .from(schema.outgoingEmail)
          .where(and(inArray(schema.outgoingEmail.id, ids), eq(schema.outgoingEmail.status, 'sent')));
        return sent.length === ids.length ? true : undefined;
      });
      const subjects = catcher
        .messages()
        .filter((m) => m.to.includes(to))
        .map((m) => m.subject);
      expect(subjects).toEqual([1, 2, 3, 4, 5].map((i) => `Step ${i}`));
      expect(catcher.messages()).toHaveLength(10);
    } finally {
      await worker.stop();
      await catcher.close();
    }
  });

  it('records nothing and queues nothing when the transaction that caused the mail rolls back', async () => {
    const to = uniqueEmail('rolled-back');
    await expect(
      hub.db.transaction(async (tx) => {
        await enqueueEmail(tx, message(to), { queue, retry: quickRetry });
        throw new Error('the cause failed');
      }),
    ).rejects.toThrow('the cause failed');
    expect(await hub.db.select().from(schema.outgoingEmail).where(eq(schema.outgoingEmail.to, to))).toEqual(
      [],
    );
    const jobs = await hub.pool.query(
      `SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND data->>'outgoingEmailId' NOT IN (SELECT id FROM hub."OutgoingEmail")`,
      [queue],
    );
    expect(jobs.rows[0].n).toBe(0);
  });

  it('retries while SMTP is down, then sends exactly once when it comes back', async () => {
    const port = await findFreePort();
    const worker = await startMailWorker({
      databaseUrl: urls.HUB_DATABASE_URL,
      smtpUrl: `smtp://127.0.0.1:${port}`,
      pollingIntervalSeconds: 0.5,
      queue,
    });
    let catcher: TMailCatcher | undefined;
    try {
      const to = uniqueEmail('retried');
      const id = await enqueueEmail(hub.db, message(to, 'Retried'), { queue, retry: quickRetry });
      const waiting = await waitFor(async () => {
        const r = await row(id);
        return r?.status === 'retrying' ? r : undefined;
      });
      expect(waiting.lastError).toMatch(/ECONNREFUSED|connect/i);
      expect(waiting.sentAt).toBeNull();

      catcher = await startMailCatcher({ smtpPort: port });
      const sent = await waitFor(async () => {
        const r = await row(id);
        return r?.status === 'sent' ? r : undefined;
      });
      expect(sent.attempts).toBeGreaterThanOrEqual(2);
      expect(sent.lastError).toBeNull();
      // No second copy can come: the worker has stopped (it finishes the mail in hand first) and no job for the
      // mail is left to run.
      await worker.stop();
      expect(await runnableJobs(id)).toBe(0);
      expect(catcher.messages().filter((m) => m.to.includes(to))).toHaveLength(1);
    } finally {
      await worker.stop();
      await catcher?.close();
    }
  });

  it('marks the mail failed with the reason once its retries run out', async () => {
    const port = await findFreePort();
    const worker = await startMailWorker({
      databaseUrl: urls.HUB_DATABASE_URL,
      smtpUrl: `smtp://127.0.0.1:${port}`,
      pollingIntervalSeconds: 0.5,
      queue,
    });
    try {
      const id = await enqueueEmail(hub.db, message(uniqueEmail('failed')), {
        queue,
        retry: { retryLimit: 1, retryDelay: 1, retryBackoff: false },
      });
      const failed = await waitFor(async () => {
        const r = await row(id);
        return r?.status === 'failed' ? r : undefined;
      });
      expect(failed.attempts).toBe(2);
      expect(failed.lastError).toMatch(/ECONNREFUSED|connect/i);
    } finally {
      await worker.stop();
    }
  });

  it('a job delivered again after its mail was sent sends nothing (claimed atomically)', async () => {
    const catcher = await startMailCatcher();
    const to = uniqueEmail('again');
    const id = await enqueueEmail(hub.db, message(to), { queue, retry: quickRetry });
    // As if SMTP had accepted it and the row were marked, then the job came around again.
    await hub.db.update(schema.outgoingEmail).set({ status: 'sent' }).where(eq(schema.outgoingEmail.id, id));
    const worker = await startMailWorker({
      databaseUrl: urls.HUB_DATABASE_URL,
      smtpUrl: catcher.smtpUrl,
      pollingIntervalSeconds: 0.5,
      queue,
    });
    try {
      await waitFor(async () => {
        const r = await hub.pool.query(
          `SELECT state FROM pgboss.job WHERE name = $1 AND data->>'outgoingEmailId' = $2`,
          [queue, id],
        );
        return r.rows[0]?.state === 'completed' ? true : undefined;
      });
      expect(catcher.messages()).toHaveLength(0);
      expect((await row(id))?.attempts).toBe(0);
    } finally {
      await worker.stop();
      await catcher.close();
    }
  });
});

describe('SMTP drill: the SMTP server stops under a running worker and comes back on the same port', () => {
  it('the mail waits, is retried with growing back-off, and arrives exactly once when SMTP returns', async () => {
    let catcher = await startMailCatcher();
    const smtpPort = Number(new URL(catcher.smtpUrl).port);
    const worker = await startMailWorker({
      databaseUrl: urls.HUB_DATABASE_URL,
      smtpUrl: catcher.smtpUrl,
      pollingIntervalSeconds: 0.5,
      queue,
    });
    // The production policy's shape (MAIL_RETRY: back-off doubling from retryDelay), in seconds instead of minutes.
    const backoff = { retryLimit: 8, retryDelay: 1, retryBackoff: true };
    try {
      const before = await enqueueEmail(hub.db, message(uniqueEmail('smtp-before')), {
        queue,
        retry: backoff,
      });
      await waitFor(async () => ((await row(before))?.status === 'sent' ? true : undefined));

      await catcher.close();
      const to = uniqueEmail('smtp-outage');
      const id = await enqueueEmail(hub.db, message(to, 'Sent after the outage'), { queue, retry: backoff });
      // Two failed attempts. pg-boss's back-off after the n-th failure is delay·2^(n+1)/2·(1 + random): the
      // second retry waits 4–8 s where a fixed 1 s delay would wait 1 s.
      const waiting = await waitFor(async () => {
        const r = await row(id);
        if (r?.status !== 'retrying' || r.attempts < 2) return undefined;
        const job = await hub.pool.query<{ retry_count: number; backoff: boolean; wait: number }>(
          `SELECT retry_count, retry_backoff AS backoff, extract(epoch FROM start_after - $3::timestamptz)::float AS wait
             FROM pgboss.job WHERE name = $1 AND data->>'outgoingEmailId' = $2 AND state = 'retry'`,
          [queue, id, r.updatedAt],
        );
        const current = job.rows[0];
        return current?.retry_count === 2 ? { row: r, job: current } : undefined;
      });
      expect(waiting.row.lastError).toMatch(/ECONNREFUSED|connect/i);
      expect(waiting.row.sentAt).toBeNull();
      expect(waiting.job.backoff).toBe(true);
      expect(waiting.job.wait).toBeGreaterThanOrEqual(3.9);
      expect(waiting.job.wait).toBeLessThanOrEqual(8.5);

      catcher = await startMailCatcher({ smtpPort });
      const sent = await waitFor(async () => {
        const r = await row(id);
        return r?.status === 'sent' ? r : undefined;
      }, 40_000);
      expect(sent.attempts).toBeGreaterThanOrEqual(3);
      expect(sent.lastError).toBeNull();
      // No second copy can come from a stale job or another delivery: the worker has stopped (it finishes the mail
      // in hand first) and no job for the mail is left to run.
      await worker.stop();
      expect(await runnableJobs(id)).toBe(0);
      const arrived = catcher.messages().filter((m) => m.to.includes(to));
      expect(arrived).toHaveLength(1);
      expect(arrived[0]?.subject).toBe('Sent after the outage');
    } finally {
      await worker.stop();
      await catcher.close();
    }
  }, 60_000);
});
