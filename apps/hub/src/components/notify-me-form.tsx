'use client';

import { fetchJson, useAction } from '@omg/platform/client';
import { type FormEvent, useState } from 'react';

/**
 * "Notify me" on a product that has not launched: one click for a signed-in customer (their account email), an
 * address for a visitor. Asking again records nothing new and says so.
 */
export function NotifyMeForm(props: {
  productId: string;
  productName: string;
  signedInEmail: string | null;
}) {
  const notify = useAction();
  const [done, setDone] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = props.signedInEmail
      ? undefined
      : String(new FormData(event.currentTarget).get('email') ?? '');
    await notify.run(async () => {
      const answer = await fetchJson<{ message: string }>('/api/product-interest', {
        method: 'POST',
        body: { productId: props.productId, ...(email === undefined ? {} : { email }) },
        fallback: 'We could not save your request. Please try again.',
      });
      setDone(answer.message);
    });
  }

  return (
    <form onSubmit={onSubmit} className="mt-3 flex flex-wrap items-end gap-2" aria-label="Notify me">
      {!props.signedInEmail && (
        <label className="min-w-0 flex-1 basis-56">
          <span className="mb-1 block text-xs font-medium">Email</span>
          <input
            name="email"
            type="email"
            required
            maxLength={254}
            autoComplete="email"
            className="block w-full rounded-md border border-amber-300 bg-white px-3 py-2 text-slate-900"
          />
        </label>
      )}
      <button
        type="submit"
        disabled={notify.pending}
        className="rounded-md bg-amber-600 px-4 py-2 font-medium text-white hover:bg-amber-700 disabled:opacity-60"
      >
        {notify.pending ? 'Please wait…' : 'Notify me'}
      </button>
      {done && (
        <p role="status" className="w-full font-medium" data-testid="notify-me-done">
          {done}
        </p>
      )}
      {notify.error && (
        <p role="alert" className="w-full text-red-700">
          {notify.error}
        </p>
      )}
    </form>
  );
}
