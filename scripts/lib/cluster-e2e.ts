/**
 * The browser suite's cluster stage (`npm run test:e2e`, after the main run): the builds the main run made, now as
 * production runs them — two `next start` instances of each app behind nginx on :3200/:3201 — and Playwright's
 * `cluster` project (packages/e2e/specs/cluster) through the balancer and against single instances.
 */
import path from 'node:path';
import { createDatabase } from '@omg/db';
import { seedCatalog } from '@omg/db/setup';
import { CLUSTER_PORTS, startCluster } from './cluster';
import type { TDatabaseUrls } from './database';
import { REPO_ROOT } from './env-file';
import { run } from './processes';
import { resolveStripe } from './stripe';

/** What the cluster's specs read from E2E_CLUSTER (packages/e2e/fixtures/cluster.ts). */
export interface TClusterForSpecs {
  accessLog: string;
  instances: Array<{ name: string; app: 'hub' | 'svd'; url: string }>;
}

export async function runClusterStage(options: {
  /** The main run's environment: secrets, database URLs, SMTP catcher. */
  env: NodeJS.ProcessEnv;
  urls: TDatabaseUrls;
  webhookSecret: string;
  /** Filters for Playwright (`npm run test:e2e -- --cluster <specs or -g name>`). */
  playwrightArgs: string[];
  log: (line: string) => void;
}): Promise<number> {
  const hubUrl = `http://localhost:${CLUSTER_PORTS.hub}`;
  const svdUrl = `http://localhost:${CLUSTER_PORTS.svd}`;
  // A Stripe emulator of its own, delivering to the balancer: the emulator sends each event to one URL, as Stripe
  // does, and nginx picks the instance.
  const payments = await resolveStripe({
    dataDir: null,
    port: 0,
    emulatorOnly: true,
    hubDatabaseUrl: options.urls.HUB_DATABASE_URL,
    webhook: { url: `${hubUrl}/api/webhooks/stripe`, secret: options.webhookSecret },
  });
  const env: NodeJS.ProcessEnv = { ...options.env, ...payments.env, HUB_URL: hubUrl, SVD_URL: svdUrl };
  // The portal launches SVD at the catalog's launch URL: the balancer's now.
  const seeding = createDatabase(options.urls.HUB_DATABASE_URL, { max: 1 });
  try {
    await seedCatalog(seeding.db, env);
  } finally {
    await seeding.pool.end();
  }
  options.log('cluster stage: 2 instances of each app behind nginx');
  const started = Date.now();
  try {
    const cluster = await startCluster({ env, instances: 2, quiet: true, log: options.log });
    try {
      const forSpecs: TClusterForSpecs = { accessLog: cluster.accessLog, instances: cluster.instances };
      const code = await run(
        path.join(REPO_ROOT, 'node_modules/.bin/playwright'),
        ['test', '--config', 'packages/e2e/playwright.config.ts', ...options.playwrightArgs],
        { ...env, E2E_HUB_URL: hubUrl, E2E_SVD_URL: svdUrl, E2E_CLUSTER: JSON.stringify(forSpecs) },
      );
      options.log(
        `cluster stage: requests per instance ${JSON.stringify(await cluster.requestsPerInstance())}; ${Math.round((Date.now() - started) / 1000)} s`,
      );
      return code;
    } finally {
      await cluster.stop();
    }
  } finally {
    await payments.emulator?.close();
  }
}
