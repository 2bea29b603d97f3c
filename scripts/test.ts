/**
 * `npm test`: a fresh, throw-away PostgreSQL (or DATABASE_URL, which must be local), migrations and seeds,
 * then Vitest (unit + integration) and the Playwright browser suite against production builds of both apps.
 * `npm run test:unit` and `npm run test:e2e` run one half.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createDatabase } from '@omg/db';
import { findFreePort, seedCatalog } from '@omg/db/setup';
import { startMailCatcher, type TMailCatcher } from '@omg/mail/catcher';
import { seedDemoCoupons } from '../packages/db/src/seed';
import vitestConfig from '../vitest.config';
import { appEnvironment } from './lib/app-env';
import { runClusterStage } from './lib/cluster-e2e';
import { prepareSchema, resolveDatabase } from './lib/database';
import { REPO_ROOT, withGeneratedSecrets } from './lib/env-file';
import { NEXT_BIN, run, startService, stopService } from './lib/processes';
import { resolveStripe, type TStripeTarget } from './lib/stripe';

const mode = process.argv[2] ?? 'all';
/**
 * `npm run test:unit -- <filters>` passes its filters (file paths or `-t name`) to Vitest;
 * `npm run test:e2e -- <spec files or -g name>` passes them to Playwright.
 */
const vitestArgs = process.argv.slice(3);
const log = (line: string) => console.log(`[test] ${line}`);
/**
 * The unit suite's two streams (Vitest project names); together they must name every project in vitest.config.ts.
 * SVD's stream is the shorter by design: under `npm test` the apps' builds start when it ends, beside the rest of
 * the Hub's (CI run of 2026-12-02: SVD's files ~300 s, the Hub's ~330 s, the packages ~90 s, the builds ~115 s).
 * (`mail` and `db` were put in the Hub's stream when CI lost billing-emails.test's "plan is now Pro" mail; the
 * cause was not them but the ~150 mails earlier Hub files leave on the shared queue with no worker running, which a
 * worker sends oldest first: see apps/hub/src/testing/start-test-mail-worker.ts.)
 */
const UNIT_STREAMS = [
  ['hub', 'mail', 'db', 'billing', 'stripe-emulator', 'platform', 'contract', 'bench'],
  ['svd'],
];
const HUB_URL = 'http://localhost:3100';
const SVD_URL = 'http://localhost:3101';

function assertLocal(url: string) {
  const host = new URL(url).hostname;
  if (!['localhost', '127.0.0.1', '::1', '[::1]'].includes(host)) {
    throw new Error(
      `Refusing to run tests against a non-local database (${host}). Tests write and delete data.`,
    );
  }
}

async function main(): Promise<number> {
  if (!['all', 'unit', 'e2e'].includes(mode)) throw new Error('usage: tsx scripts/test.ts [all|unit|e2e]');
  if (mode === 'all') {
    log('lint and format check (biome)…');
    if ((await run(path.join(REPO_ROOT, 'node_modules/.bin/biome'), ['check', '.'], process.env)) !== 0)
      return 1;
  }
  for (const key of ['DATABASE_URL', 'HUB_DATABASE_URL', 'SVD_DATABASE_URL'] as const) {
    const value = process.env[key];
    if (value) assertLocal(value);
  }
  const secrets = withGeneratedSecrets({});
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'omg-test-'));
  const started = Date.now();
  // Set inside the builds' closure, so TypeScript must not narrow it to its first value.
  let payments = null as TStripeTarget | null;
  let catcher: TMailCatcher | null = null;
  let mailWorker: ReturnType<typeof startService> | null = null;
  const target = await resolveDatabase({
    env: process.env,
    secrets,
    embedded: { dataDir: path.join(scratch, 'postgres'), port: await findFreePort(), ephemeral: true },
    log,
  });
  try {
    await prepareSchema(target.urls);
    const env = appEnvironment({
      secrets,
      urls: target.urls,
      hubUrl: HUB_URL,
      svdUrl: SVD_URL,
      nodeEnv: 'production',
      storageDir: path.join(scratch, 'storage'),
    });
    const seeding = createDatabase(target.urls.HUB_DATABASE_URL, { max: 1 });
    await seedCatalog(seeding.db, env);
    await seedDemoCoupons(seeding.db);
    await seeding.pool.end();
    log(`database ready in ${Date.now() - started} ms`);
    // A real SMTP server on free ports: tests read the mail they cause from its inbox (MAIL_CATCHER_URL).
    catcher = await startMailCatcher();
    Object.assign(env, { SMTP_URL: catcher.smtpUrl, MAIL_CATCHER_URL: catcher.inboxUrl });

    // The browser suite pays through a throw-away local Stripe that delivers signed events to the Hub; the builds
    // read its keys. Both builds run once (hub, then svd); `all` starts them beside the unit stream that ends last.
    let builds: Promise<number> | null = null;
    const buildApps = (niceness: number) =>
      (builds ??= (async () => {
        payments = await resolveStripe({
          dataDir: null,
          port: 0,
          emulatorOnly: true,
          hubDatabaseUrl: target.urls.HUB_DATABASE_URL,
          webhook: { url: `${HUB_URL}/api/webhooks/stripe`, secret: `whsec_${secrets.SSO_SECRET}` },
        });
        Object.assign(env, payments.env);
        for (const app of ['hub', 'svd']) {
          const buildStarted = Date.now();
          log(`building ${app}…`);
          // Beside a unit stream the build runs at a lower CPU priority: the stream's timed waits keep their core,
          // and the build takes what the stream leaves idle.
          const [command, args] =
            niceness > 0 ? ['nice', ['-n', String(niceness), NEXT_BIN, 'build']] : [NEXT_BIN, ['build']];
          const code = await run(command, args, env, path.join(REPO_ROOT, 'apps', app));
          log(`${app} built in ${Math.round((Date.now() - buildStarted) / 1000)} s (exit ${code})`);
          if (code !== 0) return code;
        }
        return 0;
      })());

    let failed = 0;
    if (mode !== 'e2e') {
      const vitestEnv = { ...env, NODE_ENV: 'test', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' };
      const vitest = path.join(REPO_ROOT, 'node_modules/.bin/vitest');
      if (vitestArgs.length > 0) {
        failed += await run(vitest, ['run', ...vitestArgs], vitestEnv);
      } else {
        // The whole suite in two Vitest processes at once, each running its files one after another
        // (fileParallelism: false): the Hub's files with the packages', and SVD's. Much of a file's
        // time is waiting (drills, back-off, queues), so two streams on two cores finish well before one would.
        // Files of the two streams share the database and the mail catcher, as files already do across a run:
        // each works on its own users, ids and queues.
        const streamed = UNIT_STREAMS.flat().sort().join(' ');
        const configured = (vitestConfig.test?.projects ?? []).map((project) =>
          path.basename(String(project)),
        );
        if (streamed !== configured.sort().join(' ')) {
          throw new Error(
            `UNIT_STREAMS (${streamed}) must name every Vitest project (${configured.join(' ')})`,
          );
        }
        log(`unit tests in two streams: ${UNIT_STREAMS.map((projects) => projects.join(' ')).join(' | ')}`);
        const unitStarted = Date.now();
        const codes = await Promise.all(
          UNIT_STREAMS.map(async (projects) => {
            const code = await run(
              vitest,
              ['run', ...projects.flatMap((name) => ['--project', name])],
              vitestEnv,
            );
            log(
              `unit stream ${projects.join(' ')} done in ${Math.round((Date.now() - unitStarted) / 1000)} s`,
            );
            // `npm test`: the first stream to end frees a core, and the builds the browser suite needs take it.
            if (mode === 'all') buildApps(10).catch(() => undefined);
            return code;
          }),
        );
        failed += codes.filter((code) => code !== 0).length;
      }
    }
    if (mode !== 'unit') {
      const built = await buildApps(0);
      if (built !== 0) return built;
      // The worker (mail and document indexing) runs beside the apps as in production (`npm run worker`), looking
      // for mail every 0.5 s instead of 2: specs wait on the mails they cause (verification, invitations, notices).
      mailWorker = startService(
        'worker',
        path.join(REPO_ROOT, 'node_modules/.bin/tsx'),
        ['scripts/worker.ts'],
        { ...env, MAIL_POLL_SECONDS: '0.5' },
      );
      // `-- --cluster [filters]` runs only the cluster stage; other filters only the main run.
      const clusterOnly = mode === 'e2e' && vitestArgs[0] === '--cluster';
      const e2eFilters = mode === 'e2e' ? vitestArgs.slice(clusterOnly ? 1 : 0) : [];
      if (!clusterOnly) {
        failed += await run(
          path.join(REPO_ROOT, 'node_modules/.bin/playwright'),
          ['test', '--config', 'packages/e2e/playwright.config.ts', ...e2eFilters],
          { ...env, E2E_HUB_URL: env.HUB_URL, E2E_SVD_URL: env.SVD_URL },
        );
      }
      // The same builds again as production runs them: two instances of each app behind nginx.
      if (clusterOnly || e2eFilters.length === 0) {
        failed += await runClusterStage({
          env,
          urls: target.urls,
          webhookSecret: `whsec_${secrets.SSO_SECRET}`,
          playwrightArgs: clusterOnly ? e2eFilters : [],
          log,
        });
      }
    }
    return failed === 0 ? 0 : 1;
  } finally {
    await payments?.emulator?.close();
    if (mailWorker) await stopService(mailWorker);
    await catcher?.close();
    await target.embedded?.stop();
    await rm(scratch, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
