'use client';

import { safeRedirectTarget, useAction } from '@omg/platform/client';
import {
  browserSupportsWebAuthn,
  browserSupportsWebAuthnAutofill,
  startAuthentication,
  WebAuthnAbortService,
} from '@simplewebauthn/browser';
import { useEffect } from 'react';
import { ceremonyErrorMessage, PASSKEYS_UNSUPPORTED, passkeyCall } from '@/lib/auth/passkeys/passkey-client';

type TOptions = Parameters<typeof startAuthentication>[0]['optionsJSON'];

/**
 * The login page's passkey sign-in: a button (the browser lists the passkeys it holds for the Hub; no email is
 * typed) and, where the browser offers it, the passkeys in the email field's autofill (conditional UI). A
 * passkey counts as both factors, so an account with 2FA on is not asked for a code.
 */
export function PasskeySignIn({ next }: { next: string }) {
  const action = useAction({ leavesPage: true });

  async function finish(response: Awaited<ReturnType<typeof startAuthentication>>) {
    await passkeyCall('sign-in', { response });
    window.location.assign(safeRedirectTarget(next, { self: window.location.origin, fallback: '/portal' }));
  }

  // Conditional UI: a pending request that the email field's autofill completes; the button cancels it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: started once per visit to the page
  useEffect(() => {
    let left = false;
    (async () => {
      if (!(await browserSupportsWebAuthnAutofill().catch(() => false))) return;
      const optionsJSON = await passkeyCall<TOptions>('sign-in-options', {}).catch(() => null);
      if (!optionsJSON || left) return;
      let response: Awaited<ReturnType<typeof startAuthentication>>;
      try {
        response = await startAuthentication({ optionsJSON, useBrowserAutofill: true });
      } catch {
        // Cancelled by the button or by leaving the page, or not offered: the button still works.
        return;
      }
      await action.run(() => finish(response));
    })();
    return () => {
      left = true;
      WebAuthnAbortService.cancelCeremony();
    };
  }, []);

  async function onClick() {
    await action.run(async () => {
      if (!browserSupportsWebAuthn()) throw new Error(PASSKEYS_UNSUPPORTED);
      const optionsJSON = await passkeyCall<TOptions>('sign-in-options', {});
      let response: Awaited<ReturnType<typeof startAuthentication>>;
      try {
        response = await startAuthentication({ optionsJSON });
      } catch (error) {
        throw new Error(ceremonyErrorMessage(error, 'sign-in'));
      }
      await finish(response);
    });
  }

  return (
    <div className="mt-6 space-y-3 border-t border-slate-200 pt-6">
      <button
        type="button"
        onClick={onClick}
        disabled={action.pending}
        className="w-full rounded-md border border-slate-300 bg-white px-4 py-2.5 font-medium text-slate-800 hover:bg-slate-50 disabled:opacity-60"
      >
        {action.pending ? 'Please wait…' : 'Sign in with a passkey'}
      </button>
      <p className="text-center text-xs text-slate-500">
        Use your device’s fingerprint, face, screen lock or a security key. A passkey counts as both factors,
        so no authentication code is asked.
      </p>
      {action.error && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
          {action.error}
        </p>
      )}
    </div>
  );
}
