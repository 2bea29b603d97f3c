import { reconcileBilling, type TReconcileReport } from '@omg/billing';
import { type TDatabase, withSubscriptionChangeCause } from '@omg/db';
import type Stripe from 'stripe';
import { z } from 'zod';
import { findSupportTarget } from './find-support-target';
import { recordAuditEntry } from './record-audit-entry';
import { auditActorFields, type TSupportActor, ZSupportReasonSchema } from './support-actor';

export const ZReconcileCustomerSchema = z.object({ reason: ZSupportReasonSchema });
export type TReconcileCustomer = z.input<typeof ZReconcileCustomerSchema>;

export interface TReconcileCustomerResult {
  report: TReconcileReport;
  /** One line per thing found, for the console: "repaired app_securevault: status active → canceled". */
  summary: string[];
  auditId: string;
}

function summarize(report: TReconcileReport): string[] {
  const lines = [
    ...report.drifted.map(
      (d) =>
        `${d.repaired ? 'Repaired' : 'Found'} ${d.appId}: ${d.changes
          .map((c) => `${c.field} ${String(c.database)} → ${String(c.stripe)}`)
          .join(', ')}`,
    ),
    ...report.missing.map(
      (m) =>
        `${m.repaired ? 'Added' : 'Missing'} ${m.appId} (${m.stripeSubscriptionId}, ${m.status})${m.note ? `: ${m.note}` : ''}`,
    ),
    ...report.duplicates.map(
      (d) =>
        `Two live ${d.appId} subscriptions in Stripe: ${d.subscriptions.map((s) => s.stripeSubscriptionId).join(', ')} (left for a person to decide)`,
    ),
    ...report.problems.map(
      (p) => `Could not compare ${p.stripeSubscriptionId ?? p.appId ?? 'a row'}: ${p.reason}`,
    ),
  ];
  return lines.length > 0
    ? lines
    : [`Checked ${report.checked} subscription(s): the Hub agrees with Stripe.`];
}

/**
 * Runs billing reconciliation (packages/billing) for one customer, repairing drift through provisioning as the
 * nightly `npm run billing:reconcile -- --apply` does, and reports what changed (support: it only makes the Hub
 * agree with Stripe; it never writes to Stripe). Comps are not billing rows, so reconciliation never touches one.
 */
export async function reconcileCustomer(
  database: TDatabase,
  stripe: Stripe,
  actor: TSupportActor,
  userId: string,
  input: TReconcileCustomer,
): Promise<TReconcileCustomerResult> {
  const { reason } = ZReconcileCustomerSchema.parse(input);
  const target = await findSupportTarget(database, userId);
  const report = await withSubscriptionChangeCause({ source: 'hub', sourceRef: 'admin-reconcile' }, () =>
    reconcileBilling(database, stripe, { apply: true, userId: target.id }),
  );
  const summary = summarize(report);
  const auditId = await recordAuditEntry(database, {
    ...auditActorFields(actor),
    action: 'billing.reconcile',
    targetUserId: target.id,
    reason,
    before: { drifted: report.drifted.map((d) => ({ appId: d.appId, changes: d.changes })) },
    after: {
      checked: report.checked,
      repaired: report.repaired,
      missing: report.missing.length,
      duplicates: report.duplicates.length,
      problems: report.problems.length,
    },
  });
  return { report, summary, auditId };
}
