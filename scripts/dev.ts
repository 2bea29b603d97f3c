/**
 * `npm run dev`: database → migrations → catalog and demo account → both apps, then prints where to go.
 * With no DATABASE_URL it runs an embedded PostgreSQL, and with no STRIPE_SECRET_KEY the local Stripe emulator;
 * their data stays in the dev data folder between runs. With no SMTP_URL it runs a local SMTP catcher (every
 * mail lands in its inbox page, nothing leaves the machine), and the worker (mail, document indexing) beside the apps.
 */
import path from 'node:path';
import { DEMO_ACCOUNT, PortInUseError } from '@omg/db/setup';
import { startMailCatcher } from '@omg/mail/catcher';
import { appEnvironment } from './lib/app-env';
import { DEV_DATA_DIR, DEV_EMBEDDED, prepareSchema, resolveDatabase, seedDevData } from './lib/database';
import {
  GENERATED_SECRETS,
  LOCAL_ENV_FILE,
  REPO_ROOT,
  readLocalEnv,
  withGeneratedSecrets,
  writeLocalEnv,
} from './lib/env-file';
import { NEXT_BIN, startService, stopService, waitForHttp } from './lib/processes';
import { resolveStripe } from './lib/stripe';

const HUB_URL = process.env.HUB_URL ?? 'http://localhost:3000';
const SVD_URL = process.env.SVD_URL ?? 'http://localhost:3001';
const log = (line: string) => console.log(`[dev] ${line}`);

function startNextDev(app: 'hub' | 'svd', url: string, env: NodeJS.ProcessEnv) {
  const port = new URL(url).port || (app === 'hub' ? '3000' : '3001');
  return startService(app, NEXT_BIN, ['dev', '--port', port], env, path.join(REPO_ROOT, 'apps', app));
}

async function main() {
  const stored = readLocalEnv();
  const secrets = withGeneratedSecrets(stored);
  // A secret set in the shell (production-like runs) wins over the generated one.
  for (const key of GENERATED_SECRETS) {
    const value = process.env[key];
    if (value) secrets[key] = value;
  }

  log(
    process.env.DATABASE_URL ? 'using the database from DATABASE_URL' : 'starting the embedded PostgreSQL…',
  );
  const target = await resolveDatabase({
    env: process.env,
    secrets,
    embedded: DEV_EMBEDDED,
    log,
  });
  await prepareSchema(target.urls);
  const env = appEnvironment({
    secrets,
    urls: target.urls,
    hubUrl: HUB_URL,
    svdUrl: SVD_URL,
    nodeEnv: 'development',
    storageDir: path.join(DEV_DATA_DIR, 'storage'),
  });
  await seedDevData(target.urls, env);
  const payments = await resolveStripe({
    dataDir: DEV_DATA_DIR,
    port: Number(process.env.STRIPE_EMULATOR_PORT ?? 12111),
    webhook: { url: `${HUB_URL}/api/webhooks/stripe`, secret: secrets.STRIPE_WEBHOOK_SECRET ?? '' },
    hubDatabaseUrl: target.urls.HUB_DATABASE_URL,
  });
  Object.assign(env, payments.env);
  log(
    `${payments.emulator ? `local Stripe emulator at ${payments.emulator.url}` : 'Stripe from STRIPE_SECRET_KEY'}; catalog synced ${JSON.stringify(payments.catalog)}`,
  );
  const catcher = process.env.SMTP_URL
    ? null
    : await startMailCatcher({
        smtpPort: Number(process.env.MAIL_CATCHER_SMTP_PORT ?? 1025),
        httpPort: Number(process.env.MAIL_CATCHER_PORT ?? 1080),
      });
  if (catcher) Object.assign(env, { SMTP_URL: catcher.smtpUrl });
  writeLocalEnv({ ...stored, ...secrets, ...target.urls });
  log(`migrated and seeded; secrets and database URLs are in ${path.relative(REPO_ROOT, LOCAL_ENV_FILE)}`);

  const services = [
    startNextDev('hub', HUB_URL, env),
    startNextDev('svd', SVD_URL, env),
    // Every queue (the Hub's mail, SVD's document indexing), as `npm run worker` runs it in production.
    startService('worker', path.join(REPO_ROOT, 'node_modules/.bin/tsx'), ['scripts/worker.ts'], env),
  ];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping…');
    await Promise.all(services.map(stopService));
    await payments.emulator?.close();
    await catcher?.close();
    await target.embedded?.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  for (const service of services) service.on('exit', () => void shutdown(1));

  await Promise.all([
    waitForHttp(`${HUB_URL}/api/health`, 180_000),
    waitForHttp(`${SVD_URL}/api/health`, 180_000),
  ]);
  console.log(
    [
      '',
      '  OMG platform is running',
      `  Hub (OMG System):        ${HUB_URL}`,
      `  SecureVault Docs (SVD):  ${SVD_URL}`,
      `  Demo login:              ${DEMO_ACCOUNT.email} / ${DEMO_ACCOUNT.password}`,
      '  Database shell:          npm run db:psql',
      `  Data (database, files):  ${DEV_DATA_DIR}`,
      `  Mail:                    ${catcher ? `local inbox ${catcher.inboxUrl} (SMTP ${catcher.smtpUrl})` : `SMTP_URL (${new URL(env.SMTP_URL ?? '').host})`}`,
      `  Stripe:                  ${payments.emulator ? `local emulator ${payments.emulator.url} (test card 4242 4242 4242 4242)` : 'your account (STRIPE_SECRET_KEY)'}`,
      '  Stop with Ctrl-C.',
      '',
    ].join('\n'),
  );
}

main().catch((error) => {
  console.error(error instanceof PortInUseError ? `\n${error.message}\n` : error);
  process.exit(1);
});
