'use client';

import { fetchJson, useAction } from '@omg/platform/client';
import Link from 'next/link';
import type { FormEvent } from 'react';
import { FormMessages, PasswordRules, SubmitButton } from './form-parts';

/** The claim page's form: the account's email (fixed by the link) and its first password. */
export function ClaimAccountForm({
  token,
  email,
  passwordRules,
}: {
  token: string;
  email: string;
  passwordRules: readonly string[];
}) {
  const claim = useAction({ leavesPage: true });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const password = String(new FormData(event.currentTarget).get('password') ?? '');
    void claim.run(async () => {
      const { next } = await fetchJson<{ next: string }>('/api/account/claim', {
        method: 'POST',
        body: { token, password },
        fallback: 'Your password could not be set. Please try again.',
      });
      window.location.assign(next);
    });
  }

  return (
    <form onSubmit={onSubmit} className="space-y-5">
      <label className="block">
        <span className="mb-1 block text-sm font-medium text-slate-700">Email</span>
        <input
          name="email"
          type="email"
          value={email}
          readOnly
          autoComplete="username"
          className="block w-full rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-slate-700"
        />
      </label>
      <label className="block">
        <span className="mb-1 block text-sm font-medium text-slate-700">Password</span>
        <input
          name="password"
          type="password"
          autoComplete="new-password"
          required
          maxLength={128}
          className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 shadow-sm outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-100"
        />
      </label>
      <PasswordRules rules={passwordRules} />
      <FormMessages error={claim.error} />
      {claim.error && (
        <p className="text-sm">
          <Link href="/forgot-password" className="font-medium text-brand-600 hover:underline">
            Forgot your password?
          </Link>
        </p>
      )}
      <SubmitButton pending={claim.pending}>Set password and open SecureVault</SubmitButton>
    </form>
  );
}
