import { CATALOG } from '@omg/contract';
import { schema } from '@omg/db';
import { connectAs } from '@omg/db/testing';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { SNAPSHOT_VERSION } from './compute-subscription-metrics';
import { keepMetricsSnapshots } from './keep-metrics-snapshots';

const admin = connectAs('admin');
const worker = connectAs('hub');
const snapshots = schema.subscriptionMetricsSnapshot;

afterAll(async () => {
  await worker.pool.end();
  await admin.pool.end();
});

describe('keepMetricsSnapshots (npm run worker)', () => {
  it("leaves this month's snapshot for every product filter the dashboard offers", async () => {
    const now = new Date();
    const filters = await keepMetricsSnapshots(worker.db, now);
    expect(filters).toEqual(['all', ...CATALOG.map((product) => product.appId)]);
    const kept = await admin.db
      .select({ product: snapshots.product, version: snapshots.version })
      .from(snapshots)
      .where(
        and(
          inArray(snapshots.product, filters),
          eq(snapshots.monthStart, new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))),
        ),
      );
    expect(kept.map((row) => row.product).sort()).toEqual([...filters].sort());
    expect(kept.every((row) => row.version === SNAPSHOT_VERSION)).toBe(true);
  });
});
