'use client';

import { fetchJson, useAction } from '@omg/platform/client';
import { useRouter } from 'next/navigation';
import { lazy, Suspense, useEffect, useState } from 'react';
import type { TDocumentView } from '@/lib/documents/document-view';
import type { TVaultView } from '@/lib/documents/list-vaults';
import { formatBytes } from '@/lib/format-bytes';
import { mayEditDocument, type TSpaceCapabilities } from '@/lib/spaces/space-capabilities';
import { ConfirmDialog } from './confirm-dialog';
import { DocumentName } from './document-name';
import { SelectCheckbox, useDocumentSelection } from './document-selection';
import { DOCUMENT_DRAG_TYPE } from './folder-browser';
import { IndexBadge } from './index-badge';
import { ShareButton } from './share-button';
import { VersionsButton } from './versions-button';

// The bulk actions' bar is loaded with the first ticked box (issue 13's JavaScript budget for /vault).
const BulkBar = lazy(() => import('./bulk-bar').then((module) => ({ default: module.BulkBar })));

const dateFormat = new Intl.DateTimeFormat('en-US', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
});

/** The document list with download, rename, move and delete; all of them work on every plan and state. */
export function DocumentsTable({
  documents,
  vaults,
  searching,
  may,
  emptyMessage,
  folderPaths,
}: {
  documents: TDocumentView[];
  vaults: TVaultView[];
  searching: boolean;
  /** What this user may do (issue 15): rename, move and delete only where the API allows it (members: their own). */
  may?: TSpaceCapabilities;
  /** What an empty list says (a folder's own words, issue 16); null = nothing (the folder has subfolders). */
  emptyMessage?: string | null;
  /** Search hits' folder paths by folder id, shown under the name. */
  folderPaths?: Record<string, string>;
}) {
  const router = useRouter();
  const [renaming, setRenaming] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<TDocumentView | null>(null);
  const selection = useDocumentSelection(documents);
  // Mounted from the first selection on and kept, so its note and dialog live on as when it was always there.
  const [bulkUsed, setBulkUsed] = useState(false);
  if (selection.selected.length > 0 && !bulkUsed) setBulkUsed(true);
  const { pending, error, run: runAction } = useAction();
  useRefreshWhileIndexing(documents.some((doc) => doc.indexStatus === 'pending'));

  /** Runs a change and, once it worked, re-reads the page's list. */
  async function run(action: () => Promise<unknown>) {
    const done = await runAction(action);
    if (done) router.refresh();
    return done;
  }

  if (documents.length === 0) {
    if (emptyMessage === null) return null;
    return (
      <div
        className="rounded-2xl border border-dashed border-slate-300 bg-white p-12 text-center text-slate-600"
        data-testid="empty-state"
      >
        {searching
          ? 'No documents match your search.'
          : (emptyMessage ?? 'This vault is empty. Upload your first document above.')}
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
      {/* A table from xl up; below that each document is a stacked card, so no action hides behind a
          sideways scroll (a phone, or the narrow column beside the vault list). */}
      {bulkUsed && (
        <Suspense fallback={null}>
          <BulkBar selected={selection.selected} vaults={vaults} onDone={selection.clear} />
        </Suspense>
      )}
      <div className="rounded-2xl border border-slate-200 bg-white">
        <table className="block w-full text-left text-sm xl:table xl:table-fixed">
          <thead className="hidden border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500 xl:table-header-group">
            <tr>
              <th className="px-4 py-3">Name</th>
              <th className="w-24 px-4 py-3">Size</th>
              <th className="w-44 px-4 py-3">Uploaded</th>
              <th className="w-32 px-4 py-3">Search</th>
              <th className="w-56 px-4 py-3 text-right">Actions</th>
            </tr>
          </thead>
          <tbody className="block divide-y divide-slate-100 xl:table-row-group">
            {documents.map((doc) => (
              <tr
                key={doc.id}
                data-testid="document-row"
                // Dragged onto a folder or a breadcrumb (folder-browser.tsx), it moves there.
                draggable={renaming !== doc.id}
                onDragStart={(event) => {
                  event.dataTransfer.setData(DOCUMENT_DRAG_TYPE, doc.id);
                  event.dataTransfer.effectAllowed = 'move';
                }}
                className="flex flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3 xl:table-row xl:p-0"
              >
                <td className="block w-full min-w-0 xl:table-cell xl:w-auto xl:px-4 xl:py-3">
                  {renaming === doc.id ? (
                    <form
                      className="flex flex-wrap gap-2"
                      onSubmit={async (event) => {
                        event.preventDefault();
                        const name = String(new FormData(event.currentTarget).get('name') ?? '');
                        if (
                          await run(() =>
                            fetchJson(`/api/documents/${doc.id}`, { method: 'PATCH', body: { name } }),
                          )
                        )
                          setRenaming(null);
                      }}
                    >
                      <input
                        name="name"
                        defaultValue={doc.name}
                        aria-label="New name"
                        className="min-w-0 flex-1 basis-40 rounded border border-slate-300 px-2 py-1"
                      />
                      <button
                        type="submit"
                        disabled={pending}
                        className="rounded bg-vault-600 px-2 py-1 text-white"
                      >
                        Save
                      </button>
                      <button
                        type="button"
                        onClick={() => setRenaming(null)}
                        className="rounded border px-2 py-1"
                      >
                        Cancel
                      </button>
                    </form>
                  ) : (
                    <span className="flex min-w-0 items-center gap-2">
                      <SelectCheckbox doc={doc} selection={selection} />
                      <DocumentName doc={doc} documents={documents} />
                    </span>
                  )}
                  {folderPaths && doc.folderId && folderPaths[doc.folderId] && (
                    <span
                      className="mt-0.5 block truncate text-xs text-slate-500"
                      data-testid="document-folder-path"
                    >
                      in {folderPaths[doc.folderId]}
                    </span>
                  )}
                </td>
                <td className="block whitespace-nowrap text-slate-600 xl:table-cell xl:px-4 xl:py-3">
                  {formatBytes(doc.sizeBytes)}
                </td>
                <td className="block whitespace-nowrap text-slate-600 xl:table-cell xl:px-4 xl:py-3">
                  {dateFormat.format(new Date(doc.createdAt))}
                </td>
                <td className="block xl:table-cell xl:px-4 xl:py-3">
                  <IndexBadge doc={doc} />
                </td>
                <td className="block w-full xl:table-cell xl:w-auto xl:px-4 xl:py-3">
                  <div className="flex flex-wrap items-center gap-x-3 gap-y-2 xl:justify-end">
                    <a href={`/api/documents/${doc.id}/download`} className="text-vault-700 hover:underline">
                      Download
                    </a>
                    <ShareButton documentId={doc.id} name={doc.name} />
                    <VersionsButton document={doc} />
                    {(!may || mayEditDocument(may, doc)) && (
                      <>
                        <button
                          type="button"
                          onClick={() => setRenaming(doc.id)}
                          className="text-slate-600 hover:underline"
                        >
                          Rename
                        </button>
                        {vaults.length > 1 && (
                          <select
                            aria-label={`Move ${doc.name}`}
                            className="max-w-full rounded border border-slate-300 px-1 py-0.5 text-slate-600"
                            value=""
                            onChange={(event) => {
                              const vaultId = event.target.value;
                              if (vaultId)
                                void run(() =>
                                  fetchJson(`/api/documents/${doc.id}`, {
                                    method: 'PATCH',
                                    body: { vaultId },
                                  }),
                                );
                            }}
                          >
                            <option value="">Move to…</option>
                            {vaults
                              .filter((v) => v.id !== doc.vaultId)
                              .map((v) => (
                                <option key={v.id} value={v.id}>
                                  {v.name}
                                </option>
                              ))}
                          </select>
                        )}
                        <button
                          type="button"
                          onClick={() => setDeleting(doc)}
                          className="text-rose-700 hover:underline"
                        >
                          Delete
                        </button>
                      </>
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {deleting && (
        <ConfirmDialog
          title="Delete this document?"
          confirmLabel="Delete document"
          pending={pending}
          onCancel={() => setDeleting(null)}
          onConfirm={async () => {
            if (await run(() => fetchJson(`/api/documents/${deleting.id}`, { method: 'DELETE' })))
              setDeleting(null);
          }}
        >
          “{deleting.name}” goes to the trash: you can restore it from there for 30 days. It still counts
          against your storage until the trash is emptied.
        </ConfirmDialog>
      )}
    </div>
  );
}

/**
 * While a document is being indexed (by a worker, after the upload answered), re-reads the page now and then so
 * its badge, the search and the units meter catch up: 1 s, then a little longer each time up to 5 s, never while
 * the tab is hidden, and not at all once nothing is pending.
 */
function useRefreshWhileIndexing(indexing: boolean) {
  const router = useRouter();
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (!indexing) {
      setRound(0);
      return;
    }
    const timer = setTimeout(
      () => {
        if (document.visibilityState === 'visible') router.refresh();
        setRound((n) => n + 1);
      },
      Math.min(5_000, 1_000 + round * 500),
    );
    return () => clearTimeout(timer);
  }, [indexing, round, router]);
}
