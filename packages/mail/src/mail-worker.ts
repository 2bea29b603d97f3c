import { createDatabase, schema } from '@omg/db';
import { and, eq, inArray, sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import PgBoss from 'pg-boss';
import { ZMailJobSchema } from './enqueue-email';
import { MAIL_QUEUE, PG_BOSS_SCHEMA } from './queue';
import { checkSendCondition } from './send-condition';

export interface TMailWorker {
  stop(): Promise<void>;
}

const { outgoingEmail } = schema;

/**
 * Sends the queued mail: one pg-boss job per outbox row. The row is claimed (`queued`/`retrying` → `sending`) in
 * one UPDATE before the SMTP conversation, so a job delivered twice (an expired job, two workers) sends once. An
 * SMTP failure marks the row `retrying` with the error and fails the job, so pg-boss retries it with back-off;
 * the last allowed attempt marks it `failed`. A worker dying between SMTP's acceptance and the `sent` update
 * leaves the row in `sending`: it is never sent again (at most once) and an operator sees its outcome is unknown.
 * A mail queued ahead with a condition (`sendIf`, see send-condition) is checked first: if what it announces is no
 * longer true, the row is marked `withdrawn` with the reason in `lastError` and nothing is sent.
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
  // No connection pool: one SMTP connection per mail, so a server that went away and came back is simply reached.
  const transport = nodemailer.createTransport(options.smtpUrl);
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
      for (const job of jobs) {
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
                and(
                  eq(outgoingEmail.id, outgoingEmailId),
                  inArray(outgoingEmail.status, ['queued', 'retrying']),
                ),
              );
            log(`mail ${outgoingEmailId}: ${lastTry ? 'failed' : 'will retry'}: ${reason}`);
            if (!lastTry) await boss.fail(queue, job.id, { message: reason });
            continue;
          }
          if (withdrawn) {
            await db
              .update(outgoingEmail)
              .set({ status: 'withdrawn', lastError: withdrawn, updatedAt: new Date() })
              .where(
                and(
                  eq(outgoingEmail.id, outgoingEmailId),
                  inArray(outgoingEmail.status, ['queued', 'retrying']),
                ),
              );
            log(`mail ${outgoingEmailId} ${withdrawn}`);
            continue;
          }
        }
        const [mail] = await db
          .update(outgoingEmail)
          .set({ status: 'sending', attempts: sql`${outgoingEmail.attempts} + 1`, updatedAt: new Date() })
          .where(
            and(eq(outgoingEmail.id, outgoingEmailId), inArray(outgoingEmail.status, ['queued', 'retrying'])),
          )
          .returning();
        if (!mail) continue; // sent, failed, or in the hands of another delivery: never twice
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
          continue;
        }
        await db
          .update(outgoingEmail)
          .set({ status: 'sent', sentAt: new Date(), lastError: null, updatedAt: new Date() })
          .where(eq(outgoingEmail.id, mail.id));
        log(`mail ${mail.id} (${mail.kind}) sent`);
      }
    },
  );

  return {
    async stop() {
      await boss.stop({ graceful: true, timeout: 5_000, wait: true });
      transport.close();
      await pool.end();
    },
  };
}
