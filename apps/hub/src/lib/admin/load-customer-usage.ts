import { usagePeriodStart } from '@omg/contract';
import { schema, type TDatabase } from '@omg/db';
import { and, eq } from 'drizzle-orm';
import type { TCustomerEntitlement } from './load-customer-entitlement';

export interface TCustomerUsage {
  storageBytes: number;
  storageLimitBytes: number;
  documentCount: number;
  unitsUsed: number;
  unitsLimit: number;
  /** Start of the period the units are counted in, as SVD counts it (usagePeriodStart). */
  periodStart: Date;
  overStorage: boolean;
}

/**
 * The customer's SVD usage (issue 14): storage, processing units this period and the number of documents —
 * sums only, through securevault."UserUsage" and ProcessingUsage's counts; the Hub's role cannot read a document
 * name, a vault or a content. The limits and the period are the entitlement's, as SVD applies them.
 */
export async function loadCustomerUsage(
  db: TDatabase,
  userId: string,
  access: Pick<TCustomerEntitlement, 'entitlement'>,
  now = new Date(),
): Promise<TCustomerUsage> {
  const { entitlement } = access;
  const periodStart = usagePeriodStart(entitlement, now);
  const u = schema.processingUsage;
  const [[usage], [units]] = await Promise.all([
    db
      .select({ storageBytes: schema.userUsage.storageBytes, documentCount: schema.userUsage.documentCount })
      .from(schema.userUsage)
      .where(eq(schema.userUsage.userId, userId)),
    db
      .select({ unitsUsed: u.unitsUsed })
      .from(u)
      .where(and(eq(u.userId, userId), eq(u.periodStart, periodStart))),
  ]);
  const storageBytes = Number(usage?.storageBytes ?? 0);
  return {
    storageBytes,
    storageLimitBytes: entitlement.limits.storageBytes,
    documentCount: Number(usage?.documentCount ?? 0),
    unitsUsed: Number(units?.unitsUsed ?? 0),
    unitsLimit: entitlement.limits.processingUnitsPerMonth,
    periodStart,
    overStorage: storageBytes > entitlement.limits.storageBytes,
  };
}
