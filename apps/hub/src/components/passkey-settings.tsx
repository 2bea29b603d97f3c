'use client';

import { useAction } from '@omg/platform/client';
import { browserSupportsWebAuthn, startRegistration } from '@simplewebauthn/browser';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { ceremonyErrorMessage, PASSKEYS_UNSUPPORTED, passkeyCall } from '@/lib/auth/passkeys/passkey-client';
import { FormMessages, SubmitButton } from './form-parts';

export interface TPasskeyRow {
  id: string;
  name: string;
  /** Already in words (the server's, so the page does not change when it hydrates). */
  added: string;
  lastUsed: string;
}

const input =
  'block w-full rounded-md border border-slate-300 bg-white px-3 py-2 shadow-sm outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-100';
const quiet =
  'rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-100 disabled:opacity-60';
const danger =
  'rounded-md bg-amber-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-amber-700 disabled:opacity-60';

/**
 * The Account page's passkeys: add one (the password, then the browser's own passkey prompt), and for each one
 * its name, when it was added and last used, Rename, and Remove (asked once more).
 */
export function PasskeySettings({ passkeys }: { passkeys: TPasskeyRow[] }) {
  const router = useRouter();
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const add = useAction();

  async function onAdd(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get('password') ?? '');
    const name = String(form.get('name') ?? '').trim();
    setNotice(null);
    const done = await add.run(async () => {
      if (!browserSupportsWebAuthn()) throw new Error(PASSKEYS_UNSUPPORTED);
      const optionsJSON = await passkeyCall<Parameters<typeof startRegistration>[0]['optionsJSON']>(
        'register-options',
        { password },
      );
      let response: Awaited<ReturnType<typeof startRegistration>>;
      try {
        response = await startRegistration({ optionsJSON });
      } catch (error) {
        throw new Error(ceremonyErrorMessage(error, 'register'));
      }
      const added = await passkeyCall<{ name: string }>('register', name ? { response, name } : { response });
      setNotice(`Passkey “${added.name}” added. You can now sign in with it.`);
    });
    if (done) {
      setAdding(false);
      router.refresh();
    }
  }

  return (
    <div className="space-y-4">
      {passkeys.length > 0 ? (
        <ul
          aria-label="Your passkeys"
          className="divide-y divide-slate-200 rounded-2xl border border-slate-200 bg-white"
        >
          {passkeys.map((passkey) => (
            <PasskeyItem key={passkey.id} passkey={passkey} onChanged={() => router.refresh()} />
          ))}
        </ul>
      ) : (
        <p className="text-sm text-slate-600" data-testid="no-passkeys">
          No passkeys yet.
        </p>
      )}
      <FormMessages notice={notice} />
      {adding ? (
        <form onSubmit={onAdd} className="max-w-sm space-y-4" aria-label="Add a passkey">
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
          <label className="block">
            <span className="mb-1 block text-sm font-medium text-slate-700">Name (optional)</span>
            <input name="name" type="text" maxLength={60} placeholder="e.g. Work laptop" className={input} />
          </label>
          <FormMessages error={add.error} />
          <SubmitButton pending={add.pending}>Continue</SubmitButton>
          <button
            type="button"
            onClick={() => {
              setAdding(false);
              add.setError(null);
            }}
            className="w-full text-sm text-slate-600 hover:underline"
          >
            Cancel
          </button>
        </form>
      ) : (
        <button
          type="button"
          onClick={() => {
            setAdding(true);
            setNotice(null);
          }}
          className={quiet}
        >
          Add a passkey
        </button>
      )}
    </div>
  );
}

function PasskeyItem({ passkey, onChanged }: { passkey: TPasskeyRow; onChanged: () => void }) {
  const [mode, setMode] = useState<'view' | 'rename' | 'remove'>('view');
  const action = useAction();

  async function onRename(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get('name') ?? '').trim();
    const done = await action.run(() => passkeyCall('rename', { id: passkey.id, name }));
    if (done) {
      setMode('view');
      onChanged();
    }
  }

  async function onRemove() {
    if (await action.run(() => passkeyCall('remove', { id: passkey.id }))) onChanged();
  }

  return (
    <li aria-label={passkey.name} className="space-y-2 px-6 py-4 text-sm">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="space-y-0.5">
          <p className="font-medium">{passkey.name}</p>
          <p className="text-slate-500">
            Added {passkey.added} · last used {passkey.lastUsed}
          </p>
        </div>
        {mode === 'view' && (
          <div className="flex flex-wrap gap-2">
            <button type="button" onClick={() => setMode('rename')} className={quiet}>
              Rename
            </button>
            <button type="button" onClick={() => setMode('remove')} className={quiet}>
              Remove
            </button>
          </div>
        )}
      </div>
      {mode === 'rename' && (
        <form
          onSubmit={onRename}
          className="flex flex-wrap items-end gap-2"
          aria-label={`Rename ${passkey.name}`}
        >
          <label className="block grow">
            <span className="mb-1 block text-sm font-medium text-slate-700">Passkey name</span>
            <input name="name" defaultValue={passkey.name} required maxLength={60} className={input} />
          </label>
          <button type="submit" disabled={action.pending} className={quiet}>
            {action.pending ? 'Saving…' : 'Save'}
          </button>
          <button type="button" onClick={() => setMode('view')} className={quiet}>
            Cancel
          </button>
        </form>
      )}
      {mode === 'remove' && (
        <div className="rounded-xl border border-amber-200 bg-amber-50 p-3">
          <p className="text-amber-900">
            Remove “{passkey.name}”? You can no longer sign in with it; sessions it opened stay signed in.
          </p>
          <div className="mt-2 flex flex-wrap gap-2">
            <button type="button" disabled={action.pending} onClick={onRemove} className={danger}>
              {action.pending ? 'Removing…' : 'Yes, remove it'}
            </button>
            <button type="button" disabled={action.pending} onClick={() => setMode('view')} className={quiet}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {action.error && (
        <p role="alert" className="text-red-700">
          {action.error}
        </p>
      )}
    </li>
  );
}
