'use client';

import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { authErrorMessage } from '@/lib/auth/auth-errors';
import { authClient } from '@/lib/auth/client';
import { BackupCodes } from './backup-codes';
import { FormMessages, SubmitButton } from './form-parts';

const input =
  'block w-full rounded-md border border-slate-300 bg-white px-3 py-2 shadow-sm outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-100';

type TStep =
  | { kind: 'idle' }
  | { kind: 'password'; action: 'enable' | 'disable' | 'regenerate' }
  | { kind: 'scan'; qr: string; secret: string; backupCodes: string[] }
  | { kind: 'codes'; backupCodes: string[] };

const PASSWORD_PROMPT = {
  enable: { label: 'Turn on two-factor authentication', submit: 'Continue' },
  disable: { label: 'Turn off two-factor authentication', submit: 'Turn off' },
  regenerate: { label: 'Make new backup codes', submit: 'Make new codes' },
} as const;

/**
 * The Account page's two-factor section: turn on (password → QR code and secret → a code from the app → backup
 * codes, shown once), make new backup codes (password; the old ones stop working), turn off (password).
 */
export function TwoFactorSettings({ enabled }: { enabled: boolean }) {
  const router = useRouter();
  const [step, setStep] = useState<TStep>({ kind: 'idle' });
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function attempt<T>(call: () => Promise<{ data: T | null; error: unknown }>): Promise<T | null> {
    setPending(true);
    setError(null);
    try {
      const result = await call();
      if (result.error || !result.data) {
        setError(
          authErrorMessage((result.error ?? {}) as { code?: string; status?: number; message?: string }),
        );
        return null;
      }
      return result.data;
    } catch {
      setError('We could not reach the server. Check your connection and try again.');
      return null;
    } finally {
      setPending(false);
    }
  }

  async function onPassword(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (step.kind !== 'password' || pending) return;
    const password = String(new FormData(event.currentTarget).get('password') ?? '');
    if (step.action === 'enable') {
      // The QR code library (about 10 KB gzipped) loads only here, while the server answers, not with the page.
      const qrcode = import('qrcode');
      const data = await attempt(() => authClient.twoFactor.enable({ password }));
      if (!data || !('totpURI' in data) || !data.totpURI) return;
      const qr = await (await qrcode).toDataURL(data.totpURI, { margin: 1, width: 200 });
      const secret = new URL(data.totpURI).searchParams.get('secret') ?? '';
      setStep({ kind: 'scan', qr, secret, backupCodes: data.backupCodes ?? [] });
      return;
    }
    if (step.action === 'regenerate') {
      const data = await attempt(() => authClient.twoFactor.generateBackupCodes({ password }));
      if (data) setStep({ kind: 'codes', backupCodes: data.backupCodes });
      return;
    }
    if (await attempt(() => authClient.twoFactor.disable({ password }))) {
      setStep({ kind: 'idle' });
      router.refresh();
    }
  }

  async function onConfirm(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (step.kind !== 'scan' || pending) return;
    const code = String(new FormData(event.currentTarget).get('code') ?? '').replace(/\s/g, '');
    if (await attempt(() => authClient.twoFactor.verifyTotp({ code }))) {
      setStep({ kind: 'codes', backupCodes: step.backupCodes });
    }
  }

  if (step.kind === 'password') {
    const prompt = PASSWORD_PROMPT[step.action];
    return (
      <form onSubmit={onPassword} className="max-w-sm space-y-4" aria-label={prompt.label}>
        <label className="block">
          <span className="mb-1 block text-sm font-medium text-slate-700">Confirm your password</span>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            maxLength={128}
            className={input}
          />
        </label>
        <FormMessages error={error} />
        <SubmitButton pending={pending}>{prompt.submit}</SubmitButton>
        <CancelButton onClick={() => setStep({ kind: 'idle' })} />
      </form>
    );
  }

  if (step.kind === 'scan') {
    return (
      <form onSubmit={onConfirm} className="max-w-sm space-y-4" aria-label="Confirm your authenticator app">
        <p className="text-sm text-slate-600">
          Scan this QR code with your authenticator app (Google Authenticator, 1Password, Authy…), or type the
          secret key in by hand. Then enter the 6-digit code the app shows.
        </p>
        {/* biome-ignore lint/performance/noImgElement: a data: URL made in the browser, nothing to optimize */}
        <img src={step.qr} alt="QR code for your authenticator app" width={200} height={200} />
        <p className="text-sm">
          Secret key:{' '}
          <code data-testid="totp-secret" className="break-all rounded bg-slate-100 px-1.5 py-0.5 font-mono">
            {step.secret}
          </code>
        </p>
        <label className="block">
          <span className="mb-1 block text-sm font-medium text-slate-700">Code from the app</span>
          <input
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9 ]{6,7}"
            required
            maxLength={7}
            className={input}
          />
        </label>
        <FormMessages error={error} />
        <SubmitButton pending={pending}>Turn on</SubmitButton>
        <CancelButton onClick={() => setStep({ kind: 'idle' })} />
      </form>
    );
  }

  if (step.kind === 'codes') {
    return (
      <div className="max-w-md space-y-4">
        <p
          role="status"
          className="rounded-md border border-brand-100 bg-brand-50 px-3 py-2 text-sm text-slate-700"
        >
          Two-factor authentication is on. Save these backup codes somewhere safe: each one signs you in once
          if you lose your phone. They are shown only now.
        </p>
        <BackupCodes codes={step.backupCodes} />
        <button
          type="button"
          onClick={() => {
            setStep({ kind: 'idle' });
            router.refresh();
          }}
          className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700"
        >
          I saved my backup codes
        </button>
      </div>
    );
  }

  return (
    <div className="space-y-3">
      <p className="text-sm">
        Status: <strong data-testid="two-factor-status">{enabled ? 'On' : 'Off'}</strong>
      </p>
      <div className="flex flex-wrap gap-3">
        {enabled ? (
          <>
            <ActionButton onClick={() => setStep({ kind: 'password', action: 'regenerate' })}>
              Make new backup codes
            </ActionButton>
            <ActionButton onClick={() => setStep({ kind: 'password', action: 'disable' })}>
              Turn off two-factor authentication
            </ActionButton>
          </>
        ) : (
          <ActionButton onClick={() => setStep({ kind: 'password', action: 'enable' })}>
            Turn on two-factor authentication
          </ActionButton>
        )}
      </div>
    </div>
  );
}

function ActionButton({ onClick, children }: { onClick: () => void; children: string }) {
  return (
    <button
      type="button"
      onClick={onClick}
      className="rounded-md border border-slate-300 px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-100"
    >
      {children}
    </button>
  );
}

function CancelButton({ onClick }: { onClick: () => void }) {
  return (
    <button type="button" onClick={onClick} className="w-full text-sm text-slate-600 hover:underline">
      Cancel
    </button>
  );
}
