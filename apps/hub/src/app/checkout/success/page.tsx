import { formatBillingSummary, formatPrice } from '@omg/contract';
import { withSubscriptionChangeCause } from '@omg/db';
import { AppError, REQUEST_ID_HEADER, safeRedirectTarget } from '@omg/platform';
import type { Metadata } from 'next';
import { headers } from 'next/headers';
import Link from 'next/link';
import { requireSession } from '@/lib/auth/get-session';
import { getSubscriptionCharges, type TSubscriptionCharges } from '@/lib/billing/get-subscription-charges';
import { completeCheckout } from '@/lib/checkout/complete-checkout';
import { db } from '@/lib/db';
import { env } from '@/lib/env';
import { logger } from '@/lib/logger';
import { hubOwnOrigins } from '@/lib/redirects/hub-own-origins';
import { stripe } from '@/lib/stripe/client';

// Neutral: the tab must not say "Payment complete" over a refunded duplicate or an ended subscription.
export const metadata: Metadata = { title: 'Your checkout' };

export default async function CheckoutSuccessPage({
  searchParams,
}: {
  searchParams: Promise<{ session_id?: string }>;
}) {
  const { session_id: sessionId = '' } = await searchParams;
  const session = await requireSession(`/checkout/success?session_id=${encodeURIComponent(sessionId)}`);
  let result: Awaited<ReturnType<typeof completeCheckout>> | null = null;
  let problem: AppError | null = null;
  try {
    result = await withSubscriptionChangeCause({ source: 'hub', sourceRef: 'checkout' }, () =>
      completeCheckout(db(), stripe(), { userId: session.user.id, stripeSessionId: sessionId }),
    );
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    problem = error;
    if (error.code !== 'NOT_FOUND') {
      const requestId = (await headers()).get(REQUEST_ID_HEADER);
      logger.error(
        { err: error.cause ?? error, requestId, sessionId },
        'checkout success page: payment status unavailable',
      );
    }
  }
  // Checked again on the way out: a row stored before the rules (or by hand) still cannot lead off-site.
  const next = safeRedirectTarget(result?.returnUrl, {
    self: env().HUB_URL,
    allowed: hubOwnOrigins(),
    fallback: '/portal',
  });
  return (
    <div className="mx-auto max-w-lg rounded-2xl border border-slate-200 bg-white p-8 text-center shadow-sm">
      {result?.state === 'duplicate' ? (
        <>
          <h1 className="text-2xl font-semibold tracking-tight">You already have {result.productName}</h1>
          <p className="mt-2 text-slate-600">
            Your existing subscription stays as it is. This second payment was canceled and refunded in full.
          </p>
        </>
      ) : result?.state === 'ended' ? (
        <>
          <h1 className="text-2xl font-semibold tracking-tight">This subscription has ended</h1>
          <p className="mt-2 text-slate-600">
            The {result.productName} subscription from this checkout is no longer active. Your billing page
            shows what you have now.
          </p>
        </>
      ) : result?.state === 'complete' ? (
        <Completed result={result} />
      ) : (
        <>
          <h1 className="text-2xl font-semibold tracking-tight">
            {!problem
              ? 'Almost there'
              : problem.code === 'NOT_FOUND'
                ? 'Checkout not found'
                : 'Payment status unavailable'}
          </h1>
          <p className="mt-2 text-slate-600">
            {problem?.message ??
              'Stripe has not confirmed this payment yet. This page updates when you reload it.'}
          </p>
        </>
      )}
      <a
        href={next}
        className="mt-6 inline-block rounded-md bg-brand-600 px-5 py-2.5 font-medium text-white hover:bg-brand-700"
      >
        {next === '/portal' ? 'Go to your portal' : 'Continue'}
      </a>
      <p className="mt-4 text-sm">
        <Link href="/portal" className="text-slate-500 hover:underline">
          Portal
        </Link>
      </p>
    </div>
  );
}

/**
 * A paid checkout, or a trial that charged nothing: the heading says which ("Trial started" never claims a
 * payment), and the charges line is Stripe's, worded as on the billing page.
 */
async function Completed({ result }: { result: Awaited<ReturnType<typeof completeCheckout>> }) {
  let charges: TSubscriptionCharges | null = null;
  if (result.stripeSubscriptionId) {
    try {
      charges = await getSubscriptionCharges(stripe(), { stripeSubscriptionId: result.stripeSubscriptionId });
    } catch (error) {
      // The subscription is provisioned; only the figures are missing, and the billing page shows them later.
      logger.warn(
        { err: error, stripeSubscriptionId: result.stripeSubscriptionId },
        'checkout success page: charges unavailable',
      );
    }
  }
  const trialStarted = result.amountPaidCents === 0 && charges?.trialing === true;
  const summary = charges ? formatBillingSummary({ ...charges, first: trialStarted }) : '';
  return (
    <>
      <h1 className="text-2xl font-semibold tracking-tight">
        {trialStarted ? 'Trial started' : 'Payment complete'}
      </h1>
      <p className="mt-2 text-slate-600">
        {result.productName}
        {result.planName ? ` ${result.planName}` : ''} is ready on your account.
        {trialStarted
          ? ' Nothing was charged today.'
          : result.amountPaidCents
            ? ` You paid ${formatPrice(result.amountPaidCents)} today.`
            : ''}
      </p>
      {summary && (
        <p className="mt-2 font-medium text-slate-700" data-testid="checkout-charges">
          {summary}
        </p>
      )}
    </>
  );
}
