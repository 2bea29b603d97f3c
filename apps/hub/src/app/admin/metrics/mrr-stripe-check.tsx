import { compareMrrWithStripe, type TMrrComparison } from '@/lib/admin/metrics/compare-mrr-with-stripe';
import { db } from '@/lib/db';
import { stripe } from '@/lib/stripe/client';
import { formatCents } from './format-metric';

async function compare(hubCents: number, product: string): Promise<TMrrComparison> {
  try {
    return await compareMrrWithStripe(db(), stripe(), { hubCents, product });
  } catch (error) {
    // stripe() itself refuses when payments are not configured: the same "unavailable" as a Stripe outage.
    const reason = error instanceof Error ? error.message : 'Stripe is not available.';
    return { status: 'unavailable', hubCents, reason };
  }
}

/**
 * "Does our MRR agree with Stripe's?" Rendered inside a Suspense boundary: the rest of the dashboard is sent
 * first, and Stripe being slow or down only changes this box.
 */
export async function MrrStripeCheck({ hubCents, product }: { hubCents: number; product: string }) {
  const result = await compare(hubCents, product);
  if (result.status === 'unavailable') {
    return (
      <p data-testid="mrr-stripe-check" data-status="unavailable" className="text-sm text-amber-800">
        Could not compare with Stripe right now ({result.reason}). Our MRR now: {formatCents(hubCents)}.
      </p>
    );
  }
  const percent =
    result.differencePercent === null
      ? ''
      : ` (${result.differencePercent >= 0 ? '+' : ''}${result.differencePercent.toFixed(2)} %)`;
  return (
    <p
      data-testid="mrr-stripe-check"
      data-status={result.status}
      className={result.status === 'agrees' ? 'text-sm text-emerald-800' : 'text-sm text-red-800'}
    >
      {result.status === 'agrees'
        ? 'Agrees with Stripe within 0.5 %'
        : 'Differs from Stripe by more than 0.5 %'}
      : ours {formatCents(result.hubCents)}, Stripe’s {formatCents(result.stripeCents)} over{' '}
      {result.subscriptionsCounted} subscriptions; difference {formatCents(result.differenceCents)}
      {percent}.
    </p>
  );
}
