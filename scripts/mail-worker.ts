/**
 * `npm run worker`: the Hub's mail worker, as its own process (production: run one or more beside the Hub; in
 * development `npm run dev` starts it). Sends what the Hub queued (hub."OutgoingEmail" through pg-boss) to
 * SMTP_URL, as the Hub's database role. Stops cleanly on SIGTERM/SIGINT, finishing the mail in hand.
 */
import { startMailWorker } from '@omg/mail';
import { parseEnv } from '@omg/platform';
import { z } from 'zod';

const ZWorkerEnvSchema = z.object({
  HUB_DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }),
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }),
});

async function main() {
  const env = parseEnv('OMG mail worker', ZWorkerEnvSchema);
  const log = (line: string) => console.log(`[mail-worker] ${line}`);
  const worker = await startMailWorker({ databaseUrl: env.HUB_DATABASE_URL, smtpUrl: env.SMTP_URL, log });
  log(`sending queued mail to ${new URL(env.SMTP_URL).host}`);
  const stop = async () => {
    await worker.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
