'use client';

import { fetchJson, useAction } from '@omg/platform/client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { formatBytes } from '@/lib/format-bytes';
import type { TTrashItem } from '@/lib/trash/list-trash';
import { ConfirmDialog } from './confirm-dialog';

const dateFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' });

const itemPath = (item: TTrashItem) =>
  `/api/trash/${item.kind === 'document' ? 'documents' : 'folders'}/${item.id}`;

/** The trash's items with Restore and Delete for good, and Empty trash; each deletion asks first. */
export function TrashList({ items, canEmpty }: { items: TTrashItem[]; canEmpty: boolean }) {
  const router = useRouter();
  const { pending, error, run: runAction } = useAction();
  const [notice, setNotice] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<TTrashItem | null>(null);
  const [emptying, setEmptying] = useState(false);

  async function run(action: () => Promise<unknown>) {
    const done = await runAction(action);
    if (done) router.refresh();
    return done;
  }

  return (
    <div className="space-y-3">
      {notice && (
        <p
          role="status"
          className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800"
        >
          {notice}
        </p>
      )}
      {error && (
        <p
          role="alert"
          className="rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-700"
        >
          {error}
        </p>
      )}
      {items.length === 0 ? (
        <div
          className="rounded-2xl border border-dashed border-slate-300 bg-white p-12 text-center text-slate-600"
          data-testid="trash-empty"
        >
          The trash is empty.
        </div>
      ) : (
        <>
          {canEmpty && (
            <div className="flex justify-end">
              <button
                type="button"
                onClick={() => setEmptying(true)}
                className="rounded-md border border-rose-300 bg-white px-3 py-1.5 text-sm text-rose-700"
              >
                Empty trash
              </button>
            </div>
          )}
          <ul className="divide-y divide-slate-100 rounded-2xl border border-slate-200 bg-white">
            {items.map((item) => (
              <li
                key={`${item.kind}:${item.id}`}
                data-testid="trash-row"
                className="flex flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3 text-sm"
              >
                <div className="min-w-0 flex-1">
                  <span className="block truncate font-medium" title={item.name} data-testid="trash-name">
                    {item.kind === 'folder' ? '📁 ' : ''}
                    {item.name}
                  </span>
                  <span className="block text-xs text-slate-500">
                    {item.kind === 'folder' ? 'Folder with its contents' : 'Document'} in {item.vaultName} ·{' '}
                    {formatBytes(item.sizeBytes)} · deleted {dateFormat.format(new Date(item.trashedAt))} ·{' '}
                    <span data-testid="trash-expires">
                      goes for good {dateFormat.format(new Date(item.expiresAt))}
                    </span>
                  </span>
                </div>
                {item.editable && (
                  <div className="flex gap-3">
                    <button
                      type="button"
                      disabled={pending}
                      onClick={async () => {
                        setNotice(null);
                        let message = '';
                        const done = await runAction(async () => {
                          const answer = await fetchJson<{ restored: { message: string } }>(
                            `${itemPath(item)}/restore`,
                            { method: 'POST' },
                          );
                          message = answer.restored.message;
                        });
                        if (done) {
                          setNotice(message);
                          router.refresh();
                        }
                      }}
                      className="text-vault-700 hover:underline"
                    >
                      Restore
                    </button>
                    <button
                      type="button"
                      onClick={() => setDeleting(item)}
                      className="text-rose-700 hover:underline"
                    >
                      Delete for good
                    </button>
                  </div>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {deleting && (
        <ConfirmDialog
          title="Delete for good?"
          confirmLabel="Delete for good"
          pending={pending}
          onCancel={() => setDeleting(null)}
          onConfirm={async () => {
            if (await run(() => fetchJson(itemPath(deleting), { method: 'DELETE' }))) setDeleting(null);
          }}
        >
          “{deleting.name}”{deleting.kind === 'folder' ? ' and everything in it' : ''} will be deleted for
          good and its storage freed. This cannot be undone.
        </ConfirmDialog>
      )}
      {emptying && (
        <ConfirmDialog
          title="Empty the trash?"
          confirmLabel="Empty trash"
          pending={pending}
          onCancel={() => setEmptying(false)}
          onConfirm={async () => {
            if (await run(() => fetchJson('/api/trash', { method: 'DELETE' }))) setEmptying(false);
          }}
        >
          Everything in the trash you may delete will be deleted for good and its storage freed. This cannot
          be undone.
        </ConfirmDialog>
      )}
    </div>
  );
}
