import { CATALOG } from '@omg/contract';
import type { TDatabase } from '@omg/db';
import { loadSubscriptionMonths, metricsSnapshotsWritten } from './load-subscription-months';
import { monthsBetween } from './metrics-query';

/** How often `npm run worker` brings the snapshots up to date (and right after each month starts). */
export const KEEP_METRICS_SNAPSHOTS_EVERY_MS = 15 * 60 * 1000;

/**
 * Brings hub."SubscriptionMetricsSnapshot" up to date for every product filter the dashboard offers (every
 * product, and each catalog product), as the dashboard's own first request would, and waits for the writes:
 * `npm run worker` runs it when it starts, every KEEP_METRICS_SNAPSHOTS_EVERY_MS and just after each month
 * starts, so the requests that would replay the history (the very first after a deploy, a new month, a late
 * row) are the worker's and not a visitor's. Returns the filters that were computed or resumed.
 */
export async function keepMetricsSnapshots(db: TDatabase, now = new Date()): Promise<string[]> {
  const month = now.toISOString().slice(0, 7);
  const filters = [null, ...CATALOG.map((product) => product.appId)];
  for (const appId of filters) await loadSubscriptionMonths(db, appId, monthsBetween(month, month), now);
  await metricsSnapshotsWritten();
  return filters.map((appId) => appId ?? 'all');
}
