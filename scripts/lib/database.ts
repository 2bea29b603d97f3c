import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { createDatabase } from '@omg/db';
import {
  applyRoleGrants,
  credentialsFromUrl,
  migrateDatabase,
  seedCatalog,
  seedDemoAccount,
  startEmbeddedPostgres,
  type TEmbeddedPostgres,
  urlWithCredentials,
} from '@omg/db/setup';
import { prepareMailQueue } from '@omg/mail';
import { prepareIndexQueue } from '@omg/svd/maintenance';

import { seedDemoCoupons } from '../../packages/db/src/seed';
import { REPO_ROOT } from './env-file';

export const HUB_ROLE = 'omg_hub';

/**
 * Where `npm run dev` keeps its data (the embedded PostgreSQL, encrypted documents) between runs. Outside the
 * repository on purpose: Turbopack watches every file under the workspace root, and a database writing inside
 * it makes `next dev` rebuild and reload pages without end. One folder per checkout; OMG_DATA_DIR overrides it.
 */
export const DEV_DATA_DIR = process.env.OMG_DATA_DIR ?? path.join(dataHome(), 'omg-platform', checkoutId());

function dataHome(): string {
  // As root, PostgreSQL runs as the `postgres` user, who cannot enter root's home: use the system's state folder.
  if (process.getuid?.() === 0) return '/var/lib';
  return process.env.XDG_DATA_HOME ?? path.join(os.homedir(), '.local/share');
}

function checkoutId(): string {
  return `${path.basename(REPO_ROOT)}-${createHash('sha256').update(REPO_ROOT).digest('hex').slice(0, 8)}`;
}

export const DEV_EMBEDDED = {
  dataDir: path.join(DEV_DATA_DIR, 'postgres'),
  port: Number(process.env.EMBEDDED_PG_PORT ?? 54320),
};
export const SVD_ROLE = 'omg_svd';

export interface TDatabaseUrls {
  DATABASE_URL: string;
  HUB_DATABASE_URL: string;
  SVD_DATABASE_URL: string;
}

export interface TDatabaseTarget {
  urls: TDatabaseUrls;
  embedded: TEmbeddedPostgres | null;
}

/** True when the operator pointed us at a database of their own (nothing is started then). */
export function hasExternalDatabase(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.DATABASE_URL || env.HUB_DATABASE_URL || env.SVD_DATABASE_URL);
}

export function roleUrls(adminUrl: string, secrets: Record<string, string | undefined>): TDatabaseUrls {
  return {
    DATABASE_URL: adminUrl,
    HUB_DATABASE_URL: urlWithCredentials(adminUrl, {
      user: HUB_ROLE,
      password: secrets.HUB_DB_PASSWORD ?? '',
    }),
    SVD_DATABASE_URL: urlWithCredentials(adminUrl, {
      user: SVD_ROLE,
      password: secrets.SVD_DB_PASSWORD ?? '',
    }),
  };
}

/**
 * Resolves the database to use: the operator's (from the shell environment) or an embedded PostgreSQL.
 * Per-app URLs default to least-privilege roles derived from DATABASE_URL.
 */
export async function resolveDatabase(options: {
  env: NodeJS.ProcessEnv;
  secrets: Record<string, string>;
  embedded: { dataDir: string; port: number; ephemeral?: boolean };
  log: (line: string) => void;
}): Promise<TDatabaseTarget> {
  const { env, secrets } = options;
  if (hasExternalDatabase(env)) {
    if (!env.DATABASE_URL && !(env.HUB_DATABASE_URL && env.SVD_DATABASE_URL)) {
      throw new Error(
        'Set DATABASE_URL (used for migrations), or both HUB_DATABASE_URL and SVD_DATABASE_URL for an already migrated database.',
      );
    }
    const derived = env.DATABASE_URL ? roleUrls(env.DATABASE_URL, secrets) : null;
    return {
      embedded: null,
      urls: {
        DATABASE_URL: env.DATABASE_URL ?? '',
        HUB_DATABASE_URL: env.HUB_DATABASE_URL ?? derived?.HUB_DATABASE_URL ?? '',
        SVD_DATABASE_URL: env.SVD_DATABASE_URL ?? derived?.SVD_DATABASE_URL ?? '',
      },
    };
  }
  const embedded = await startEmbeddedPostgres({
    dataDir: path.resolve(options.embedded.dataDir),
    port: options.embedded.port,
    password: secrets.EMBEDDED_PG_PASSWORD ?? '',
    database: 'omg',
    ephemeral: options.embedded.ephemeral,
    log: (line) => {
      if (/FATAL|PANIC/.test(line)) options.log(`[postgres] ${line}`);
    },
  });
  return { embedded, urls: roleUrls(embedded.adminUrl, secrets) };
}

/**
 * Migrations, the queues' schemas (pg-boss: the Hub's mail in `pgboss`, SVD's indexing in `svd_queue`), then the
 * per-app roles and their grants; all safe to repeat.
 */
export async function prepareSchema(urls: TDatabaseUrls): Promise<void> {
  if (!urls.DATABASE_URL) return;
  await migrateDatabase(urls.DATABASE_URL);
  await prepareMailQueue(urls.DATABASE_URL);
  await prepareIndexQueue(urls.DATABASE_URL);
  await applyRoleGrants(urls.DATABASE_URL, {
    hub: credentialsFromUrl(urls.HUB_DATABASE_URL),
    svd: credentialsFromUrl(urls.SVD_DATABASE_URL),
  });
}

/** The catalog (launch URLs from `env`), the demo account and the demo coupon, written as the Hub's role. */
export async function seedDevData(urls: TDatabaseUrls, env: NodeJS.ProcessEnv): Promise<void> {
  const { db, pool } = createDatabase(urls.HUB_DATABASE_URL, { max: 1 });
  try {
    await seedCatalog(db, env);
    await seedDemoAccount(db);
    await seedDemoCoupons(db);
  } finally {
    await pool.end();
  }
}
