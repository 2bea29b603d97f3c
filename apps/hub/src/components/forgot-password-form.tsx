'use client';

import Link from 'next/link';
import { type FormEvent, useState } from 'react';
import { authErrorMessage } from '@/lib/auth/auth-errors';
import { authClient } from '@/lib/auth/client';
import { FormMessages, SubmitButton } from './form-parts';

// The same answer whether or not the address has an account: the form must not tell which.
const SENT_NOTICE =
  'If an account exists for this address, we sent it a link to choose a new password. The link works once, for 1 hour.';

export function ForgotPasswordForm() {
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const email = String(new FormData(event.currentTarget).get('email') ?? '').trim();
    setPending(true);
    setError(null);
    setNotice(null);
    try {
      const result = await authClient.requestPasswordReset({ email, redirectTo: '/reset-password' });
      if (result.error) setError(authErrorMessage(result.error));
      else setNotice(SENT_NOTICE);
    } catch {
      setError('We could not reach the server. Check your connection and try again.');
    }
    setPending(false);
  }

  return (
    <form onSubmit={onSubmit} className="space-y-5">
      <label className="block">
        <span className="mb-1 block text-sm font-medium text-slate-700">Email</span>
        <input
          name="email"
          type="email"
          autoComplete="email"
          required
          maxLength={254}
          className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 shadow-sm outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-100"
        />
      </label>
      <FormMessages notice={notice} error={error} />
      <SubmitButton pending={pending}>Send me a link</SubmitButton>
      <p className="text-center text-sm text-slate-600">
        Remembered it?{' '}
        <Link href="/login" className="font-medium text-brand-600 hover:underline">
          Log in
        </Link>
      </p>
    </form>
  );
}
