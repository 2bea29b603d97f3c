'use client';

import { safeRedirectTarget } from '@omg/platform/client';
import { type FormEvent, useState } from 'react';
import { authErrorMessage } from '@/lib/auth/auth-errors';
import { authClient } from '@/lib/auth/client';
import { FormMessages, SubmitButton } from './form-parts';

/**
 * The second step of logging in to an account with 2FA on: the password was right, and until a code from the
 * authenticator app (or an unused backup code) is accepted there is no session, only better-auth's 10-minute
 * challenge cookie.
 */
export function TwoFactorChallenge({ next, onRestart }: { next: string; onRestart: () => void }) {
  const [useBackup, setUseBackup] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const code = String(new FormData(event.currentTarget).get('code') ?? '').trim();
    setPending(true);
    setError(null);
    try {
      const result = useBackup
        ? await authClient.twoFactor.verifyBackupCode({ code })
        : await authClient.twoFactor.verifyTotp({ code: code.replace(/\s/g, '') });
      if (result.error) {
        setError(authErrorMessage(result.error));
        setPending(false);
        return;
      }
      window.location.assign(safeRedirectTarget(next, { self: window.location.origin, fallback: '/portal' }));
    } catch {
      setError('We could not reach the server. Check your connection and try again.');
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} className="space-y-5" aria-label="Two-factor authentication">
      <p className="text-sm text-slate-600">
        {useBackup
          ? 'Enter one of your backup codes. Each backup code works once.'
          : 'Enter the 6-digit code from your authenticator app.'}
      </p>
      <label className="block">
        <span className="mb-1 block text-sm font-medium text-slate-700">
          {useBackup ? 'Backup code' : 'Authentication code'}
        </span>
        <input
          key={useBackup ? 'backup' : 'totp'}
          name="code"
          autoComplete="one-time-code"
          inputMode={useBackup ? 'text' : 'numeric'}
          required
          maxLength={useBackup ? 32 : 7}
          className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 shadow-sm outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-100"
        />
      </label>
      <FormMessages error={error} />
      <SubmitButton pending={pending}>Verify</SubmitButton>
      <div className="flex justify-between text-sm">
        <button
          type="button"
          onClick={() => {
            setUseBackup(!useBackup);
            setError(null);
          }}
          className="font-medium text-brand-600 hover:underline"
        >
          {useBackup ? 'Use your authenticator app' : 'Use a backup code'}
        </button>
        <button type="button" onClick={onRestart} className="text-slate-600 hover:underline">
          Start over
        </button>
      </div>
    </form>
  );
}
