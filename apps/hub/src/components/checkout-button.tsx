'use client';

import { useState } from 'react';

/** Opens the Stripe Checkout; a second click while it opens does nothing, and errors are shown in place. */
export function CheckoutButton(props: {
  productId: string;
  plan: string;
  trial: boolean;
  returnUrl: string | null;
  label: string;
}) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <div>
      <button
        type="button"
        disabled={pending}
        onClick={async () => {
          setPending(true);
          setError(null);
          try {
            const response = await fetch('/api/checkout/create-session', {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({
                productId: props.productId,
                plan: props.plan,
                trial: props.trial,
                ...(props.returnUrl ? { returnUrl: props.returnUrl } : {}),
              }),
            });
            const body = await response.json().catch(() => null);
            if (!response.ok || !body?.url)
              throw new Error(body?.error?.message ?? 'Checkout could not be opened.');
            window.location.assign(body.url);
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
