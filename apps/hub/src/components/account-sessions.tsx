'use client';

import { fetchJson, useAction } from '@omg/platform/client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { TAccountSession } from '@/lib/account/list-account-sessions';
import { authClient } from '@/lib/auth/client';

const when = (iso: string) =>
  new Date(iso).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) +
  ' UTC';

const quiet =
  'rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-100 disabled:opacity-60';
const danger =
  'rounded-md bg-amber-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-amber-700 disabled:opacity-60';

/** Asks once more before an action that signs a device out; the action's error shows beside it. */
function ConfirmingButton(props: {
  label: string;
  question: string;
  confirmLabel: string;
  pendingLabel: string;
  onConfirm: () => Promise<void>;
  leavesPage?: boolean;
}) {
  const [confirming, setConfirming] = useState(false);
  const action = useAction({ leavesPage: props.leavesPage });
  async function confirm() {
    if (!(await action.run(props.onConfirm))) return;
    setConfirming(false);
  }
  return (
    <div>
      {confirming ? (
        <div className="rounded-xl border border-amber-200 bg-amber-50 p-3 text-sm">
          <p className="text-amber-900">{props.question}</p>
          <div className="mt-2 flex flex-wrap gap-2">
            <button type="button" disabled={action.pending} onClick={confirm} className={danger}>
              {action.pending ? props.pendingLabel : props.confirmLabel}
            </button>
            <button
              type="button"
              disabled={action.pending}
              onClick={() => setConfirming(false)}
              className={quiet}
            >
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <button type="button" onClick={() => setConfirming(true)} className={quiet}>
          {props.label}
        </button>
      )}
      {action.error && (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {action.error}
        </p>
      )}
    </div>
  );
}

/**
 * The Account page's signed-in devices. SVD's sessions are not separate rows: each one was launched from a Hub
 * session and lives only while it does, so signing a device out here signs it out of SecureVault Docs too.
 */
export function AccountSessions({ sessions }: { sessions: TAccountSession[] }) {
  const router = useRouter();
  const others = sessions.filter((s) => !s.current);

  async function endOne(id: string) {
    await fetchJson(`/api/account/sessions/${encodeURIComponent(id)}`, {
      method: 'DELETE',
      fallback: 'We could not sign that device out. Please try again.',
    });
    router.refresh();
  }

  return (
    <div className="space-y-4">
      <ul
        className="divide-y divide-slate-200 rounded-2xl border border-slate-200 bg-white"
        aria-label="Signed-in devices"
      >
        {sessions.map((s) => (
          <li
            key={s.id}
            className="flex flex-wrap items-start justify-between gap-3 px-6 py-4 text-sm"
            aria-label={s.device}
          >
            <div className="space-y-0.5">
              <p className="font-medium">
                {s.device}
                {s.current && (
                  <span className="ml-2 rounded-full bg-brand-50 px-2 py-0.5 text-xs font-medium text-brand-700">
                    This device
                  </span>
                )}
              </p>
              <p className="text-slate-500">
                Signed in {when(s.createdAt)} · last active {when(s.lastSeenAt)}
                {s.ipAddress ? ` · IP ${s.ipAddress}` : ''}
              </p>
              <p className="text-slate-500">SecureVault Docs sessions opened from this device end with it.</p>
            </div>
            {s.current ? (
              <ConfirmingButton
                label="Sign out this device"
                question="Sign this device out of OMG and SecureVault Docs?"
                confirmLabel="Yes, sign out"
                pendingLabel="Signing out…"
                leavesPage
                onConfirm={async () => {
                  const result = await authClient.signOut();
                  if (result.error) throw new Error('We could not sign you out. Please try again.');
                  window.location.assign('/login');
                }}
              />
            ) : (
              <ConfirmingButton
                label="Sign out"
                question={`Sign ${s.device} out of OMG and SecureVault Docs?`}
                confirmLabel="Yes, sign it out"
                pendingLabel="Signing out…"
                onConfirm={() => endOne(s.id)}
              />
            )}
          </li>
        ))}
      </ul>
      {others.length > 0 && (
        <ConfirmingButton
          label="Sign out everywhere else"
          question={`Sign out the other ${others.length === 1 ? 'device' : `${others.length} devices`} from OMG and SecureVault Docs? This device stays signed in.`}
          confirmLabel="Yes, sign out the others"
          pendingLabel="Signing out…"
          onConfirm={async () => {
            await fetchJson('/api/account/sessions/others', {
              method: 'DELETE',
              fallback: 'We could not sign out your other devices. Please try again.',
            });
            router.refresh();
          }}
        />
      )}
    </div>
  );
}
