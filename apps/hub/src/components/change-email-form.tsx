'use client';

import { fetchJson, useAction } from '@omg/platform/client';
import { type FormEvent, useState } from 'react';
import { FormMessages, SubmitButton } from './form-parts';

const input =
  'block w-full rounded-md border border-slate-300 bg-white px-3 py-2 shadow-sm outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-100';

/** The Account page's email change: a link goes to the new address; the change happens when it is opened. */
export function ChangeEmailForm() {
  const change = useAction();
  const [notice, setNotice] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    setNotice(null);
    let message = '';
    const done = await change.run(async () => {
      const answer = await fetchJson<{ message: string }>('/api/account/email', {
        method: 'POST',
        body: {
          newEmail: String(data.get('newEmail') ?? ''),
          currentPassword: String(data.get('currentPassword') ?? ''),
        },
        fallback: 'Your email address could not be changed.',
      });
      message = answer.message;
    });
    if (done) {
      form.reset();
      setNotice(message);
    }
  }

  return (
    <form onSubmit={onSubmit} className="max-w-sm space-y-4" aria-label="Change email">
      <label className="block">
        <span className="mb-1 block text-sm font-medium text-slate-700">New email address</span>
        <input name="newEmail" type="email" autoComplete="email" required maxLength={254} className={input} />
      </label>
      <label className="block">
        <span className="mb-1 block text-sm font-medium text-slate-700">Current password</span>
        <input
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          maxLength={128}
          className={input}
        />
      </label>
      <FormMessages notice={notice} error={change.error} />
      <SubmitButton pending={change.pending}>Send confirmation link</SubmitButton>
    </form>
  );
}
