'use client';

import {
  formatBillingSummary,
  formatPrice,
  projectCheckoutCharges,
  type TDiscountTerms,
} from '@omg/contract';
import { fetchJson, useAction } from '@omg/platform/client';
import { useState } from 'react';

interface TAppliedCoupon {
  code: string;
  /** "20% off forever — next charge $11.99 on Jan 1, 2027": the words the billing page will use. */
  label: string;
  dueToday: string;
}

type TCouponAnswer = { valid: true; code: string; terms: TDiscountTerms } | { valid: false; error?: string };

/**
 * The coupon field and the button that opens the Stripe Checkout. A coupon is checked with the Hub before the user
 * leaves the page (showing the discounted price or why not), then sent along; the server checks it again. A second
 * click while checkout opens does nothing, and errors are shown in place.
 */
export function CheckoutButton(props: {
  productId: string;
  plan: string;
  /** The plan's monthly price and the trial's length: what the coupon's next charge is worked out from. */
  priceCents: number;
  trialDays: number;
  trial: boolean;
  returnUrl: string | null;
  label: string;
}) {
  const checkout = useAction({ leavesPage: true });
  const check = useAction();
  const [code, setCode] = useState('');
  const [coupon, setCoupon] = useState<TAppliedCoupon | null>(null);

  function applyCoupon() {
    const entered = code.trim();
    if (!entered) return;
    setCoupon(null);
    void check.run(async () => {
      const body = await fetchJson<TCouponAnswer>('/api/coupons/validate', {
        method: 'POST',
        body: { code: entered, productId: props.productId, plan: props.plan },
        fallback: 'The code could not be checked.',
      });
      if (!body.valid) throw new Error(body.error ?? 'Invalid coupon code');
      // Stripe previews only existing subscriptions: the first charges are projected the way Stripe bills them.
      const trialDays = props.trial ? props.trialDays : 0;
      const charges = projectCheckoutCharges({
        priceCents: props.priceCents,
        discount: body.terms,
        trialDays,
        now: new Date(),
      });
      setCoupon({
        code: body.code,
        label: formatBillingSummary({
          discount: body.terms,
          nextCharge: charges.nextCharge,
          first: trialDays > 0,
        }),
        dueToday: `${formatPrice(charges.dueTodayCents)} due today`,
      });
    });
  }

  function openCheckout() {
    if (code.trim() && !coupon) return checkout.setError('Apply the coupon code first, or clear it.');
    void checkout.run(async () => {
      const fallback = 'Checkout could not be opened.';
      const { url } = await fetchJson<{ url?: string }>('/api/checkout/create-session', {
        method: 'POST',
        body: {
          productId: props.productId,
          plan: props.plan,
          trial: props.trial,
          ...(coupon ? { couponCode: coupon.code } : {}),
          ...(props.returnUrl ? { returnUrl: props.returnUrl } : {}),
        },
        fallback,
      });
      if (!url) throw new Error(fallback);
      window.location.assign(url);
    });
  }

  return (
    <div className="space-y-4">
      <form
        className="space-y-2"
        onSubmit={(event) => {
          event.preventDefault();
          applyCoupon();
        }}
      >
        <label htmlFor="coupon-code" className="block text-sm font-medium text-slate-700">
          Coupon code
        </label>
        <div className="flex gap-2">
          <input
            id="coupon-code"
            data-testid="coupon-code"
            value={code}
            maxLength={40}
            autoComplete="off"
            onChange={(event) => {
              setCode(event.target.value);
              // A changed code is not the one that was checked: never send an unchecked one along silently.
              setCoupon(null);
              check.setError(null);
            }}
            className="min-w-0 flex-1 rounded-md border border-slate-300 px-3 py-2 uppercase"
          />
          <button
            type="submit"
            data-testid="apply-coupon"
            disabled={check.pending || !code.trim()}
            className="rounded-md border border-slate-300 px-4 py-2 text-sm font-medium hover:bg-slate-50 disabled:opacity-60"
          >
            {check.pending ? 'Checking…' : 'Apply'}
          </button>
        </div>
        {coupon && (
          <>
            <p className="text-sm font-medium text-emerald-700" data-testid="coupon-result">
              {coupon.label}
            </p>
            <p className="text-sm text-slate-600" data-testid="coupon-due-today">
              {coupon.dueToday}
            </p>
          </>
        )}
        {check.error && (
          <p role="alert" className="text-sm text-red-700" data-testid="coupon-error">
            {check.error}
          </p>
        )}
      </form>
      <button
        type="button"
        disabled={checkout.pending || check.pending}
        onClick={openCheckout}
        className="w-full rounded-md bg-brand-600 px-4 py-3 font-medium text-white hover:bg-brand-700 disabled:opacity-60"
      >
        {checkout.pending ? 'Opening secure checkout…' : props.label}
      </button>
      {checkout.error && (
        <p
          role="alert"
          className="mt-3 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700"
        >
          {checkout.error}
        </p>
      )}
    </div>
  );
}
