import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema';

export type TDatabase = NodePgDatabase<typeof schema>;

export interface TDatabaseHandle {
  db: TDatabase;
  pool: pg.Pool;
}

/**
 * One pool per process and role. `connectionTimeoutMillis` keeps a request from hanging when the database is
 * away: it fails fast with a clear error and the pool reconnects by itself once the server is back.
 */
export function createDatabase(
  url: string,
  options: { max?: number; applicationName?: string } = {},
): TDatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    application_name: options.applicationName,
  });
  // An idle client losing its connection (database restart) must not crash the process.
  pool.on('error', () => {});
  return { db: drizzle(pool, { schema }), pool };
}

export async function isDatabaseReachable(pool: pg.Pool): Promise<boolean> {
  try {
    await pool.query('SELECT 1');
    return true;
  } catch {
    return false;
  }
}
