/**
 * `npm run cluster [-- --instances N] [-- --no-build]`: the platform as production runs it, on this machine. The
 * dev database (embedded PostgreSQL unless DATABASE_URL is set), migrations and seeds as `npm run dev` does, the
 * local Stripe emulator and SMTP catcher, production builds of both apps, then N `next start` instances of the Hub
 * and N of SVD (default 2) on loopback ports behind nginx (round-robin) on :3200 (Hub) and :3201 (SVD), and N
 * workers. Ctrl-C stops everything and prints how many requests each instance answered.
 */
import path from 'node:path';
import { DEMO_ACCOUNT, PortInUseError } from '@omg/db/setup';
import { startMailCatcher } from '@omg/mail/catcher';
import { appEnvironment } from './lib/app-env';
import { CLUSTER_PORTS, startCluster } from './lib/cluster';
import { DEV_DATA_DIR, DEV_EMBEDDED, prepareSchema, resolveDatabase, seedDevData } from './lib/database';
import {
  GENERATED_SECRETS,
  REPO_ROOT,
  readLocalEnv,
  withGeneratedSecrets,
  writeLocalEnv,
} from './lib/env-file';
import { NEXT_BIN, run, startService, stopService } from './lib/processes';
import { resolveStripe } from './lib/stripe';

const log = (line: string) => console.log(`[cluster] ${line}`);

function parseArgs(argv: string[]): { instances: number; build: boolean } {
  let instances = 2;
  let build = true;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--no-build') build = false;
    else if (arg === '--instances') instances = Number(argv[++i]);
    else if (arg?.startsWith('--instances=')) instances = Number(arg.slice('--instances='.length));
    else throw new Error(`unknown argument ${arg}; usage: npm run cluster -- [--instances N] [--no-build]`);
  }
  if (!Number.isInteger(instances) || instances < 1 || instances > 9) {
    throw new Error('--instances must be a whole number from 1 to 9');
  }
  return { instances, build };
}

async function main() {
  const { instances, build } = parseArgs(process.argv.slice(2));
  const hubUrl = `http://localhost:${CLUSTER_PORTS.hub}`;
  const svdUrl = `http://localhost:${CLUSTER_PORTS.svd}`;
  const stored = readLocalEnv();
  const secrets = withGeneratedSecrets(stored);
  for (const key of GENERATED_SECRETS) {
    const value = process.env[key];
    if (value) secrets[key] = value;
  }
  const target = await resolveDatabase({ env: process.env, secrets, embedded: DEV_EMBEDDED, log });
  await prepareSchema(target.urls);
  const env = appEnvironment({
    secrets,
    urls: target.urls,
    hubUrl,
    svdUrl,
    nodeEnv: 'production',
    storageDir: path.join(DEV_DATA_DIR, 'storage'),
  });
  // The shell's HUB_URL/SVD_URL are dev's: the cluster's public origins are the balancer's.
  Object.assign(env, { HUB_URL: hubUrl, SVD_URL: svdUrl });
  await seedDevData(target.urls, env);
  const payments = await resolveStripe({
    dataDir: DEV_DATA_DIR,
    port: Number(process.env.STRIPE_EMULATOR_PORT ?? 12111),
    webhook: { url: `${hubUrl}/api/webhooks/stripe`, secret: secrets.STRIPE_WEBHOOK_SECRET ?? '' },
    hubDatabaseUrl: target.urls.HUB_DATABASE_URL,
  });
  Object.assign(env, payments.env);
  const catcher = process.env.SMTP_URL
    ? null
    : await startMailCatcher({
        smtpPort: Number(process.env.MAIL_CATCHER_SMTP_PORT ?? 1025),
        httpPort: Number(process.env.MAIL_CATCHER_PORT ?? 1080),
      });
  if (catcher) Object.assign(env, { SMTP_URL: catcher.smtpUrl });
  // The same secrets next time (documents stay readable), as `npm run dev` keeps them.
  writeLocalEnv({ ...stored, ...secrets, ...target.urls });

  if (build) {
    for (const app of ['hub', 'svd']) {
      log(`building ${app}…`);
      if ((await run(NEXT_BIN, ['build'], env, path.join(REPO_ROOT, 'apps', app))) !== 0) process.exit(1);
    }
  }
  const cluster = await startCluster({ env, instances, log });
  // Workers take jobs from PostgreSQL, so any number can run: as many as instances of each app.
  const workers = Array.from({ length: instances }, (_, i) =>
    startService(
      `worker-${i + 1}`,
      path.join(REPO_ROOT, 'node_modules/.bin/tsx'),
      ['scripts/worker.ts'],
      env,
    ),
  );

  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping…');
    const counts = await cluster.requestsPerInstance().catch(() => ({}));
    await cluster.stop();
    await Promise.all(workers.map(stopService));
    await payments.emulator?.close();
    await catcher?.close();
    await target.embedded?.stop();
    log(`requests per instance: ${JSON.stringify(counts)}`);
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  for (const worker of workers) worker.on('exit', () => void shutdown(1));

  console.log(
    [
      '',
      `  OMG platform: ${instances} instances of each app behind nginx (round-robin)`,
      `  Hub (OMG System):        ${hubUrl}   instances ${cluster.instances
        .filter((i) => i.app === 'hub')
        .map((i) => `${i.name} ${i.url}`)
        .join(', ')}`,
      `  SecureVault Docs (SVD):  ${svdUrl}   instances ${cluster.instances
        .filter((i) => i.app === 'svd')
        .map((i) => `${i.name} ${i.url}`)
        .join(', ')}`,
      `  Demo login:              ${DEMO_ACCOUNT.email} / ${DEMO_ACCOUNT.password}`,
      `  Balancer's access log:   ${cluster.accessLog} (the first field names the instance)`,
      `  Mail:                    ${catcher ? `local inbox ${catcher.inboxUrl}` : 'SMTP_URL'}`,
      `  Stripe:                  ${payments.emulator ? `local emulator ${payments.emulator.url}` : 'your account (STRIPE_SECRET_KEY)'}`,
      '  Stop with Ctrl-C (prints the requests each instance answered).',
      '',
    ].join('\n'),
  );
}

main().catch((error) => {
  console.error(error instanceof PortInUseError ? `\n${error.message}\n` : error);
  process.exit(1);
});
