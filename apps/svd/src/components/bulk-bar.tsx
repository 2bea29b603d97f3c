'use client';

import { fetchJson, useAction } from '@omg/platform/client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { TDocumentView } from '@/lib/documents/document-view';
import type { TVaultView } from '@/lib/documents/list-vaults';
import { ConfirmDialog } from './confirm-dialog';

/** A place the selection can move to: a folder (with its vault), or a vault's root (folderId null). */
export interface TMoveTarget {
  label: string;
  vaultId: string;
  folderId: string | null;
}

interface TBulkResult {
  failed: { id: string; message: string }[];
}

/**
 * What to do with the selected documents (issue 16 §6): download them as one ZIP, move them, delete them to
 * the trash. The ZIP is a plain form post, so the browser saves the streamed archive to disk as it arrives
 * (never in page memory) and it works in read-only mode; move and delete follow the same rules as for one
 * document, and the server refuses the whole request if any selected document is not the user's to change.
 */
export function BulkBar(props: {
  selected: TDocumentView[];
  vaults: TVaultView[];
  /** Folders to offer as targets besides every vault's root (e.g. the subfolders of where the user is). */
  folders?: TMoveTarget[];
  onDone: () => void;
}) {
  const router = useRouter();
  const { pending, error, run } = useAction();
  const [confirming, setConfirming] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const count = props.selected.length;
  if (count === 0) return null;
  const ids = props.selected.map((doc) => doc.id);
  const targets: TMoveTarget[] = [
    ...props.vaults.map((vault) => ({
      label: `${vault.name} (top level)`,
      vaultId: vault.id,
      folderId: null,
    })),
    ...(props.folders ?? []),
  ];

  async function act(path: string, body: Record<string, unknown>) {
    let failed = 0;
    const done = await run(async () => {
      const result = await fetchJson<TBulkResult>(path, { method: 'POST', body: { ids, ...body } });
      failed = result.failed.length;
      setNote(
        failed ? `${failed} of ${count} could not be changed: ${result.failed[0]?.message ?? ''}` : null,
      );
    });
    if (done) router.refresh();
    // A partial failure keeps the selection (and its note) so the user sees what is left.
    if (done && failed === 0) props.onDone();
    return done;
  }

  return (
    <section
      aria-label="Selected documents"
      data-testid="bulk-bar"
      className="mb-3 flex flex-wrap items-center gap-3 rounded-xl border border-emerald-200 bg-vault-50 px-4 py-2 text-sm"
    >
      <span className="font-medium">{count} selected</span>
      <form method="post" action="/api/documents/bulk/download" className="contents">
        {ids.map((id) => (
          <input key={id} type="hidden" name="ids" value={id} />
        ))}
        <button
          type="submit"
          className="rounded-md bg-vault-600 px-3 py-1 font-medium text-white hover:bg-vault-700"
        >
          Download ZIP
        </button>
      </form>
      <select
        aria-label="Move selected documents to"
        className="max-w-full rounded border border-slate-300 bg-white px-1 py-1 text-slate-700"
        value=""
        disabled={pending}
        onChange={(event) => {
          const target = targets[Number(event.target.value)];
          if (target)
            void act('/api/documents/bulk/move', { folderId: target.folderId, vaultId: target.vaultId });
        }}
      >
        <option value="">Move to…</option>
        {targets.map((target, index) => (
          <option key={`${target.vaultId}:${target.folderId ?? ''}`} value={index}>
            {target.label}
          </option>
        ))}
      </select>
      <button
        type="button"
        disabled={pending}
        onClick={() => setConfirming(true)}
        className="text-rose-700 hover:underline disabled:opacity-60"
      >
        Delete
      </button>
      <button type="button" onClick={props.onDone} className="text-slate-600 hover:underline">
        Clear selection
      </button>
      {(error || note) && (
        <p role="alert" className="w-full text-rose-700">
          {error ?? note}
        </p>
      )}
      {confirming && (
        <ConfirmDialog
          title={`Delete ${count} ${count === 1 ? 'document' : 'documents'}?`}
          confirmLabel="Move to trash"
          pending={pending}
          onCancel={() => setConfirming(false)}
          onConfirm={async () => {
            if (await act('/api/documents/bulk/delete', {})) setConfirming(false);
          }}
        >
          They go to the trash, where they can be restored for 30 days.
        </ConfirmDialog>
      )}
    </section>
  );
}
