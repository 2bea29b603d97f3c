import { createDatabase, type TDatabaseHandle } from '@omg/db';
import { env } from './env';

const globalForDb = globalThis as unknown as { hubDatabase?: TDatabaseHandle };

/** The Hub's one pool, connected as the Hub's own database role. Reused across hot reloads in development. */
export function database(): TDatabaseHandle {
  globalForDb.hubDatabase ??= createDatabase(env().HUB_DATABASE_URL, { applicationName: 'omg-hub' });
  return globalForDb.hubDatabase;
}

export const db = () => database().db;
