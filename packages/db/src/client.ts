import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema';

export type TDatabase = NodePgDatabase<typeof schema>;

export interface TDatabaseHandle {
  db: TDatabase;
  pool: pg.Pool;
}

/**
 * How long a request waits for a connection (a new one, or a free one of a busy pool) before it fails with the
 * pool's "timeout exceeded when trying to connect" — answered as a 503. Short enough that a page or API call
 * answers within 5 s even when the database host does not answer at all (a stopped server refuses at once).
 */
export const CONNECT_TIMEOUT_MS = 3_000;

/**
 * A transaction left open this long without a statement is ended by the server: nothing of ours waits that long
 * inside one, and a process that hangs or is cut off mid-transaction must not keep rows locked for everyone else.
 */
export const IDLE_IN_TRANSACTION_TIMEOUT_MS = 60_000;

/**
 * One pool per process and role. When the database goes away, queries fail fast with an error `AppError`
 * answers as 503, idle connections the server closed are dropped, and the next query opens a new connection:
 * the same pool serves again by itself when the server is back, with no restart (proved in outage.test.ts).
 * The URL's own options are honoured, `sslmode` included (README "Production").
 */
export function createDatabase(
  url: string,
  options: { max?: number; applicationName?: string } = {},
): TDatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    // TCP keep-alive: a connection whose peer vanished (a failover, a dropped NAT entry) is noticed and closed
    // instead of being handed to a request that would then wait on it.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_TIMEOUT_MS,
    application_name: options.applicationName,
  });
  // A client losing its connection (the server restarting or shutting down) must not crash the process. The
  // pool listens on idle clients only ('error' below); a checked-out client between two statements of a
  // transaction has no listener, and its 'error' would be an uncaught exception that ends the whole app. Every
  // client gets its own: the statement in hand fails instead ("not queryable", a 503), and the pool discards the
  // broken client when it is released.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  pool.on('error', () => {});
  return { db: drizzle(pool, { schema }), pool };
}

/** One `SELECT 1` through the pool: false when the database cannot be reached (it never throws). */
export async function isDatabaseReachable(pool: pg.Pool): Promise<boolean> {
  try {
    await pool.query('SELECT 1');
    return true;
  } catch {
    return false;
  }
}
