'use client';

import { useState } from 'react';
import { postJson } from '@/lib/post-json';

const money = (cents: number) => `$${(cents / 100).toFixed(2)}`;

interface TAppliedCoupon {
  code: string;
  label: string;
}

/**
 * The coupon field and the button that opens the Stripe Checkout. A coupon is checked with the Hub before the user
 * leaves the page (showing the discounted price or why not), then sent along; the server checks it again. A second
 * click while checkout opens does nothing, and errors are shown in place.
 */
export function CheckoutButton(props: {
  productId: string;
  plan: string;
  trial: boolean;
  returnUrl: string | null;
  label: string;
}) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [checking, setChecking] = useState(false);
  const [coupon, setCoupon] = useState<TAppliedCoupon | null>(null);
  const [couponError, setCouponError] = useState<string | null>(null);

  async function applyCoupon() {
    const entered = code.trim();
    if (!entered) return;
    setChecking(true);
    setCoupon(null);
    setCouponError(null);
    try {
      const response = await fetch('/api/coupons/validate', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: entered, productId: props.productId, plan: props.plan }),
      });
      const body = await response.json().catch(() => null);
      if (!response.ok) throw new Error(body?.error?.message ?? 'The code could not be checked.');
      if (!body?.valid) throw new Error(body?.error ?? 'Invalid coupon code');
      const off = body.type === 'PERCENTAGE' ? `${body.discount} % off` : `${money(body.discount)} off`;
      const price =
        typeof body.discountedPriceCents === 'number' ? ` — ${money(body.discountedPriceCents)}/month` : '';
      setCoupon({ code: body.code, label: `${off}${price}` });
    } catch (e) {
      setCouponError(e instanceof Error ? e.message : String(e));
    } finally {
      setChecking(false);
    }
  }

  return (
    <div className="space-y-4">
      <form
        className="space-y-2"
        onSubmit={(event) => {
          event.preventDefault();
          void applyCoupon();
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
              setCouponError(null);
            }}
            className="min-w-0 flex-1 rounded-md border border-slate-300 px-3 py-2 uppercase"
          />
          <button
            type="submit"
            data-testid="apply-coupon"
            disabled={checking || !code.trim()}
            className="rounded-md border border-slate-300 px-4 py-2 text-sm font-medium hover:bg-slate-50 disabled:opacity-60"
          >
            {checking ? 'Checking…' : 'Apply'}
          </button>
        </div>
        {coupon && (
          <p className="text-sm font-medium text-emerald-700" data-testid="coupon-result">
            {coupon.label}
          </p>
        )}
        {couponError && (
          <p role="alert" className="text-sm text-red-700" data-testid="coupon-error">
            {couponError}
          </p>
        )}
      </form>
      <button
        type="button"
        disabled={pending || checking}
        onClick={async () => {
          if (code.trim() && !coupon) {
            setError('Apply the coupon code first, or clear it.');
            return;
          }
          setPending(true);
          setError(null);
          try {
            const fallback = 'Checkout could not be opened.';
            const { url } = await postJson<{ url?: string }>(
              '/api/checkout/create-session',
              {
                productId: props.productId,
                plan: props.plan,
                trial: props.trial,
                ...(coupon ? { couponCode: coupon.code } : {}),
                ...(props.returnUrl ? { returnUrl: props.returnUrl } : {}),
              },
              fallback,
            );
            if (!url) throw new Error(fallback);
            window.location.assign(url);
          } catch (e) {
            setError(e instanceof Error ? e.message : String(e));
            setPending(false);
          }
        }}
        className="w-full rounded-md bg-brand-600 px-4 py-3 font-medium text-white hover:bg-brand-700 disabled:opacity-60"
      >
        {pending ? 'Opening secure checkout…' : props.label}
      </button>
      {error && (
        <p
          role="alert"
          className="mt-3 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700"
        >
          {error}
        </p>
      )}
    </div>
  );
}
