'use client';

import { fetchJson, useAction } from '@omg/platform/client';
import { type FormEvent, useState } from 'react';
import { FormMessages } from './form-parts';

const input =
  'block w-full rounded-md border border-slate-300 bg-white px-3 py-2 shadow-sm outline-none focus:border-red-500 focus:ring-2 focus:ring-red-100';

/**
 * Deleting the account: what happens is listed first (the same terms the server's operation carries out), and the
 * customer confirms by typing the account's email and the password.
 */
export function DeleteAccountForm({ email, terms }: { email: string; terms: readonly string[] }) {
  const remove = useAction({ leavesPage: true });
  const [open, setOpen] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    await remove.run(async () => {
      await fetchJson('/api/account/delete', {
        method: 'POST',
        body: { email: String(data.get('email') ?? ''), password: String(data.get('password') ?? '') },
        fallback: 'Your account could not be deleted.',
      });
      window.location.assign('/login?deleted=1');
    });
  }

  return (
    <div className="rounded-2xl border border-red-200 bg-white p-6 text-sm">
      <p className="font-medium text-slate-900">Deleting your account:</p>
      <ul className="mt-2 list-disc space-y-1 pl-5 text-slate-700" aria-label="What deleting does">
        {terms.map((term) => (
          <li key={term}>{term}</li>
        ))}
      </ul>
      {open ? (
        <form onSubmit={onSubmit} className="mt-4 max-w-sm space-y-4" aria-label="Delete account">
          <label className="block">
            <span className="mb-1 block font-medium text-slate-700">
              Type <span className="font-mono">{email}</span> to confirm
            </span>
            <input name="email" type="text" autoComplete="off" required maxLength={254} className={input} />
          </label>
          <label className="block">
            <span className="mb-1 block font-medium text-slate-700">Password</span>
            <input
              name="password"
              type="password"
              autoComplete="current-password"
              required
              maxLength={128}
              className={input}
            />
          </label>
          <FormMessages error={remove.error} />
          <div className="flex gap-3">
            <button
              type="submit"
              disabled={remove.pending}
              className="rounded-md bg-red-600 px-4 py-2 font-medium text-white hover:bg-red-700 disabled:opacity-60"
            >
              {remove.pending ? 'Deleting…' : 'Delete my account'}
            </button>
            <button
              type="button"
              disabled={remove.pending}
              onClick={() => setOpen(false)}
              className="rounded-md border border-slate-300 px-4 py-2 text-slate-700"
            >
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <button
          type="button"
          onClick={() => setOpen(true)}
          className="mt-4 rounded-md border border-red-300 px-3 py-1.5 font-medium text-red-700 hover:bg-red-50"
        >
          Delete account…
        </button>
      )}
    </div>
  );
}
