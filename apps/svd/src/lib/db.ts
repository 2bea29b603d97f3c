import { createDatabase, type TDatabaseHandle } from '@omg/db';
import { env } from './env';

const globalForDb = globalThis as unknown as { svdDatabase?: TDatabaseHandle };

/** SVD's one pool, connected as SVD's own (read-mostly) database role. Reused across hot reloads in development. */
export function database(): TDatabaseHandle {
  globalForDb.svdDatabase ??= createDatabase(env().SVD_DATABASE_URL, { applicationName: 'omg-svd' });
  return globalForDb.svdDatabase;
}

export const db = () => database().db;
