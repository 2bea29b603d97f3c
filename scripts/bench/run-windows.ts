/**
 * The time window of each measured load run, for `npm run bench -- --profile`: scripts/bench/profile-summary.ts
 * cuts the servers' CPU profiles along these windows to give CPU per request of each path. Times are on the
 * monotonic clock (`process.hrtime`), which on Linux is the clock V8 stamps profile samples with, so the bench's
 * windows and the servers' samples line up although they are different processes. Each window also keeps the
 * servers' CPU time from /proc (every thread: GC, libuv's pool), which the profile's samples do not see.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { TRunWindow } from './profile-summary';

let servers: { hub: number; svd: number } | null = null;
const windows: TRunWindow[] = [];

/** Starts recording: the `next start` pids whose CPU each window reads. */
export function trackServers(pids: { hub: number; svd: number }) {
  servers = pids;
}

export function recordedWindows(): { pids: { hub: number; svd: number }; windows: TRunWindow[] } | null {
  return servers ? { pids: servers, windows } : null;
}

/** Linux's USER_HZ: /proc counts CPU time in these ticks. It is 100 on every Linux Node.js supports. */
const TICKS_PER_SECOND = 100;

/** CPU time (user + system) of a process and its descendants, in ms, from /proc. */
function treeCpuMs(rootPid: number): number {
  const parents = new Map<number, number>();
  const ticks = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces, so split after its closing parenthesis).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(fields[1]));
      ticks.set(Number(entry), Number(fields[11]) + Number(fields[12]));
    } catch {
      // exited meanwhile
    }
  }
  let total = 0;
  for (const [pid, count] of ticks) {
    for (let current = pid, hops = 0; current > 1 && hops < 64; hops += 1) {
      if (current === rootPid) {
        total += count;
        break;
      }
      current = parents.get(current) ?? 0;
    }
  }
  return (total * 1000) / TICKS_PER_SECOND;
}

const nowUs = () => Number(process.hrtime.bigint() / 1000n);

/** Runs one measured load run and records its window (nothing is recorded unless trackServers was called). */
export async function inWindow<T>(
  label: string,
  app: 'hub' | 'svd',
  requestsOf: (result: T) => number,
  measure: () => Promise<T>,
): Promise<T> {
  if (!servers) return measure();
  const pids = servers;
  const cpuBefore = { hub: treeCpuMs(pids.hub), svd: treeCpuMs(pids.svd) };
  const startUs = nowUs();
  const result = await measure();
  const endUs = nowUs();
  windows.push({
    label,
    app,
    startUs,
    endUs,
    requests: requestsOf(result),
    cpuMs: { hub: treeCpuMs(pids.hub) - cpuBefore.hub, svd: treeCpuMs(pids.svd) - cpuBefore.svd },
  });
  return result;
}
