'use client';

import { fetchJson, useAction } from '@omg/platform/client';
import { useRouter } from 'next/navigation';
import type { FormEvent } from 'react';
import { FormMessages, SubmitButton } from './form-parts';

const input =
  'block w-full rounded-md border border-slate-300 bg-white px-3 py-2 shadow-sm outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-100';

/** /admin/confirm: staff re-enter their password, then go back to the console page they asked for. */
export function AdminConfirmForm({ next }: { next: string }) {
  const confirm = useAction();
  const router = useRouter();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const done = await confirm.run(() =>
      fetchJson('/api/admin/confirm', {
        method: 'POST',
        body: { password: String(data.get('password') ?? '') },
        fallback: 'Your password could not be checked.',
      }),
    );
    if (done) {
      router.replace(next);
      router.refresh();
    }
  }

  return (
    <form onSubmit={onSubmit} className="max-w-sm space-y-4" aria-label="Confirm your password">
      <label className="block">
        <span className="mb-1 block text-sm font-medium text-slate-700">Password</span>
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          required
          maxLength={128}
          className={input}
        />
      </label>
      <FormMessages error={confirm.error} />
      <SubmitButton pending={confirm.pending}>Confirm</SubmitButton>
    </form>
  );
}
