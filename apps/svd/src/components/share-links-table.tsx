'use client';

import { fetchJson, useAction } from '@omg/platform/client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { formatBytes } from '@/lib/format-bytes';
import type { TShareLinkUseView } from '@/lib/shares/list-share-link-uses';
import type { TShareLinkStatus, TShareLinkView } from '@/lib/shares/share-link-view';
import { ConfirmDialog } from './confirm-dialog';

const dateFormat = new Intl.DateTimeFormat('en-US', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
});

const STATUS_LABELS: Record<TShareLinkStatus, string> = {
  active: 'Active',
  expired: 'Expired',
  revoked: 'Revoked',
  exhausted: 'Download limit reached',
  in_trash: 'In the trash',
};

const OUTCOME_LABELS: Record<string, string> = {
  downloaded: 'Downloaded',
  wrong_password: 'Wrong password',
  expired: 'Refused: expired',
  revoked: 'Refused: revoked',
  exhausted: 'Refused: limit reached',
  unavailable: 'Refused: document in the trash',
};

/** The space's links with status, uses and Revoke (confirmed first). */
export function ShareLinksTable({ links, showCreator }: { links: TShareLinkView[]; showCreator: boolean }) {
  const router = useRouter();
  const [revoking, setRevoking] = useState<TShareLinkView | null>(null);
  const { pending, error, run } = useAction();

  if (links.length === 0) {
    return (
      <div className="rounded-2xl border border-dashed border-slate-300 bg-white p-12 text-center text-slate-600">
        No shared links yet. Use “Share” on a document to make one.
      </div>
    );
  }
  return (
    <div>
      {error && (
        <p
          role="alert"
          className="mb-3 rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-700"
        >
          {error}
        </p>
      )}
      <div className="overflow-x-auto rounded-2xl border border-slate-200 bg-white">
        <table className="w-full text-left text-sm" data-testid="share-links">
          <thead className="border-b border-slate-200 text-slate-500">
            <tr>
              <th className="px-4 py-3 font-medium">Shared</th>
              {showCreator && <th className="px-4 py-3 font-medium">By</th>}
              <th className="px-4 py-3 font-medium">Expires (UTC)</th>
              <th className="px-4 py-3 font-medium">Downloads</th>
              <th className="px-4 py-3 font-medium">Status</th>
              <th className="px-4 py-3 font-medium">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {links.map((link) => (
              <LinkRow
                key={link.id}
                link={link}
                showCreator={showCreator}
                onRevoke={() => setRevoking(link)}
              />
            ))}
          </tbody>
        </table>
      </div>
      {revoking && (
        <ConfirmDialog
          title="Revoke this link?"
          confirmLabel="Revoke link"
          pending={pending}
          onCancel={() => setRevoking(null)}
          onConfirm={async () => {
            if (await run(() => fetchJson(`/api/shares/${revoking.id}`, { method: 'DELETE' }))) {
              setRevoking(null);
              router.refresh();
            }
          }}
        >
          The link to “{revoking.targetName}” stops working at once, for everyone who has it. This cannot be
          undone; you can share the document again with a new link.
        </ConfirmDialog>
      )}
    </div>
  );
}

function LinkRow({
  link,
  showCreator,
  onRevoke,
}: {
  link: TShareLinkView;
  showCreator: boolean;
  onRevoke: () => void;
}) {
  const [uses, setUses] = useState<TShareLinkUseView[] | null>(null);
  const { pending, error, run } = useAction();
  const columns = showCreator ? 6 : 5;
  return (
    <>
      <tr className="border-b border-slate-100 align-top" data-testid="share-link-row">
        <td className="px-4 py-3">
          <div className="font-medium text-slate-900">
            {link.kind === 'folder' ? 'Folder: ' : ''}
            {link.targetName}
          </div>
          <div className="text-slate-500">
            {link.sizeBytes !== null && `${formatBytes(link.sizeBytes)} · `}
            {link.hasPassword ? 'Password' : 'No password'} · created{' '}
            {dateFormat.format(new Date(link.createdAt))}
          </div>
        </td>
        {showCreator && <td className="px-4 py-3 text-slate-600">{link.createdByEmail ?? '—'}</td>}
        <td className="whitespace-nowrap px-4 py-3 text-slate-600">
          {dateFormat.format(new Date(link.expiresAt))}
        </td>
        <td className="whitespace-nowrap px-4 py-3" data-testid="share-link-uses">
          {link.downloadCount}
          {link.downloadLimit !== null ? ` of ${link.downloadLimit}` : ''}
        </td>
        <td className="whitespace-nowrap px-4 py-3" data-testid="share-link-status">
          {STATUS_LABELS[link.status]}
        </td>
        <td className="whitespace-nowrap px-4 py-3 text-right">
          <div className="flex justify-end gap-3">
            <button
              type="button"
              disabled={pending}
              onClick={() =>
                uses
                  ? setUses(null)
                  : void run(async () => {
                      const answer = await fetchJson<{ uses: TShareLinkUseView[] }>(
                        `/api/shares/${link.id}/uses`,
                      );
                      setUses(answer.uses);
                    })
              }
              className="text-slate-600 hover:underline"
            >
              {uses ? 'Hide uses' : 'Uses'}
            </button>
            {!link.revokedAt && (
              <button type="button" onClick={onRevoke} className="text-rose-700 hover:underline">
                Revoke
              </button>
            )}
          </div>
        </td>
      </tr>
      {(uses || error) && (
        <tr className="border-b border-slate-100 bg-slate-50">
          <td colSpan={columns} className="px-4 py-3">
            {error && (
              <p role="alert" className="text-rose-700">
                {error}
              </p>
            )}
            {uses && uses.length === 0 && <p className="text-slate-600">Not used yet.</p>}
            {uses && uses.length > 0 && (
              <ul className="space-y-1 text-slate-600" data-testid="share-link-use-log">
                {uses.map((use) => (
                  <li key={`${use.at}-${use.outcome}-${use.ipAddress}`}>
                    {dateFormat.format(new Date(use.at))} UTC · {use.ipAddress ?? 'unknown address'} ·{' '}
                    {OUTCOME_LABELS[use.outcome] ?? use.outcome}
                  </li>
                ))}
              </ul>
            )}
          </td>
        </tr>
      )}
    </>
  );
}
