import { createDatabase } from '@omg/db';
import { MAIL_QUEUE, PG_BOSS_SCHEMA, startMailWorker, type TMailWorker } from '@omg/mail';

/** Long enough for the backlog a whole Hub stream leaves (about 150 mails, 5–11 s at load 20), within hookTimeout. */
const DRAIN_TIMEOUT_MS = 25_000;

/**
 * The real mail worker, as the Hub's role, delivering to the SMTP catcher `npm run test:unit` started, for a test
 * file that reads the mail it causes. It returns once the mail earlier files left on the shared queue is sent:
 * most Hub files queue mail (sign-ups, invitations, billing notices) with no worker running, and a worker sends
 * the oldest first, so without this a file's first mail waited behind all of them (150 mails, over 20 s in CI).
 * After this, a test's wait is for its own mail only.
 */
export async function startTestMailWorker(): Promise<TMailWorker> {
  const databaseUrl = process.env.HUB_DATABASE_URL;
  const smtpUrl = process.env.SMTP_URL;
  if (!databaseUrl || !smtpUrl) throw new Error('run with `npm run test:unit`: it starts the SMTP catcher');
  const worker = await startMailWorker({ databaseUrl, smtpUrl, pollingIntervalSeconds: 0.5 });
  const { pool } = createDatabase(databaseUrl, { max: 1 });
  try {
    const startedAt = (await pool.query<{ now: Date }>('SELECT now()')).rows[0]?.now;
    // Due jobs queued before now; later ones are this file's, and reminders due later are not a backlog.
    const backlog = async () =>
      (
        await pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM ${PG_BOSS_SCHEMA}.job
            WHERE name = $1 AND state IN ('created', 'retry') AND created_on < $2 AND start_after <= now()`,
          [MAIL_QUEUE, startedAt],
        )
      ).rows[0]?.n ?? 0;
    const deadline = Date.now() + DRAIN_TIMEOUT_MS;
    for (let left = await backlog(); left > 0; left = await backlog()) {
      if (Date.now() > deadline) {
        await worker.stop();
        throw new Error(`the mail queue still holds ${left} earlier mails after ${DRAIN_TIMEOUT_MS} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await pool.end();
  }
  return worker;
}
