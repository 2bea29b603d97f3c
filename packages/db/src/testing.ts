import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createDatabase, type TDatabaseHandle } from './client';
import { findFreePort, startEmbeddedPostgres, type TEmbeddedPostgres } from './embedded';
import { migrateDatabase } from './migrate';
import { applyRoleGrants, urlWithCredentials } from './roles';
import * as schema from './schema';

/** The database URLs `npm test` prepared; tests fail with a clear message when run without it. */
export function testDatabaseUrls() {
  const { DATABASE_URL, HUB_DATABASE_URL, SVD_DATABASE_URL } = process.env;
  if (!DATABASE_URL || !HUB_DATABASE_URL || !SVD_DATABASE_URL) {
    throw new Error(
      'Database tests need the test database: run them with `npm run test:unit` (or `npm test`).',
    );
  }
  return { DATABASE_URL, HUB_DATABASE_URL, SVD_DATABASE_URL };
}

export function connectAs(role: 'admin' | 'hub' | 'svd'): TDatabaseHandle {
  const urls = testDatabaseUrls();
  const url = { admin: urls.DATABASE_URL, hub: urls.HUB_DATABASE_URL, svd: urls.SVD_DATABASE_URL }[role];
  return createDatabase(url, { max: 4 });
}

/** A unique address per test, so tests never collide on the shared database. */
export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.test`;
}

/** A live Hub session for a user, as better-auth would write it after a login. Returns its id. */
export async function seedHubSession(
  db: TDatabaseHandle['db'],
  userId: string,
  ttlSeconds = 3600,
): Promise<string> {
  const id = randomUUID();
  await db.insert(schema.session).values({
    id,
    userId,
    token: randomUUID(),
    expiresAt: new Date(Date.now() + ttlSeconds * 1000),
  });
  return id;
}

export interface TStoppableDatabase {
  /** Admin, Hub role and SVD role URLs of this server, as `npm test` gives them in the environment. */
  urls: { DATABASE_URL: string; HUB_DATABASE_URL: string; SVD_DATABASE_URL: string };
  port: number;
  /** Stops the server (a fast shutdown: sessions are terminated, the port closes); its data stays. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  start(): Promise<void>;
  /** Stops it if running and deletes its data. */
  close(): Promise<void>;
}

/**
 * A PostgreSQL of a test's own that it may stop and start again (outage drills): migrated, `prepare` run as the
 * admin (the mail queue's schema), then the Hub's and SVD's roles with their grants — as `npm test` prepares its
 * shared database, which no test may stop.
 */
export async function startStoppableDatabase(
  options: { prepare?: (adminUrl: string) => Promise<void> } = {},
): Promise<TStoppableDatabase> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'omg-outage-'));
  // The server runs as its own OS user (when we are root), which must be able to walk to its data folder.
  await chmod(scratch, 0o755);
  const settings = {
    dataDir: path.join(scratch, 'cluster', 'data'),
    port: await findFreePort(),
    password: randomUUID(),
    database: 'omg',
  };
  let server: TEmbeddedPostgres | null = await startEmbeddedPostgres(settings);
  const adminUrl = server.adminUrl;
  const hub = { user: 'omg_hub', password: randomUUID() };
  const svd = { user: 'omg_svd', password: randomUUID() };
  await migrateDatabase(adminUrl);
  await options.prepare?.(adminUrl);
  await applyRoleGrants(adminUrl, { hub, svd });
  return {
    urls: {
      DATABASE_URL: adminUrl,
      HUB_DATABASE_URL: urlWithCredentials(adminUrl, hub),
      SVD_DATABASE_URL: urlWithCredentials(adminUrl, svd),
    },
    port: settings.port,
    async stop() {
      await server?.stop();
      server = null;
    },
    async start() {
      server ??= await startEmbeddedPostgres(settings);
    },
    async close() {
      await server?.stop();
      server = null;
      await rm(scratch, { recursive: true, force: true });
    },
  };
}
