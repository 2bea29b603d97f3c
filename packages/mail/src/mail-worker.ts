import { createDatabase, schema } from '@omg/db';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import PgBoss from 'pg-boss';
import { ZMailJobSchema } from './enqueue-email';
import { MAIL_QUEUE, PG_BOSS_SCHEMA } from './queue';
import { checkSendCondition } from './send-condition';

export interface TMailWorker {
  stop(): Promise<void>;
}

const { outgoingEmail } = schema;
/** SMTP connections one worker keeps open while it has mail to send. */
const SMTP_CONNECTIONS = 5;

/**
 * Sends the queued mail: one pg-boss job per outbox row. The row is claimed (`queued`/`retrying` → `sending`) in
 * one UPDATE before the SMTP conversation, so a job delivered twice (an expired job, two workers) sends once. An
 * SMTP failure marks the row `retrying` with the error and fails the job, so pg-boss retries it with back-off;
 * the last allowed attempt marks it `failed`. A worker dying between SMTP's acceptance and the `sent` update
 * leaves the row in `sending`: it is never sent again (at most once) and an operator sees its outcome is unknown.
 * A mail queued ahead with a condition (`sendIf`, see send-condition) is checked first: if what it announces is no
 * longer true, the row is marked `withdrawn` with the reason in `lastError` and nothing is sent.
 * A fetched batch is sent over a small pool of SMTP connections, one mail per connection at a time: sent one after
 * another, each on a new connection, every mail waited for all its round trips (claim, connect, greeting, envelope,
 * data, mark sent), and a backlog of 150 took 26–31 s.
 */
export async function startMailWorker(options: {
  databaseUrl: string;
  smtpUrl: string;
  pollingIntervalSeconds?: number;
  queue?: string;
  log?: (line: string) => void;
}): Promise<TMailWorker> {
  const log = options.log ?? (() => {});
  const { db, pool } = createDatabase(options.databaseUrl, { max: 4, applicationName: 'omg-mail-worker' });
  // A few connections, each reused for the next mail of a backlog and closed after a short idle time, so a quiet
  // worker holds none. One that the server dropped fails only the mail in it (retried like any SMTP failure); the
  // next mail opens a new one, so a server that went away and came back is simply reached again.
  const transport = nodemailer.createTransport({
    url: options.smtpUrl,
    pool: true,
    maxConnections: SMTP_CONNECTIONS,
    idleTimeout: 10_000,
  });
  const boss = new PgBoss({
    connectionString: options.databaseUrl,
    schema: PG_BOSS_SCHEMA,
    migrate: false,
    schedule: false,
    max: 2,
    application_name: 'omg-mail-worker',
  });
  boss.on('error', (error) => log(`queue error: ${error.message}`));
  await boss.start();

  const queue = options.queue ?? MAIL_QUEUE;
  // pg-boss waits a polling interval after each fetch, so a batch keeps a backlog moving (20 mails per fetch).
  // Each job is settled on its own: a failed one is failed by id (retried later), the rest complete.
  await boss.work(
    queue,
    { includeMetadata: true, batchSize: 20, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 },
    async (jobs) => {
      // One lane per SMTP connection takes the batch's jobs in order. A row is claimed only when a connection is
      // free for it, so a worker that dies leaves at most SMTP_CONNECTIONS rows in `sending` (outcome unknown);
      // the rest of its batch is still claimable and is sent when pg-boss hands the expired jobs out again.
      // Mails to one address go through one lane, in the order they were queued: a second reset link must not
      // arrive before the first.
      const waiting = [...(await byRecipient(jobs)).values()];
      const errors: unknown[] = [];
      await Promise.all(
        Array.from({ length: SMTP_CONNECTIONS }, async () => {
          for (let group = waiting.shift(); group; group = waiting.shift()) {
            for (const job of group) await deliver(job).catch((error: unknown) => errors.push(error));
          }
        }),
      );
      // An unexpected error (the database) fails the whole batch: pg-boss retries its jobs, and those already
      // sent are no-ops then (their rows are no longer claimable).
      if (errors.length > 0) throw errors[0];
    },
  );

  /**
   * The batch's jobs grouped by the address of their mail, each group in the order its mails were written (pg-boss
   * hands a batch out in no particular order). A job without a readable mail id or row is a group of its own, which
   * deliver settles as before.
   */
  async function byRecipient(jobs: PgBoss.JobWithMetadata<unknown>[]) {
    const jobOfMail = new Map<string, PgBoss.JobWithMetadata<unknown>>();
    const groups = new Map<string, PgBoss.JobWithMetadata<unknown>[]>();
    for (const job of jobs) {
      const mailId = ZMailJobSchema.safeParse(job.data).data?.outgoingEmailId;
      if (mailId) jobOfMail.set(mailId, job);
      else groups.set(`job:${job.id}`, [job]);
    }
    const rows =
      jobOfMail.size === 0
        ? []
        : await db
            .select({ id: outgoingEmail.id, to: outgoingEmail.to })
            .from(outgoingEmail)
            .where(inArray(outgoingEmail.id, [...jobOfMail.keys()]))
            .orderBy(asc(outgoingEmail.createdAt), asc(outgoingEmail.id));
    for (const row of rows) {
      const job = jobOfMail.get(row.id);
      if (!job) continue;
      jobOfMail.delete(row.id);
      groups.set(row.to, [...(groups.get(row.to) ?? []), job]);
    }
    for (const job of jobOfMail.values()) groups.set(`job:${job.id}`, [job]);
    return groups;
  }

  async function deliver(job: PgBoss.JobWithMetadata<unknown>): Promise<void> {
    const { outgoingEmailId, sendIf } = ZMailJobSchema.parse(job.data);
    const lastTry = job.retryCount >= job.retryLimit;
    if (sendIf) {
      let withdrawn: string | null;
      try {
        withdrawn = await checkSendCondition(db, sendIf);
      } catch (error) {
        // The check could not be made (the database): retried like a failed send, never sent unchecked.
        const reason = `could not check whether it is still due: ${error instanceof Error ? error.message : String(error)}`;
        await db
          .update(outgoingEmail)
          .set({ status: lastTry ? 'failed' : 'retrying', lastError: reason, updatedAt: new Date() })
          .where(
            and(eq(outgoingEmail.id, outgoingEmailId), inArray(outgoingEmail.status, ['queued', 'retrying'])),
          );
        log(`mail ${outgoingEmailId}: ${lastTry ? 'failed' : 'will retry'}: ${reason}`);
        if (!lastTry) await boss.fail(queue, job.id, { message: reason });
        return;
      }
      if (withdrawn) {
        await db
          .update(outgoingEmail)
          .set({ status: 'withdrawn', lastError: withdrawn, updatedAt: new Date() })
          .where(
            and(eq(outgoingEmail.id, outgoingEmailId), inArray(outgoingEmail.status, ['queued', 'retrying'])),
          );
        log(`mail ${outgoingEmailId} ${withdrawn}`);
        return;
      }
    }
    const [mail] = await db
      .update(outgoingEmail)
      .set({ status: 'sending', attempts: sql`${outgoingEmail.attempts} + 1`, updatedAt: new Date() })
      .where(
        and(eq(outgoingEmail.id, outgoingEmailId), inArray(outgoingEmail.status, ['queued', 'retrying'])),
      )
      .returning();
    if (!mail) return; // sent, failed, or in the hands of another delivery: never twice
    try {
      await transport.sendMail({
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        html: mail.html,
        text: mail.text,
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      await db
        .update(outgoingEmail)
        .set({ status: lastTry ? 'failed' : 'retrying', lastError: reason, updatedAt: new Date() })
        .where(eq(outgoingEmail.id, mail.id));
      // Ids, not addresses, in the log: the row holds the rest.
      log(`mail ${mail.id} (${mail.kind}): ${lastTry ? 'failed' : 'will retry'}: ${reason}`);
      if (!lastTry) await boss.fail(queue, job.id, { message: reason });
      return;
    }
    await db
      .update(outgoingEmail)
      .set({ status: 'sent', sentAt: new Date(), lastError: null, updatedAt: new Date() })
      .where(eq(outgoingEmail.id, mail.id));
    log(`mail ${mail.id} (${mail.kind}) sent`);
  }

  let stopped: Promise<void> | undefined;
  return {
    // Once: a test may stop it to prove nothing more is sent, and stop it again in its clean-up.
    stop() {
      stopped ??= (async () => {
        await boss.stop({ graceful: true, timeout: 5_000, wait: true });
        transport.close();
        await pool.end();
      })();
      return stopped;
    },
  };
}
