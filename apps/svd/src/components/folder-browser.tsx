'use client';

import { fetchJson, useAction } from '@omg/platform/client';
import { useRouter } from 'next/navigation';
import { type DragEvent, useState } from 'react';
import type { TFolderView } from '@/lib/folders/folder-view';
import { ConfirmDialog } from './confirm-dialog';
import { ShareButton } from './share-button';

/** What a dragged row carries (issue 16): a document's or a folder's id, under its own type. */
export const DOCUMENT_DRAG_TYPE = 'application/x-svd-document';
export const FOLDER_DRAG_TYPE = 'application/x-svd-folder';

const folderUrl = (vaultId: string, folderId: string | null) =>
  `/vault?${new URLSearchParams({ vault: vaultId, ...(folderId ? { folder: folderId } : {}) })}`;

/**
 * A drop target for dragged documents and folders: a folder row or a breadcrumb (null = the vault's root).
 * Highlights while something is over it; the drop moves the item there (POST /api/folders/move).
 */
function useDropTarget(
  vaultId: string,
  targetFolderId: string | null,
  move: (body: Record<string, unknown>) => void,
) {
  const [over, setOver] = useState(false);
  const carries = (event: DragEvent) =>
    event.dataTransfer.types.includes(DOCUMENT_DRAG_TYPE) ||
    event.dataTransfer.types.includes(FOLDER_DRAG_TYPE);
  return {
    over,
    handlers: {
      onDragOver: (event: DragEvent) => {
        if (!carries(event)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'move';
        setOver(true);
      },
      onDragLeave: () => setOver(false),
      onDrop: (event: DragEvent) => {
        setOver(false);
        const documentId = event.dataTransfer.getData(DOCUMENT_DRAG_TYPE);
        const folderId = event.dataTransfer.getData(FOLDER_DRAG_TYPE);
        if (!documentId && !folderId) return;
        event.preventDefault();
        // A folder dropped on itself is no move at all (the server would refuse it as a cycle).
        if (folderId && folderId === targetFolderId) return;
        move(documentId ? { documentId, targetFolderId, vaultId } : { folderId, targetFolderId, vaultId });
      },
    },
  };
}

/**
 * The vault page's folder level (issue 16): breadcrumbs from the vault's root to the shown folder, the folders in
 * it (open, rename, delete to the trash, drag onto another folder or a breadcrumb) and "New folder". Documents
 * dragged from the table below drop onto the same targets.
 */
export function FolderBrowser({
  vaultId,
  vaultName,
  breadcrumbs,
  folders,
  currentFolderId,
  canWrite,
  createBlockedReason,
}: {
  vaultId: string;
  vaultName: string;
  breadcrumbs: Array<{ id: string; name: string }>;
  folders: TFolderView[];
  currentFolderId: string | null;
  canWrite: boolean;
  /** Why a new folder cannot be made now (read-only plan, over the limit), or null. */
  createBlockedReason: string | null;
}) {
  const router = useRouter();
  const { pending, error, run: runAction } = useAction();
  const [creating, setCreating] = useState(false);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<TFolderView | null>(null);

  async function run(action: () => Promise<unknown>) {
    const done = await runAction(action);
    if (done) router.refresh();
    return done;
  }
  const move = (body: Record<string, unknown>) =>
    void run(() => fetchJson('/api/folders/move', { method: 'POST', body }));
  const rootDrop = useDropTarget(vaultId, null, move);

  return (
    <div className="space-y-3" data-testid="folder-browser">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <nav aria-label="Folder path" className="min-w-0">
          <ol className="flex flex-wrap items-center gap-1 text-sm" data-testid="breadcrumbs">
            <Crumb
              label={vaultName}
              href={folderUrl(vaultId, null)}
              current={breadcrumbs.length === 0}
              drop={rootDrop}
            />
            {breadcrumbs.map((crumb, index) => (
              <CrumbWithDrop
                key={crumb.id}
                label={crumb.name}
                href={folderUrl(vaultId, crumb.id)}
                current={index === breadcrumbs.length - 1}
                vaultId={vaultId}
                folderId={crumb.id}
                move={move}
              />
            ))}
          </ol>
        </nav>
        {canWrite && !creating && (
          <button
            type="button"
            onClick={() => setCreating(true)}
            disabled={Boolean(createBlockedReason)}
            title={createBlockedReason ?? undefined}
            className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm disabled:opacity-50"
          >
            New folder
          </button>
        )}
      </div>
      {error && (
        <p
          role="alert"
          className="rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-700"
        >
          {error}
        </p>
      )}
      {creating && (
        <form
          className="flex flex-wrap gap-2"
          onSubmit={async (event) => {
            event.preventDefault();
            const name = String(new FormData(event.currentTarget).get('name') ?? '');
            const body = { vaultId, parentId: currentFolderId, name };
            if (await run(() => fetchJson('/api/folders', { method: 'POST', body }))) setCreating(false);
          }}
        >
          <input
            name="name"
            aria-label="Folder name"
            placeholder="Folder name"
            // biome-ignore lint/a11y/noAutofocus: the form opens because the person asked to type a name
            autoFocus
            className="min-w-0 flex-1 basis-48 rounded border border-slate-300 px-2 py-1 text-sm"
          />
          <button
            type="submit"
            disabled={pending}
            className="rounded bg-vault-600 px-3 py-1 text-sm text-white"
          >
            Create folder
          </button>
          <button
            type="button"
            onClick={() => setCreating(false)}
            className="rounded border px-3 py-1 text-sm"
          >
            Cancel
          </button>
        </form>
      )}
      {folders.length > 0 && (
        <ul
          className="divide-y divide-slate-100 rounded-2xl border border-slate-200 bg-white"
          data-testid="folders"
        >
          {folders.map((folder) => (
            <FolderRow
              key={folder.id}
              folder={folder}
              vaultId={vaultId}
              canWrite={canWrite}
              renaming={renaming === folder.id}
              pending={pending}
              onRename={() => setRenaming(folder.id)}
              onCancelRename={() => setRenaming(null)}
              onSaveName={async (name) => {
                const body = { name };
                if (await run(() => fetchJson(`/api/folders/${folder.id}`, { method: 'PATCH', body }))) {
                  setRenaming(null);
                }
              }}
              onDelete={() => setDeleting(folder)}
              move={move}
            />
          ))}
        </ul>
      )}
      {deleting && (
        <ConfirmDialog
          title="Move this folder to the trash?"
          confirmLabel="Move to trash"
          pending={pending}
          onCancel={() => setDeleting(null)}
          onConfirm={async () => {
            if (await run(() => fetchJson(`/api/folders/${deleting.id}`, { method: 'DELETE' })))
              setDeleting(null);
          }}
        >
          “{deleting.name}” and everything in it go to the trash. You can restore them from there for 30 days;
          they still count against your storage until the trash is emptied.
        </ConfirmDialog>
      )}
    </div>
  );
}

function Crumb({
  label,
  href,
  current,
  drop,
}: {
  label: string;
  href: string;
  current: boolean;
  drop: ReturnType<typeof useDropTarget>;
}) {
  return (
    <li className="flex items-center gap-1 before:text-slate-400 before:content-['/'] first:before:content-none">
      <a
        href={href}
        {...drop.handlers}
        aria-current={current ? 'page' : undefined}
        data-testid="breadcrumb"
        className={`rounded px-1.5 py-0.5 ${current ? 'font-semibold text-slate-900' : 'text-vault-700 hover:underline'} ${drop.over ? 'bg-vault-100 ring-2 ring-vault-400' : ''}`}
      >
        {label}
      </a>
    </li>
  );
}

function CrumbWithDrop(props: {
  label: string;
  href: string;
  current: boolean;
  vaultId: string;
  folderId: string;
  move: (body: Record<string, unknown>) => void;
}) {
  const drop = useDropTarget(props.vaultId, props.folderId, props.move);
  return <Crumb label={props.label} href={props.href} current={props.current} drop={drop} />;
}

function FolderRow(props: {
  folder: TFolderView;
  vaultId: string;
  canWrite: boolean;
  renaming: boolean;
  pending: boolean;
  onRename: () => void;
  onCancelRename: () => void;
  onSaveName: (name: string) => Promise<void>;
  onDelete: () => void;
  move: (body: Record<string, unknown>) => void;
}) {
  const { folder } = props;
  const drop = useDropTarget(props.vaultId, folder.id, props.move);
  return (
    <li
      data-testid="folder-row"
      draggable={props.canWrite && !props.renaming}
      onDragStart={(event) => {
        event.dataTransfer.setData(FOLDER_DRAG_TYPE, folder.id);
        event.dataTransfer.effectAllowed = 'move';
      }}
      {...drop.handlers}
      className={`flex flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3 text-sm ${drop.over ? 'bg-vault-50 ring-2 ring-inset ring-vault-400' : ''}`}
    >
      {props.renaming ? (
        <form
          className="flex flex-1 flex-wrap gap-2"
          onSubmit={async (event) => {
            event.preventDefault();
            await props.onSaveName(String(new FormData(event.currentTarget).get('name') ?? ''));
          }}
        >
          <input
            name="name"
            defaultValue={folder.name}
            aria-label="New folder name"
            className="min-w-0 flex-1 basis-40 rounded border border-slate-300 px-2 py-1"
          />
          <button
            type="submit"
            disabled={props.pending}
            className="rounded bg-vault-600 px-2 py-1 text-white"
          >
            Save
          </button>
          <button type="button" onClick={props.onCancelRename} className="rounded border px-2 py-1">
            Cancel
          </button>
        </form>
      ) : (
        <a
          href={folderUrl(props.vaultId, folder.id)}
          className="flex min-w-0 flex-1 items-center gap-2 font-medium text-slate-900 hover:underline"
          data-testid="folder-name"
        >
          <svg aria-hidden="true" viewBox="0 0 20 20" className="h-5 w-5 shrink-0 fill-amber-400">
            <path d="M2 5a2 2 0 0 1 2-2h4l2 2h6a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V5z" />
          </svg>
          <span className="truncate" title={folder.name}>
            {folder.name}
          </span>
        </a>
      )}
      {props.canWrite && !props.renaming && (
        <div className="flex gap-3">
          <ShareButton folderId={folder.id} name={folder.name} />
          <button type="button" onClick={props.onRename} className="text-slate-600 hover:underline">
            Rename
          </button>
          <button type="button" onClick={props.onDelete} className="text-rose-700 hover:underline">
            Delete
          </button>
        </div>
      )}
    </li>
  );
}
