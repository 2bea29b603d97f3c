'use client';

import { fetchJson, useAction } from '@omg/platform/client';

/** Opens Stripe's customer portal (cards, invoices); the session is made on click because its URL expires. */
export function PaymentMethodsButton({ label = 'Payment methods & invoices' }: { label?: string }) {
  const open = useAction({ leavesPage: true });
  return (
    <>
      <button
        type="button"
        disabled={open.pending}
        onClick={() =>
          open.run(async () => {
            const fallback = 'The billing portal could not be opened.';
            const { url } = await fetchJson<{ url?: string }>('/api/billing/portal', {
              method: 'POST',
              body: {},
              fallback,
            });
            if (!url) throw new Error(fallback);
            window.location.assign(url);
          })
        }
        className="rounded-md border border-slate-300 px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-60"
      >
        {open.pending ? 'Opening…' : label}
      </button>
      {open.error && (
        <p
          role="alert"
          className="order-last w-full rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700"
        >
          {open.error}
        </p>
      )}
    </>
  );
}
