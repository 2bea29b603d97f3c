'use client';

import { safeRedirectTarget } from '@omg/platform/client';
import Link from 'next/link';
import { type FormEvent, useState } from 'react';
import { authErrorMessage } from '@/lib/auth/auth-errors';
import { authClient } from '@/lib/auth/client';
import { FormMessages, PasswordRules, SubmitButton } from './form-parts';
import { TwoFactorChallenge } from './two-factor-challenge';

const CHECK_EMAIL_NOTICE =
  'Check your email to continue. If you already have an account with this address, log in instead.';

interface TAuthFormProps {
  mode: 'login' | 'signup';
  next: string;
  passwordRules: readonly string[];
}

export function AuthForm({ mode, next, passwordRules }: TAuthFormProps) {
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [twoFactor, setTwoFactor] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const form = new FormData(event.currentTarget);
    const email = String(form.get('email') ?? '').trim();
    const password = String(form.get('password') ?? '');
    setPending(true);
    setError(null);
    setNotice(null);
    try {
      const result =
        mode === 'signup'
          ? await authClient.signUp.email({
              email,
              password,
              name: String(form.get('name') ?? '').trim(),
              // Where the verification link (mailed at sign-up) lands once the address is confirmed.
              callbackURL: '/portal',
            })
          : await authClient.signIn.email({ email, password });
      if (result.error) {
        setError(authErrorMessage(result.error));
        setPending(false);
        return;
      }
      // Sign-up answers a taken email exactly like a new account (the answer must not tell which), but only a
      // new account comes with a session: without one there is a step left, which the person is told.
      // The password was right and the account has 2FA on: no session yet, a code is asked next.
      if (result.data && 'twoFactorRedirect' in result.data && result.data.twoFactorRedirect) {
        setTwoFactor(true);
        setPending(false);
        return;
      }
      if (mode === 'signup' && !(await authClient.getSession()).data) {
        setNotice(CHECK_EMAIL_NOTICE);
        setPending(false);
        return;
      }
      // A full navigation: `next` may be a route handler (the launch hand-off), not a page. The page normalized it;
      // checked again here against this very origin, so the form can never be the step that leads off-site.
      window.location.assign(safeRedirectTarget(next, { self: window.location.origin, fallback: '/portal' }));
    } catch {
      setError('We could not reach the server. Check your connection and try again.');
      setPending(false);
    }
  }

  if (twoFactor) return <TwoFactorChallenge next={next} onRestart={() => setTwoFactor(false)} />;

  const alternate =
    mode === 'signup'
      ? { text: 'Already have an account?', label: 'Log in', href: '/login' }
      : { text: 'New to OMG?', label: 'Create an account', href: '/signup' };

  return (
    <form onSubmit={onSubmit} className="space-y-5" noValidate={false}>
      {mode === 'signup' && (
        <Field label="Full name" name="name" type="text" autoComplete="name" required maxLength={100} />
      )}
      <Field
        label="Email"
        name="email"
        type="email"
        // On login, the browser's autofill also offers the Hub's passkeys here (PasskeySignIn's conditional UI).
        autoComplete={mode === 'login' ? 'username webauthn' : 'email'}
        required
        maxLength={254}
      />
      <div>
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete={mode === 'signup' ? 'new-password' : 'current-password'}
          required
          maxLength={128}
        />
        {mode === 'signup' && <PasswordRules rules={passwordRules} className="mt-2" />}
      </div>
      <FormMessages notice={notice} error={error} />
      {mode === 'login' && (
        <p className="-mt-2 text-right text-sm">
          <Link href="/forgot-password" className="font-medium text-brand-600 hover:underline">
            Forgot your password?
          </Link>
        </p>
      )}
      <SubmitButton pending={pending}>{mode === 'signup' ? 'Create account' : 'Log in'}</SubmitButton>
      <p className="text-center text-sm text-slate-600">
        {alternate.text}{' '}
        <Link
          href={`${alternate.href}?next=${encodeURIComponent(next)}`}
          className="font-medium text-brand-600 hover:underline"
        >
          {alternate.label}
        </Link>
      </p>
    </form>
  );
}

function Field(props: {
  label: string;
  name: string;
  type: string;
  autoComplete: string;
  required?: boolean;
  maxLength?: number;
}) {
  const { label, ...input } = props;
  return (
    <label className="block">
      <span className="mb-1 block text-sm font-medium text-slate-700">{label}</span>
      <input
        {...input}
        className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 shadow-sm outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-100"
      />
    </label>
  );
}
