'use client';

import Link from 'next/link';
import { type FormEvent, useState } from 'react';
import { authErrorMessage } from '@/lib/auth/auth-errors';
import { authClient } from '@/lib/auth/client';
import { FormMessages, PasswordRules, SubmitButton } from './form-parts';

export function ResetPasswordForm({
  token,
  passwordRules,
}: {
  token: string;
  passwordRules: readonly string[];
}) {
  const [error, setError] = useState<string | null>(null);
  const [expired, setExpired] = useState(false);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const newPassword = String(new FormData(event.currentTarget).get('password') ?? '');
    setPending(true);
    setError(null);
    try {
      const result = await authClient.resetPassword({ newPassword, token });
      if (!result.error) {
        window.location.assign('/login?reset=1');
        return;
      }
      if (result.error.code === 'INVALID_TOKEN') setExpired(true);
      else setError(authErrorMessage(result.error));
    } catch {
      setError('We could not reach the server. Check your connection and try again.');
    }
    setPending(false);
  }

  if (expired) {
    return (
      <p role="alert" className="text-sm text-slate-700">
        This link has expired or was already used.{' '}
        <Link href="/forgot-password" className="font-medium text-brand-600 hover:underline">
          Ask for a new link
        </Link>
      </p>
    );
  }
  return (
    <form onSubmit={onSubmit} className="space-y-5">
      <label className="block">
        <span className="mb-1 block text-sm font-medium text-slate-700">New password</span>
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
      <FormMessages error={error} />
      <SubmitButton pending={pending}>Set new password</SubmitButton>
    </form>
  );
}
