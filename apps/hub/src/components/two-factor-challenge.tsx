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
    const form = new FormData(event.currentTarget);
    const code = String(form.get('code') ?? '').trim();
    // better-auth's trusted device: a signed cookie and a 30-day record in core."Verification" (so it can be
    // revoked; deleting the account removes it), after which this browser's password sign-in asks no code.
    const trustDevice = form.get('trustDevice') === 'on';
    setPending(true);
    setError(null);
    try {
      const result = useBackup
        ? await authClient.twoFactor.verifyBackupCode({ code, trustDevice })
        : await authClient.twoFactor.verifyTotp({ code: code.replace(/\s/g, ''), trustDevice });
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
      <label className="flex items-start gap-2 text-sm text-slate-700">
        <input name="trustDevice" type="checkbox" className="mt-0.5" />
        <span>Trust this device for 30 days (no code asked here; only on a device you alone use)</span>
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
