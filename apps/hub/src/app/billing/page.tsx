import { formatBillingDay, formatBillingSummary, formatPrice } from '@omg/contract';
import { PAYMENTS_UNAVAILABLE_MESSAGE } from '@omg/platform';
import type { Metadata } from 'next';
import Link from 'next/link';
import { StatusBadge } from '@/components/status-badge';
import { requireSession } from '@/lib/auth/get-session';
import { getBillingAccount } from '@/lib/billing/get-billing-account';
import type { TSubscriptionCharges } from '@/lib/billing/get-subscription-charges';
import {
  listBillingSubscriptions,
  type TBillingSubscription,
} from '@/lib/billing/list-billing-subscriptions';
import { listSubscriptionCharges } from '@/lib/billing/list-subscription-charges';
import { db } from '@/lib/db';
import { seatsOf } from '@/lib/seats/seats-of';
import { stripe } from '@/lib/stripe/client';
import { CancelSubscriptionButton } from './cancel-subscription-button';
import { KeepPlanButton } from './keep-plan-button';
import { PaymentMethodsButton } from './payment-methods-button';
import { ResumeSubscriptionButton } from './resume-subscription-button';
import { SeatsPanel } from './seats-panel';

export const metadata: Metadata = { title: 'Billing' };

// The contract's day format (UTC), so "Cancels on <date>" and the lines below name the same day as SVD.
const formatDate = formatBillingDay;

/** SPEC §5 "Billing page": every subscription across apps, with change plan, cancel and the Stripe portal. */
export default async function BillingPage() {
  const session = await requireSession('/billing');
  // The business account active in the header (issue 15), or the person's own billing.
  const account = await getBillingAccount(session);
  const organization = account.organization;
  const scope = { userId: session.user.id, organizationId: organization?.id };
  const [subscriptions, { charges, paymentsUnavailable }, seats] = await Promise.all([
    listBillingSubscriptions(db(), scope),
    listSubscriptionCharges(db(), stripe(), scope),
    organization ? seatsOf(db(), organization.id) : null,
  ]);
  return (
    <div>
      <div className="mb-8">
        <h1 className="text-3xl font-semibold tracking-tight">
          {organization ? `Billing for ${organization.name}` : 'Billing'}
        </h1>
        <p className="mt-1 text-slate-600">
          {organization
            ? `${organization.name}’s OMG subscriptions, billed to ${organization.billingEmail}.`
            : 'Every OMG subscription on your account, on one bill.'}
        </p>
        {organization && !account.canManage && (
          <p className="mt-2 text-sm text-slate-500" data-testid="billing-read-only">
            You are a {account.role}: only owners and admins can buy or change {organization.name}’s plan.
          </p>
        )}
      </div>
      {seats?.plan && seats.total !== null && (
        <SeatsPanel
          seats={{
            planName: seats.plan.name,
            included: seats.included,
            extra: seats.extra,
            total: seats.total,
            used: seats.used,
            members: seats.members,
            pendingInvitations: seats.pendingInvitations,
            seatPriceCents: seats.seatPriceCents,
            canBuySeats: seats.canBuySeats,
          }}
          canManage={account.canManage}
        />
      )}
      {paymentsUnavailable && (
        <p
          className="mb-6 rounded-lg border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900"
          role="status"
          data-testid="payments-unavailable"
        >
          {PAYMENTS_UNAVAILABLE_MESSAGE}
        </p>
      )}
      {subscriptions.length === 0 ? (
        <div
          className="rounded-2xl border border-dashed border-slate-300 bg-white p-12 text-center text-slate-600"
          data-testid="billing-empty"
        >
          No subscriptions yet —{' '}
          <Link href="/portal" className="font-medium text-brand-600 hover:underline">
            browse products
          </Link>
        </div>
      ) : (
        // grid-cols-1 is minmax(0, 1fr): an implicit auto column would grow to the plan list's full width on a phone.
        <ul className="grid grid-cols-1 gap-6" aria-label="Subscriptions">
          {subscriptions.map((subscription) => (
            <SubscriptionCard
              key={subscription.appId}
              subscription={subscription}
              charges={charges.get(subscription.appId) ?? null}
              canManage={account.canManage}
            />
          ))}
        </ul>
      )}
    </div>
  );
}

function dateLine(s: TBillingSubscription): string | null {
  if (s.status === 'canceled') return null;
  // The badge says "Cancels on <date>" (from the Hub or Stripe's portal); this line says what that means.
  if (s.state.kind === 'canceling' && s.state.endsAt)
    return `Access continues until ${formatDate(s.state.endsAt)}`;
  if (s.scheduledChange)
    return `Changes to ${s.scheduledChange.planName} on ${formatDate(s.scheduledChange.at)}`;
  if (s.trialEndsAt) return `Free trial ends ${formatDate(s.trialEndsAt)}`;
  if (!s.currentPeriodEnd) return null;
  return `Renews ${formatDate(s.currentPeriodEnd)}`;
}

function SubscriptionCard({
  subscription: s,
  charges,
  canManage,
}: {
  subscription: TBillingSubscription;
  charges: TSubscriptionCharges | null;
  /** False for a business account's members and viewers: they see the plan read-only (issue 15). */
  canManage: boolean;
}) {
  // Stripe's own figures, in the words the checkout and success pages use: "20% off forever — next charge …".
  const summary = charges ? formatBillingSummary(charges) : '';
  const live = s.status !== 'canceled';
  const date = dateLine(s);
  return (
    <li
      className="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm"
      data-testid={`billing-card-${s.productSlug}`}
    >
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h2 className="text-lg font-semibold">{s.productName}</h2>
          <p className="text-sm text-slate-600" data-testid="billing-plan">
            {s.comped ? s.comped.planName : s.planName}
          </p>
          {s.comped && (
            <p className="text-sm text-emerald-700" data-testid="billing-comped">
              {s.comped.planName} free until {formatDate(s.comped.endsAt)}, from our team; then {s.planName}{' '}
              again
            </p>
          )}
        </div>
        <StatusBadge state={s.state} />
      </div>

      <div className="mt-4 flex flex-wrap items-baseline gap-x-6 gap-y-1 text-sm text-slate-700">
        <p data-testid="billing-price">
          <span className="text-xl font-semibold text-slate-900">{formatPrice(s.priceCents)}</span>
          {s.priceCents !== null && <span className="text-slate-500">/month</span>}
          {s.grandfathered && (
            <span
              className="ml-2 rounded-full bg-brand-50 px-2 py-0.5 text-xs font-medium text-brand-700"
              title="The price you had before moving to OMG, kept for you until you change plan"
              data-testid="billing-grandfathered"
            >
              Grandfathered
            </span>
          )}
        </p>
        {date && <p data-testid="billing-date">{date}</p>}
        {summary && <p data-testid="billing-charges">{summary}</p>}
        {!live && <p className="text-slate-500">Canceled — paid features have ended.</p>}
      </div>

      {s.paymentProblem && (
        <div
          className="mt-4 flex flex-wrap items-center justify-between gap-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800"
          data-testid="billing-payment-problem"
        >
          <span>{s.paymentProblem}</span>
        </div>
      )}

      <div className="mt-5 flex flex-wrap items-center gap-3">
        {!canManage ? null : live ? (
          <>
            {s.otherPlans.length > 0 && (
              // A plain GET form: the checkout page itself shows the change, its price and the confirmation.
              // On a phone the row is the card's width and the list shrinks: its longest plan name would otherwise
              // push Change plan off the screen.
              <form
                action="/checkout/start"
                method="get"
                className="flex w-full items-center gap-2 sm:w-auto"
              >
                <input type="hidden" name="product" value={s.productSlug} />
                <select
                  name="plan"
                  aria-label={`New plan for ${s.productName}`}
                  defaultValue={s.otherPlans[0]?.id}
                  className="min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm sm:flex-none"
                >
                  {s.otherPlans.map((plan) => (
                    <option key={plan.id} value={plan.id}>
                      {plan.name} — {formatPrice(plan.priceCents)}/month
                    </option>
                  ))}
                </select>
                <button
                  type="submit"
                  className="shrink-0 rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700"
                >
                  Change plan
                </button>
              </form>
            )}
            {s.scheduledChange && <KeepPlanButton appId={s.appId} planName={s.planName} />}
            <PaymentMethodsButton />
            {s.state.kind === 'canceling' && <ResumeSubscriptionButton appId={s.appId} />}
            <CancelSubscriptionButton
              appId={s.appId}
              productName={s.productName}
              accessUntil={
                s.managedByStripe && s.state.kind !== 'canceling' && s.currentPeriodEnd
                  ? formatDate(s.currentPeriodEnd)
                  : null
              }
            />
          </>
        ) : (
          <Link
            href={`/products/${s.productSlug}`}
            className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700"
          >
            Subscribe again
          </Link>
        )}
      </div>
    </li>
  );
}
