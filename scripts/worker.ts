/**
 * `npm run worker`: every background queue, as its own process (production: run one or more beside the apps —
 * any number may run, each job goes to one of them; in development `npm run dev` starts one):
 * - the Hub's mail (queue `outgoing-email` in schema `pgboss`, as the Hub's role): sends what the Hub queued
 *   (hub."OutgoingEmail") to SMTP_URL;
 * - SVD's indexing (queue `svd.index-document` in schema `svd_queue`, as SVD's role): extracts each uploaded
 *   document's text for search in a child process with time and memory limits, and charges its processing units.
 *   It needs SVD's own environment (SVD_DATABASE_URL, STORAGE_DIR or S3_*, STORAGE_MASTER_KEY, …): it decrypts
 *   the documents. STORAGE_DIR is relative to apps/svd, as it is for the running app.
 * - the console's metrics snapshots (issue 14, hub."SubscriptionMetricsSnapshot", as the Hub's role): brought up to
 *   date when the worker starts, every 15 minutes and just after each month starts, so the requests that would
 *   replay the subscription history (the first after a deploy, a new month, a late row) are the worker's, not a
 *   visitor's. Several workers each write the same rows.
 * Stops cleanly on SIGTERM/SIGINT: the mail in hand is finished; documents being read are given back to the queue.
 */
import path from 'node:path';
import { createDatabase } from '@omg/db';
import { KEEP_METRICS_SNAPSHOTS_EVERY_MS, keepMetricsSnapshots } from '@omg/hub/maintenance';
import { startMailWorker } from '@omg/mail';
import { parseEnv } from '@omg/platform';
import { logger, startIndexWorker, svdEnv } from '@omg/svd/maintenance';
import { z } from 'zod';
import { REPO_ROOT } from './lib/env-file';

const ZWorkerEnvSchema = z.object({
  HUB_DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }),
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }),
  /** Documents one worker process reads at once (a child process each, up to 256 MB of heap each). */
  INDEX_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
  /** How often an idle worker looks for mail (pg-boss's minimum is 0.5 s); the browser suite waits on each mail. */
  MAIL_POLL_SECONDS: z.coerce.number().min(0.5).max(60).default(2),
});

async function main() {
  const env = parseEnv('OMG worker', ZWorkerEnvSchema);
  const svd = svdEnv();
  process.chdir(path.join(REPO_ROOT, 'apps', 'svd'));
  const log = (line: string) => console.log(`[mail-worker] ${line}`);
  const mail = await startMailWorker({
    databaseUrl: env.HUB_DATABASE_URL,
    smtpUrl: env.SMTP_URL,
    pollingIntervalSeconds: env.MAIL_POLL_SECONDS,
    log,
  });
  log(`sending queued mail to ${new URL(env.SMTP_URL).host}`);
  const indexLog = logger.child({ worker: 'index' });
  const index = await startIndexWorker({
    databaseUrl: svd.SVD_DATABASE_URL,
    concurrency: env.INDEX_CONCURRENCY,
    log: indexLog,
  });
  indexLog.info({ concurrency: env.INDEX_CONCURRENCY }, 'indexing uploaded documents');
  const metrics = startMetricsSnapshots(env.HUB_DATABASE_URL);
  const stop = async () => {
    await Promise.all([mail.stop(), index.stop(), metrics.stop()]);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

/** keepMetricsSnapshots now, then every KEEP_METRICS_SNAPSHOTS_EVERY_MS and 5 s after each month starts. */
function startMetricsSnapshots(databaseUrl: string) {
  const hub = createDatabase(databaseUrl, { max: 2, applicationName: 'omg-worker-metrics' });
  const log = (line: string) => console.log(`[metrics] ${line}`);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const run = async () => {
    const started = Date.now();
    try {
      const filters = await keepMetricsSnapshots(hub.db);
      log(`snapshots up to date for ${filters.join(', ')} in ${Date.now() - started} ms`);
    } catch (error) {
      // The dashboard computes what is missing itself; the next pass tries again.
      log(`snapshots not kept: ${error instanceof Error ? error.message : error}`);
    }
    if (stopped) return;
    const now = new Date();
    const nextMonth = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1) + 5_000;
    timer = setTimeout(
      () => {
        running = run();
      },
      Math.min(KEEP_METRICS_SNAPSHOTS_EVERY_MS, nextMonth - now.getTime()),
    );
  };
  let running = run();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
      await hub.pool.end();
    },
  };
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
