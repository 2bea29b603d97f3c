import { formatPrice, planDisplayName } from '@omg/contract';
import {
  AppError,
  isPaymentProviderUnavailable,
  normalizeRedirectTarget,
  PAYMENTS_UNAVAILABLE_MESSAGE,
} from '@omg/platform';
import type { Metadata } from 'next';
import Link from 'next/link';
import { ChangePlanButton } from '@/components/change-plan-button';
import { CheckoutButton } from '@/components/checkout-button';
import { requireSession } from '@/lib/auth/get-session';
import { getBillingAccount } from '@/lib/billing/get-billing-account';
import { previewPlanChange } from '@/lib/billing/preview-plan-change';
import { CHECKOUT_TRIAL_DAYS, getCheckoutOffer } from '@/lib/checkout/checkout-offer';
import { db } from '@/lib/db';
import { env } from '@/lib/env';
import { hubOwnOrigins } from '@/lib/redirects/hub-own-origins';
import { stripe } from '@/lib/stripe/client';

export const metadata: Metadata = { title: 'Checkout' };

type TParams = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

/** `/checkout/start?product=<slug>&plan=<plan>&trial=true&returnUrl=<url>` (SPEC §5). */
export default async function CheckoutStartPage({ searchParams }: { searchParams: TParams }) {
  const params = await searchParams;
  const query = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, one(v)]));
  const session = await requireSession(`/checkout/start?${query}`);
  // Only the normalized target is used from here on (a repeated returnUrl is refused, not guessed at).
  const safeReturn = normalizeRedirectTarget(params.returnUrl, {
    self: env().HUB_URL,
    allowed: hubOwnOrigins(),
  });

  // With a business account active in the header, this buys (or changes) the organization's plan (issue 15).
  const account = await getBillingAccount(session);
  const organization = account.organization;
  if (organization && !account.canManage) {
    return (
      <Panel title={`${organization.name}’s plan`}>
        <p className="text-slate-600" data-testid="billing-read-only">
          Only owners and admins can buy or change {organization.name}’s plan; you are a {account.role}. Ask
          one of them, or switch to Personal in the header to buy for yourself.
        </p>
        <Link href="/billing" className="mt-6 inline-block text-brand-600 hover:underline">
          See {organization.name}’s billing
        </Link>
      </Panel>
    );
  }
  let offer: Awaited<ReturnType<typeof getCheckoutOffer>>;
  try {
    offer = await getCheckoutOffer(db(), {
      userId: session.user.id,
      productSlug: one(params.product),
      planId: one(params.plan),
      owner: account.owner,
    });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    if (error.details?.comingSoon) {
      return (
        <Panel title="Coming soon">
          <p className="text-slate-600" data-testid="coming-soon">
            {error.message}
          </p>
          <Link href="/portal" className="mt-6 inline-block text-brand-600 hover:underline">
            Back to your portal
          </Link>
        </Panel>
      );
    }
    return (
      <Panel title="This plan is not available">
        <p className="text-slate-600">{error.message}</p>
        <Link href="/portal" className="mt-6 inline-block text-brand-600 hover:underline">
          Back to your portal
        </Link>
      </Panel>
    );
  }
  const { product, plan, existing } = offer;
  const trial = one(params.trial) === 'true' && offer.trialEligible;
  return (
    <Panel title={`${product.name} — ${plan.name}`}>
      <p className="text-3xl font-semibold" data-testid="checkout-price">
        {formatPrice(plan.priceCents)}
        <span className="text-base font-normal text-slate-500">/month</span>
      </p>
      {organization && (
        <p className="mt-1 text-sm text-slate-600" data-testid="checkout-for-organization">
          For {organization.name}
          {plan.includedSeats !== null &&
            ` · ${plan.includedSeats} seats included, more at ${formatPrice(plan.seatPriceCents)} a seat a month`}
        </p>
      )}
      {!existing && offer.extraSeatsNeeded > 0 && (
        <p className="mt-1 text-sm text-slate-600" data-testid="checkout-extra-seats">
          Your members and invitations need {offer.extraSeatsNeeded} more seat
          {offer.extraSeatsNeeded === 1 ? '' : 's'}: they are added to this checkout at{' '}
          {formatPrice((plan.seatPriceCents ?? 0) * offer.extraSeatsNeeded)} a month.
        </p>
      )}
      {existing ? (
        <PlanChange
          userId={session.user.id}
          organizationId={organization?.id}
          productId={product.appId}
          productSlug={product.slug}
          productName={product.name}
          planId={plan.id}
          planName={plan.name}
          existing={existing}
          next={safeReturn ?? '/billing'}
        />
      ) : (
        <div className="mt-6 space-y-4">
          <p className="text-sm text-slate-600">
            {trial
              ? `Free for ${CHECKOUT_TRIAL_DAYS} days, then ${formatPrice(plan.priceCents)} a month. Cancel any time before the trial ends and you pay nothing.`
              : `Billed monthly through your OMG account. Cancel any time.`}
          </p>
          <CheckoutButton
            productId={product.appId}
            plan={plan.id}
            priceCents={plan.priceCents}
            trialDays={CHECKOUT_TRIAL_DAYS}
            trial={trial}
            returnUrl={safeReturn}
            label={trial ? 'Start Free Trial' : 'Subscribe'}
          />
          <p className="text-center text-xs text-slate-400">Payments are handled securely by Stripe.</p>
        </div>
      )}
    </Panel>
  );
}

async function PlanChange(props: {
  userId: string;
  organizationId?: string;
  productId: string;
  productSlug: string;
  productName: string;
  planId: string;
  planName: string;
  existing: { plan: string; status: string };
  next: string;
}) {
  if (props.existing.plan === props.planId) {
    return (
      <div
        className="mt-6 rounded-lg border border-emerald-200 bg-emerald-50 p-4 text-sm text-emerald-900"
        data-testid="already-subscribed"
      >
        You are already on {props.productName} {props.planName}. There is nothing to buy twice.{' '}
        <Link href="/billing" className="font-medium underline">
          Manage subscription
        </Link>
      </div>
    );
  }
  let preview: Awaited<ReturnType<typeof previewPlanChange>>;
  try {
    preview = await previewPlanChange(db(), stripe(), {
      userId: props.userId,
      organizationId: props.organizationId,
      productSlug: props.productSlug,
      planId: props.planId,
    });
  } catch (error) {
    if (isPaymentProviderUnavailable(error)) {
      return (
        <p
          className="mt-6 rounded-lg border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900"
          role="status"
          data-testid="payments-unavailable"
        >
          {PAYMENTS_UNAVAILABLE_MESSAGE}
        </p>
      );
    }
    if (!(error instanceof AppError)) throw error;
    return (
      <div
        className="mt-6 rounded-lg border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900"
        data-testid="already-subscribed"
      >
        You already subscribe to {props.productName}. {error.message}{' '}
        <Link href="/billing" className="font-medium underline">
          Manage subscription
        </Link>
      </div>
    );
  }
  const amount = formatPrice(Math.abs(preview.prorationCents));
  const monthly = formatPrice(preview.toPlan.priceCents);
  // The catalog's name ("Growth"), never the plan id: ids are for URLs and Stripe metadata.
  const from = planDisplayName(props.productId, preview.fromPlan);
  const date = preview.periodEnd.toLocaleDateString('en-US', { dateStyle: 'long', timeZone: 'UTC' });
  const scheduled = preview.direction === 'downgrade' && !preview.onTrial;
  return (
    <div className="mt-6 space-y-4" data-testid="plan-change">
      <p className="text-sm text-slate-700">
        Change {props.productName} from <span className="font-medium">{from}</span> to{' '}
        <span className="font-medium">{props.planName}</span>.
      </p>
      <p className="rounded-lg bg-slate-50 p-3 text-sm text-slate-600" data-testid="proration">
        {preview.onTrial
          ? 'You are on your free trial: the change is free and takes effect at once; the new price applies when the trial ends.'
          : scheduled
            ? `You keep ${from} until ${date}, the end of the period you paid for; from then on you pay ${monthly} a month. Or switch now and ${amount} for the unused part of this period is credited to your next invoices.`
            : `It takes effect at once: you pay ${amount} now for the rest of this billing period, then ${monthly} a month.`}
      </p>
      {preview.grandfatheredPriceCents !== null && (
        <p
          role="note"
          className="rounded-lg border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900"
          data-testid="grandfathered-warning"
        >
          You pay a grandfathered {formatPrice(preview.grandfatheredPriceCents)} a month, the price you had
          before SecureVault Docs moved to OMG. Changing your plan gives up that price for good: from then on
          you pay the catalog price, also if you later come back to {from}.
        </p>
      )}
      {scheduled ? (
        <>
          <ChangePlanButton
            productId={props.productId}
            plan={props.planId}
            next={props.next}
            when="period_end"
            label={`Switch to ${props.planName} on ${date}`}
          />
          <ChangePlanButton
            productId={props.productId}
            plan={props.planId}
            next={props.next}
            when="now"
            secondary
            label={`Switch now (${amount} credit)`}
          />
        </>
      ) : (
        <ChangePlanButton
          productId={props.productId}
          plan={props.planId}
          next={props.next}
          label={
            preview.direction === 'upgrade' ? `Upgrade to ${props.planName}` : `Switch to ${props.planName}`
          }
        />
      )}
    </div>
  );
}

function Panel({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="mx-auto max-w-lg rounded-2xl border border-slate-200 bg-white p-8 shadow-sm">
      <p className="text-sm font-medium text-brand-600">Checkout</p>
      <h1 className="mt-1 mb-4 text-2xl font-semibold tracking-tight">{title}</h1>
      {children}
    </div>
  );
}
