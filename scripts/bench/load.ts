/** autocannon runs (10 connections) and the figures the table keeps of each. */
import autocannon, { type TAutocannonOptions, type TAutocannonResult } from 'autocannon';
import { inWindow } from './run-windows';
import { sampleWaitEvents } from './wait-events';

export const CONNECTIONS = 10;

export interface TLoadFigures {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  total: number;
  /** Responses with another status than expected, and connection errors/timeouts. */
  unexpected: number;
  statuses: Record<string, number>;
}

export async function load(
  options: Omit<TAutocannonOptions, 'connections'> & {
    expect: number;
    /** The run's name and server in `--profile`'s per-path CPU report (run-windows.ts); the warm-up is left out. */
    window?: { label: string; app: 'hub' | 'svd' };
  },
): Promise<TLoadFigures> {
  const { expect, window, ...rest } = options;
  // Two seconds of the same load first, not counted: the JIT, the pools and Next.js's lazily loaded route code
  // warm up, so the first path measured is not penalised against the ones after it. Runs of a fixed amount
  // (tokens that can be spent once) are not repeated.
  if (rest.amount === undefined)
    await autocannon({ connections: CONNECTIONS, timeout: 30, ...rest, duration: 2 });
  const measure = () => autocannon({ connections: CONNECTIONS, timeout: 30, ...rest });
  const answered = (measured: TAutocannonResult) =>
    Object.values(measured.statusCodeStats ?? {}).reduce((sum, { count }) => sum + count, 0);
  const result: TAutocannonResult = window
    ? await sampleWaitEvents(window.label, () => inWindow(window.label, window.app, answered, measure))
    : await measure();
  const statuses: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = count;
  const total = Object.values(statuses).reduce((sum, count) => sum + count, 0);
  return {
    requestsPerSecond: total / Math.max(result.duration, 0.001),
    p50: result.latency.p50,
    p99: result.latency.p99,
    total,
    unexpected: total - (statuses[String(expect)] ?? 0) + result.errors + result.timeouts,
    statuses,
  };
}
