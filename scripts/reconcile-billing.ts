/**
 * `npm run billing:reconcile [-- --apply] [-- --json]` (SPEC §5): compares hub."Subscription" with Stripe.
 * A dry run by default: it reports drift (rows that disagree with Stripe), live Stripe subscriptions of known
 * customers that have no row, and users with two or more live subscriptions to one app. `--apply` repairs drift
 * and missing rows through the webhook's own provisioning; it never writes to Stripe and never merges duplicates.
 *
 * Database: HUB_DATABASE_URL or DATABASE_URL from the shell, else the ones `npm run dev` recorded in .env.local.
 * Stripe: STRIPE_SECRET_KEY (and STRIPE_API_BASE for another endpoint) from the shell or .env.local. Against the
 * local emulator of a running `npm run dev` (it prints the emulator's URL; 12111 unless STRIPE_EMULATOR_PORT):
 *
 *   STRIPE_API_BASE=http://127.0.0.1:12111 STRIPE_SECRET_KEY=sk_test_omg_local_emulator npm run billing:reconcile
 *
 * Exit code: 0 when everything agrees (or was repaired), 1 when something still needs attention, 2 on bad setup.
 */
import { createStripeClient, reconcileBilling, type TReconcileReport } from '@omg/billing';
import { createDatabase } from '@omg/db';
import { readLocalEnv } from './lib/env-file';

const args = new Set(process.argv.slice(2));
const unknown = [...args].filter((a) => !['--apply', '--json'].includes(a));
if (unknown.length > 0) {
  console.error(
    `Unknown argument ${unknown.join(' ')}. Usage: npm run billing:reconcile [-- --apply] [-- --json]`,
  );
  process.exit(2);
}
const apply = args.has('--apply');

function setting(name: string, stored: Record<string, string>): string | undefined {
  return process.env[name] || stored[name] || undefined;
}

function printReport(report: TReconcileReport): void {
  const out = (line = '') => console.log(line);
  out(`Billing reconciliation (${report.apply ? 'apply: repairs written' : 'dry run: nothing written'})`);
  out(`  checked ${report.checked} subscription row(s) against Stripe`);
  if (report.apply) out(`  repaired ${report.repaired} row(s) (drift and missing)`);
  out();
  out(`Drift (row disagrees with Stripe): ${report.drifted.length}`);
  for (const d of report.drifted) {
    out(
      `  ${d.stripeSubscriptionId}  user ${d.userId ?? '?'}  ${d.appId}${d.repaired ? '  [repaired]' : ''}`,
    );
    for (const c of d.changes)
      out(`      ${c.field}: database ${String(c.database)} → Stripe ${String(c.stripe)}`);
  }
  out();
  out(`Missing (live in Stripe, no row): ${report.missing.length}`);
  for (const m of report.missing) {
    const state = m.repaired ? '  [repaired]' : m.note ? `  [not repaired: ${m.note}]` : '';
    out(
      `  ${m.stripeSubscriptionId}  ${m.status}  ${m.organizationId ? `organization ${m.organizationId}` : `user ${m.userId}`}  ${m.appId}  customer ${m.stripeCustomerId}${state}`,
    );
  }
  out();
  out(`Duplicates (two or more live subscriptions to one app; decide by hand): ${report.duplicates.length}`);
  for (const group of report.duplicates) {
    out(
      `  ${group.organizationId ? `organization ${group.organizationId}` : `user ${group.userId}`}  ${group.appId}`,
    );
    for (const s of group.subscriptions) {
      out(
        `      ${s.stripeSubscriptionId}  ${s.status}  created ${s.createdAt.toISOString()}  customer ${s.stripeCustomerId}${s.tracked ? '  [in hub."Subscription"]' : ''}`,
      );
    }
  }
  if (report.problems.length > 0) {
    out();
    out(`Could not compare: ${report.problems.length}`);
    for (const p of report.problems) {
      out(`  ${p.stripeSubscriptionId ?? '-'}  user ${p.userId ?? '?'}  ${p.appId ?? '?'}: ${p.reason}`);
    }
  }
}

async function main(): Promise<number> {
  const stored = readLocalEnv();
  const databaseUrl = setting('HUB_DATABASE_URL', stored) ?? setting('DATABASE_URL', stored);
  const secretKey = setting('STRIPE_SECRET_KEY', stored);
  if (!databaseUrl || !secretKey) {
    console.error(
      [
        !databaseUrl && 'No database: set HUB_DATABASE_URL or DATABASE_URL, or run `npm run dev` once.',
        !secretKey &&
          'No Stripe key: set STRIPE_SECRET_KEY. For the emulator of `npm run dev`:\n' +
            '  STRIPE_API_BASE=http://127.0.0.1:12111 STRIPE_SECRET_KEY=sk_test_omg_local_emulator npm run billing:reconcile',
      ]
        .filter(Boolean)
        .join('\n'),
    );
    return 2;
  }
  const handle = createDatabase(databaseUrl, { max: 2, applicationName: 'billing-reconcile' });
  try {
    const report = await reconcileBilling(
      handle.db,
      createStripeClient(secretKey, setting('STRIPE_API_BASE', stored)),
      { apply },
    );
    if (args.has('--json')) console.log(JSON.stringify(report, null, 2));
    else printReport(report);
    const unrepairedDrift = report.drifted.some((d) => !d.repaired);
    const unrepairedMissing = report.missing.some((m) => !m.repaired);
    return unrepairedDrift || unrepairedMissing || report.duplicates.length > 0 || report.problems.length > 0
      ? 1
      : 0;
  } finally {
    await handle.pool.end();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`[billing] reconciliation failed: ${error instanceof Error ? error.message : error}`);
    process.exit(2);
  },
);
