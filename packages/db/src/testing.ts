import { randomUUID } from 'node:crypto';
import { createDatabase, type TDatabaseHandle } from './client';
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
