'use client';

import { fetchJson, useAction } from '@omg/platform/client';
import { type FormEvent, useState } from 'react';
import { FormMessages, PasswordRules, SubmitButton } from './form-parts';

const input =
  'block w-full rounded-md border border-slate-300 bg-white px-3 py-2 shadow-sm outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-100';

/** The Account page's password change: the current password, a new one under the sign-up rules. */
export function ChangePasswordForm({ passwordRules }: { passwordRules: readonly string[] }) {
  const change = useAction();
  const [notice, setNotice] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    setNotice(null);
    const done = await change.run(() =>
      fetchJson('/api/account/password', {
        method: 'POST',
        body: {
          currentPassword: String(data.get('currentPassword') ?? ''),
          newPassword: String(data.get('newPassword') ?? ''),
        },
        fallback: 'Your password could not be changed.',
      }),
    );
    if (done) {
      form.reset();
      setNotice('Your password was changed. Every other session of your account has been signed out.');
    }
  }

  return (
    <form onSubmit={onSubmit} className="max-w-sm space-y-4" aria-label="Change password">
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
      <label className="block">
        <span className="mb-1 block text-sm font-medium text-slate-700">New password</span>
        <input
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          maxLength={128}
          className={input}
        />
      </label>
      <PasswordRules rules={passwordRules} />
      <FormMessages notice={notice} error={change.error} />
      <SubmitButton pending={change.pending}>Change password</SubmitButton>
    </form>
  );
}
