'use client';

import { useAction } from '@omg/platform/client';
import { useState } from 'react';
import { authClient } from '@/lib/auth/client';

/** Ends every session of this account: every browser on the Hub, and through them every SVD session. */
export function SignOutEverywhereButton() {
  const [confirming, setConfirming] = useState(false);
  const signOut = useAction({ leavesPage: true });

  async function signOutEverywhere() {
    const done = await signOut.run(async () => {
      const result = await authClient.revokeSessions();
      if (result.error) throw new Error('We could not sign you out everywhere. Please try again.');
      window.location.assign('/login');
    });
    // The message shows under the button, where the user can try again.
    if (!done) setConfirming(false);
  }

  if (confirming) {
    return (
      <div className="rounded-xl border border-amber-200 bg-amber-50 p-4 text-sm">
        <p className="text-amber-900">
          Sign out of OMG and SecureVault Docs on every device, including this one?
        </p>
        <div className="mt-3 flex gap-3">
          <button
            type="button"
            disabled={signOut.pending}
            onClick={signOutEverywhere}
            className="rounded-md bg-amber-600 px-3 py-1.5 font-medium text-white hover:bg-amber-700 disabled:opacity-60"
          >
            {signOut.pending ? 'Signing out…' : 'Yes, sign out everywhere'}
          </button>
          <button
            type="button"
            disabled={signOut.pending}
            onClick={() => setConfirming(false)}
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
        onClick={() => setConfirming(true)}
        className="rounded-md border border-slate-300 px-3 py-1.5 text-slate-700 hover:bg-slate-100"
      >
        Sign out everywhere
      </button>
      {signOut.error && (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {signOut.error}
        </p>
      )}
    </div>
  );
}
