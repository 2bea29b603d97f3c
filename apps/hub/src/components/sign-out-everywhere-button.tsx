'use client';

import { useState } from 'react';
import { authClient } from '@/lib/auth/client';

/** Ends every session of this account: every browser on the Hub, and through them every SVD session. */
export function SignOutEverywhereButton() {
  const [state, setState] = useState<'idle' | 'confirm' | 'pending' | 'failed'>('idle');

  if (state === 'confirm' || state === 'pending') {
    return (
      <div className="rounded-xl border border-amber-200 bg-amber-50 p-4 text-sm">
        <p className="text-amber-900">
          Sign out of OMG and SecureVault Docs on every device, including this one?
        </p>
        <div className="mt-3 flex gap-3">
          <button
            type="button"
            disabled={state === 'pending'}
            onClick={async () => {
              setState('pending');
              const result = await authClient.revokeSessions();
              if (result.error) return setState('failed');
              window.location.assign('/login');
            }}
            className="rounded-md bg-amber-600 px-3 py-1.5 font-medium text-white hover:bg-amber-700 disabled:opacity-60"
          >
            {state === 'pending' ? 'Signing out…' : 'Yes, sign out everywhere'}
          </button>
          <button
            type="button"
            onClick={() => setState('idle')}
            className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-slate-700"
          >
            Cancel
          </button>
        </div>
      </div>
    );
  }
  return (
    <div>
      <button
        type="button"
        onClick={() => setState('confirm')}
        className="rounded-md border border-slate-300 px-3 py-1.5 text-slate-700 hover:bg-slate-100"
      >
        Sign out everywhere
      </button>
      {state === 'failed' && (
        <p role="alert" className="mt-2 text-sm text-red-700">
          We could not sign you out everywhere. Please try again.
        </p>
      )}
    </div>
  );
}
