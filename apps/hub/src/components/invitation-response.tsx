'use client';

import { fetchJson, useAction } from '@omg/platform/client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';

/** /invitations/[id]: Accept (joins, makes the account active, opens it) or Decline. */
export function InvitationResponse({
  invitationId,
  organizationName,
}: {
  invitationId: string;
  organizationName: string;
}) {
  const router = useRouter();
  const accept = useAction({ leavesPage: true });
  const decline = useAction();
  const [declined, setDeclined] = useState(false);
  const path = `/api/invitations/${encodeURIComponent(invitationId)}`;

  async function onAccept() {
    let slug: string | null = null;
    const done = await accept.run(async () => {
      ({ slug } = await fetchJson<{ slug: string | null }>(`${path}/accept`, {
        method: 'POST',
        fallback: 'The invitation could not be accepted.',
      }));
    });
    if (done) {
      router.push(slug ? `/organizations/${encodeURIComponent(slug)}` : '/organizations');
      router.refresh();
    }
  }

  async function onDecline() {
    const done = await decline.run(() =>
      fetchJson(`${path}/decline`, { method: 'POST', fallback: 'The invitation could not be declined.' }),
    );
    if (done) setDeclined(true);
  }

  if (declined) {
    return (
      <p role="status" className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-sm">
        You declined the invitation to {organizationName}.
      </p>
    );
  }
  const busy = accept.pending || decline.pending;
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap gap-3">
        <button
          type="button"
          disabled={busy}
          onClick={onAccept}
          className="rounded-md bg-brand-600 px-4 py-2.5 font-medium text-white hover:bg-brand-700 disabled:opacity-60"
        >
          {accept.pending ? 'Please wait…' : `Join ${organizationName}`}
        </button>
        <button
          type="button"
          disabled={busy}
          onClick={onDecline}
          className="rounded-md border border-slate-300 bg-white px-4 py-2.5 text-slate-700 hover:bg-slate-100 disabled:opacity-60"
        >
          {decline.pending ? 'Please wait…' : 'Decline'}
        </button>
      </div>
      {(accept.error || decline.error) && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
          {accept.error ?? decline.error}
        </p>
      )}
    </div>
  );
}
