'use client';

import { useState } from 'react';
import { postJson } from '@/lib/post-json';

/** Opens Stripe's customer portal (cards, invoices); the session is made on click because its URL expires. */
export function PaymentMethodsButton({ label = 'Payment methods & invoices' }: { label?: string }) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <button
        type="button"
        disabled={pending}
        onClick={async () => {
          setPending(true);
          setError(null);
          try {
            const fallback = 'The billing portal could not be opened.';
            const { url } = await postJson<{ url?: string }>('/api/billing/portal', {}, fallback);
            if (!url) throw new Error(fallback);
            window.location.assign(url);
          } catch (e) {
            setError(e instanceof Error ? e.message : String(e));
            setPending(false);
          }
        }}
        className="rounded-md border border-slate-300 px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-60"
      >
        {pending ? 'Opening…' : label}
      </button>
      {error && (
        <p
          role="alert"
          className="order-last w-full rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700"
        >
          {error}
        </p>
      )}
    </>
  );
}
