'use client';

import { useState } from 'react';
import { authErrorMessage } from '@/lib/auth/auth-errors';
import { authClient } from '@/lib/auth/client';

export function ResendVerificationButton({ email }: { email: string }) {
  const [state, setState] = useState<'idle' | 'pending' | 'sent'>('idle');
  const [error, setError] = useState<string | null>(null);

  async function resend() {
    setState('pending');
    setError(null);
    const result = await authClient
      .sendVerificationEmail({ email, callbackURL: '/portal' })
      .catch(() => ({ error: { message: 'We could not reach the server. Please try again.' } }));
    if (result.error) {
      setError(authErrorMessage(result.error));
      setState('idle');
      return;
    }
    setState('sent');
  }

  if (state === 'sent') return <p role="status">Sent. Check your inbox.</p>;
  return (
    <span className="flex items-center gap-3">
      {error && <span role="alert">{error}</span>}
      <button
        type="button"
        onClick={resend}
        disabled={state === 'pending'}
        className="rounded-md border border-amber-300 bg-white px-3 py-1.5 font-medium hover:bg-amber-100 disabled:opacity-60"
      >
        {state === 'pending' ? 'Sending…' : 'Resend the link'}
      </button>
    </span>
  );
}
