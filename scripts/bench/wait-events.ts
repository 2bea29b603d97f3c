/**
 * `npm run bench -- --wait-events`: what PostgreSQL's client backends wait on during each measured load run. The
 * CPU profiles say what the servers compute, not what a request waits for; this polls pg_stat_activity on a
 * connection of its own every ~5 ms and counts, per sample, every other client backend that is running a statement
 * (by wait_event_type:wait_event, "CPU" when it waits on nothing) or sits idle inside a transaction (waiting for
 * the app's next statement). The shares are of backend-samples, so two backends both flushing WAL count twice.
 * The poll itself costs a little CPU on the same 2 cores: compare runs taken with the same options.
 */
import { createDatabase, type TDatabaseHandle } from '@omg/db';
import { z } from 'zod';

const POLL_MS = 5;
const ZActivityRowSchema = z.object({ state: z.string(), wait: z.string().nullable() });

export interface TWaitEventShares {
  label: string;
  samples: number;
  /** Mean backends active or idle in a transaction per sample. */
  meanBusy: number;
  counts: Map<string, number>;
}

let pool: TDatabaseHandle['pool'] | null = null;
const recorded: TWaitEventShares[] = [];

/**
 * Turns sampling on for every measured load run after this (load.ts asks through `sampleWaitEvents`). The poll
 * connects to the server's `postgres` database, not the apps': pg_stat_activity shows every database, and its
 * thousands of transactions then stay out of the apps' database's pg_stat_database counts, which the bench's
 * queries-per-request figure reads. Returns the stop (closing the connection).
 */
export function enableWaitEvents(adminUrl: string): () => Promise<void> {
  const url = new URL(adminUrl);
  url.pathname = '/postgres';
  const handle = createDatabase(url.toString(), { max: 1, applicationName: 'bench wait-event sampler' });
  pool = handle.pool;
  return () => handle.pool.end();
}

export function recordedWaitEvents(): readonly TWaitEventShares[] {
  return recorded;
}

/** Runs `measure` while sampling (a no-op wrapper unless enabled) and prints the run's shares when it ends. */
export async function sampleWaitEvents<T>(label: string, measure: () => Promise<T>): Promise<T> {
  if (!pool) return measure();
  const client = await pool.connect();
  const counts = new Map<string, number>();
  let samples = 0;
  let busy = 0;
  let running = true;
  const poll = async () => {
    while (running) {
      const result = await client.query(
        `select state, wait_event_type || ':' || wait_event as wait from pg_stat_activity
          where backend_type = 'client backend' and pid <> pg_backend_pid()
            and state in ('active', 'idle in transaction')`,
      );
      samples += 1;
      for (const row of z.array(ZActivityRowSchema).parse(result.rows)) {
        const key = row.state === 'idle in transaction' ? 'idle in transaction' : (row.wait ?? 'CPU');
        counts.set(key, (counts.get(key) ?? 0) + 1);
        busy += 1;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  };
  const polling = poll();
  try {
    return await measure();
  } finally {
    running = false;
    await polling.catch(() => undefined);
    client.release();
    const shares = { label, samples, meanBusy: samples ? busy / samples : 0, counts };
    recorded.push(shares);
    console.log(`[bench] waits, ${formatWaitEvents(shares)}`);
  }
}

/** "label (N samples, 3.1 busy): IO:WalSync 41 %, CPU 30 %, …", the largest first, shares under 1 % left out. */
export function formatWaitEvents(shares: TWaitEventShares): string {
  const total = [...shares.counts.values()].reduce((sum, count) => sum + count, 0);
  const parts = [...shares.counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .filter(([, count]) => total > 0 && count / total >= 0.01)
    .map(([key, count]) => `${key} ${((100 * count) / total).toFixed(0)} %`);
  return `${shares.label} (${shares.samples} samples, ${shares.meanBusy.toFixed(1)} backends busy): ${
    parts.length ? parts.join(', ') : 'no backend busy'
  }`;
}
