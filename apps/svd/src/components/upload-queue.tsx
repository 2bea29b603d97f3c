'use client';

import { useRouter } from 'next/navigation';
import { type DragEvent, useCallback, useEffect, useRef, useState } from 'react';
import { formatBytes } from '@/lib/format-bytes';
import { RESUMABLE_THRESHOLD_BYTES } from '@/lib/uploads/resumable-upload-paths';
import {
  NameConflictChoice,
  NameConflictError,
  nameConflictOf,
  type TNameConflict,
  type TNameConflictChoice,
} from './name-conflict';
import {
  discardInterruptedUpload,
  findInterruptedUploads,
  interruptedOffset,
  startResumableUpload,
  type TInterruptedUpload,
  type TResumableHandle,
} from './resumable-upload';

interface TUpload {
  id: number;
  name: string;
  size: number;
  loaded: number;
  state: 'queued' | 'uploading' | 'paused' | 'processing' | 'done' | 'failed' | 'conflict';
  error?: string;
  /** The folder has a document of this name: the row asks "new version" or "keep both" (and keeps the file). */
  conflict?: TNameConflict;
  file?: File;
  /** Sent with tus (large files): can be paused, and resumed after a drop or a reload. */
  resumable?: boolean;
}

type TInterrupted = TInterruptedUpload & { offset: number };

let nextUploadId = 0;

/** How long a finished upload stays in the list, showing "Uploaded", before it leaves (errors stay until dismissed). */
export const DONE_VISIBLE_MS = 4_000;

function sendFile(
  file: File,
  vaultId: string,
  onProgress: (loaded: number) => void,
  onConflict?: TNameConflictChoice,
  folderId?: string | null,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const query = new URLSearchParams({ vaultId, name: file.name, size: String(file.size) });
    if (onConflict) query.set('onConflict', onConflict);
    if (folderId) query.set('folderId', folderId);
    xhr.open('POST', `/api/uploads?${query}`);
    xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) return resolve();
      const conflict = nameConflictOf(xhr.status, xhr.responseText);
      if (conflict) return reject(new NameConflictError(conflict));
      let message = `Upload failed (HTTP ${xhr.status}).`;
      try {
        message = JSON.parse(xhr.responseText).error.message ?? message;
      } catch {}
      reject(new Error(message));
    };
    xhr.onerror = () => reject(new Error('The connection was lost. Try again.'));
    xhr.send(file);
  });
}

/**
 * Drag-and-drop and file-picker uploads, each with its own progress bar: one request per file up to
 * RESUMABLE_THRESHOLD_BYTES, tus above it (pause/resume; after a reload the page lists what was interrupted
 * and resumes it when the same file is chosen again).
 */
export function UploadQueue(props: {
  vaultId: string;
  /** The folder the page shows (issue 16): uploads go into it; null = the vault's root. */
  folderId?: string | null;
  maxFileBytes: number;
  blockedReason: string | null;
  /** The plan panel already shows the reason (its one notice): the upload area refers to it instead of repeating it. */
  reasonShownAbove?: boolean;
}) {
  const router = useRouter();
  const [uploads, setUploads] = useState<TUpload[]>([]);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const handles = useRef(new Map<number, TResumableHandle>());
  const [interrupted, setInterrupted] = useState<TInterrupted[]>([]);
  const update = useCallback(
    (id: number, patch: Partial<TUpload>) =>
      setUploads((list) => list.map((u) => (u.id === id ? { ...u, ...patch } : u))),
    [],
  );
  const dismiss = useCallback((id: number) => setUploads((list) => list.filter((u) => u.id !== id)), []);
  const leaving = useRef(new Set<ReturnType<typeof setTimeout>>());
  /** Shows "Uploaded" for a moment, then takes the row off the list: the document is in the table by then. */
  const finish = useCallback(
    (id: number, size: number) => {
      update(id, { state: 'done', loaded: size });
      const timer = setTimeout(() => {
        leaving.current.delete(timer);
        dismiss(id);
      }, DONE_VISIBLE_MS);
      leaving.current.add(timer);
    },
    [dismiss, update],
  );
  useEffect(() => {
    const timers = leaving.current;
    return () => {
      for (const timer of timers) clearTimeout(timer);
    };
  }, []);

  const refreshInterrupted = useCallback(async () => {
    const stored = await findInterruptedUploads(props.vaultId);
    const known = await Promise.all(
      stored.map(async (upload) => {
        const offset = await interruptedOffset(upload).catch(() => null);
        return offset === null ? [] : [{ ...upload, offset }];
      }),
    );
    setInterrupted(known.flat());
  }, [props.vaultId]);

  useEffect(() => {
    void refreshInterrupted();
  }, [refreshInterrupted]);

  const sendResumable = useCallback(
    async (file: File, id: number, onConflict?: TNameConflictChoice) => {
      update(id, { state: 'uploading', resumable: true });
      // Once it runs here it is no longer "interrupted": the list shows it as an upload again.
      setInterrupted((list) => list.filter((u) => !(u.name === file.name && u.size === file.size)));
      try {
        const handle = await startResumableUpload(
          file,
          props.vaultId,
          {
            onProgress: (loaded) =>
              setUploads((list) =>
                list.map((u) =>
                  u.id !== id
                    ? u
                    : // A progress event can land just after Pause; the row stays paused.
                      {
                        ...u,
                        loaded,
                        state:
                          u.state === 'paused' ? 'paused' : loaded >= file.size ? 'processing' : 'uploading',
                      },
                ),
              ),
            onSuccess: () => {
              handles.current.delete(id);
              finish(id, file.size);
              router.refresh();
            },
            onError: (error, conflict) => {
              handles.current.delete(id);
              update(id, conflict ? { state: 'conflict', conflict, file } : { state: 'failed', error });
              void refreshInterrupted();
            },
          },
          onConflict,
          props.folderId,
        );
        handles.current.set(id, handle);
      } catch (error) {
        update(id, { state: 'failed', error: error instanceof Error ? error.message : String(error) });
      }
    },
    [props.vaultId, props.folderId, refreshInterrupted, router, update, finish],
  );

  const sendSimple = useCallback(
    async (file: File, id: number, onConflict?: TNameConflictChoice) => {
      update(id, { state: 'uploading' });
      try {
        await sendFile(
          file,
          props.vaultId,
          (loaded) => update(id, { loaded, state: loaded >= file.size ? 'processing' : 'uploading' }),
          onConflict,
          props.folderId,
        );
        finish(id, file.size);
        router.refresh();
      } catch (error) {
        if (error instanceof NameConflictError) {
          update(id, { state: 'conflict', conflict: error.conflict, file });
          return;
        }
        update(id, { state: 'failed', error: error instanceof Error ? error.message : String(error) });
      }
    },
    [props.vaultId, props.folderId, router, update, finish],
  );

  const start = useCallback(
    async (files: File[]) => {
      const batch = files.map((file) => ({
        file,
        entry: { id: nextUploadId++, name: file.name, size: file.size, loaded: 0, state: 'queued' as const },
      }));
      setUploads((list) => [...batch.map((b) => b.entry), ...list].slice(0, 50));
      for (const { file, entry } of batch) {
        if (file.size > props.maxFileBytes) {
          update(entry.id, {
            state: 'failed',
            error: `Larger than your plan’s ${formatBytes(props.maxFileBytes)} file limit.`,
          });
          continue;
        }
        if (file.size > RESUMABLE_THRESHOLD_BYTES) {
          // Not awaited: a large upload may be paused, and must not hold up the files after it.
          void sendResumable(file, entry.id);
          continue;
        }
        await sendSimple(file, entry.id);
      }
    },
    [props.maxFileBytes, sendResumable, sendSimple, update],
  );

  /** The user's answer to a taken name: the same file again, as a new version or beside the other. */
  const resolveConflict = (upload: TUpload, choice: TNameConflictChoice) => {
    if (!upload.file) return;
    update(upload.id, { state: 'queued', conflict: undefined, loaded: 0 });
    if (upload.resumable) void sendResumable(upload.file, upload.id, choice);
    else void sendSimple(upload.file, upload.id, choice);
  };

  if (props.blockedReason) {
    return (
      <div
        className="rounded-xl border border-dashed border-slate-300 bg-slate-50 p-6 text-center text-sm text-slate-500"
        data-testid="uploads-disabled"
      >
        {props.reasonShownAbove
          ? 'Uploads are disabled — the notice above says why.'
          : `Uploads are disabled. ${props.blockedReason}`}
      </div>
    );
  }

  const togglePause = (upload: TUpload) => {
    const handle = handles.current.get(upload.id);
    if (!handle) return;
    if (upload.state === 'paused') {
      handle.resume();
      update(upload.id, { state: 'uploading' });
    } else {
      handle.pause();
      update(upload.id, { state: 'paused' });
    }
  };

  const discard = async (upload: TInterrupted) => {
    await discardInterruptedUpload(upload);
    setInterrupted((list) => list.filter((u) => u.key !== upload.key));
    // Its reserved storage is free again: the plan panel shows it.
    router.refresh();
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    void start(Array.from(event.dataTransfer.files));
  };

  return (
    <div>
      <section
        aria-label="Upload documents"
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        className={`rounded-xl border-2 border-dashed p-6 text-center text-sm transition ${dragging ? 'border-vault-600 bg-vault-50' : 'border-slate-300 bg-white'}`}
      >
        <p className="text-slate-600">Drag files here, or</p>
        <button
          type="button"
          onClick={() => input.current?.click()}
          data-shortcut="upload"
          className="mt-2 rounded-md bg-vault-600 px-4 py-2 font-medium text-white hover:bg-vault-700"
        >
          Choose files
        </button>
        <input
          ref={input}
          type="file"
          multiple
          className="hidden"
          aria-label="Files to upload"
          onChange={(event) => {
            void start(Array.from(event.target.files ?? []));
            event.target.value = '';
          }}
        />
        <p className="mt-2 text-xs text-slate-400">
          Encrypted before it is stored · files up to {formatBytes(props.maxFileBytes)}
        </p>
      </section>
      {uploads.length > 0 && (
        <ul className="mt-3 space-y-2" aria-label="Uploads">
          {uploads.map((u) => (
            <li
              key={u.id}
              className="rounded-lg border border-slate-200 bg-white px-4 py-2 text-sm"
              data-testid="upload-item"
            >
              <div className="flex justify-between gap-4">
                <span className="truncate font-medium">{u.name}</span>
                <span
                  className={u.state === 'failed' ? 'text-rose-700' : 'text-slate-500'}
                  data-testid="upload-state"
                >
                  {u.state === 'failed'
                    ? u.error
                    : u.state === 'conflict'
                      ? 'Name already in use'
                      : u.state === 'paused'
                        ? `Paused at ${Math.round((u.loaded / Math.max(1, u.size)) * 100)}%`
                        : u.state === 'done'
                          ? 'Uploaded'
                          : u.state === 'processing'
                            ? 'Encrypting and indexing…'
                            : u.state === 'queued'
                              ? 'Waiting…'
                              : `${Math.round((u.loaded / Math.max(1, u.size)) * 100)}%`}
                </span>
                {u.state === 'failed' && (
                  <button
                    type="button"
                    onClick={() => dismiss(u.id)}
                    aria-label={`Dismiss ${u.name}`}
                    className="shrink-0 text-xs font-medium text-slate-600 hover:underline"
                  >
                    Dismiss
                  </button>
                )}
                {u.resumable && (u.state === 'uploading' || u.state === 'paused') && (
                  <button
                    type="button"
                    onClick={() => togglePause(u)}
                    className="shrink-0 text-xs font-medium text-vault-700 hover:underline"
                  >
                    {u.state === 'paused' ? 'Resume' : 'Pause'}
                  </button>
                )}
              </div>
              {u.state === 'conflict' && u.conflict && (
                <NameConflictChoice
                  conflict={u.conflict}
                  onChoose={(choice) => resolveConflict(u, choice)}
                  onCancel={() => dismiss(u.id)}
                />
              )}
              {u.state !== 'failed' && u.state !== 'conflict' && (
                <progress
                  className="mt-1 h-1.5 w-full overflow-hidden rounded-full accent-emerald-700"
                  max={Math.max(1, u.size)}
                  value={u.loaded}
                  aria-label={`Upload progress for ${u.name}`}
                />
              )}
            </li>
          ))}
        </ul>
      )}
      {interrupted.length > 0 && (
        <ul className="mt-3 space-y-2" aria-label="Interrupted uploads">
          {interrupted.map((u) => (
            <li
              key={u.key}
              className="rounded-lg border border-amber-200 bg-amber-50 px-4 py-2 text-sm"
              data-testid="interrupted-upload"
            >
              <div className="flex flex-wrap items-center justify-between gap-3">
                <span className="min-w-0">
                  <span className="font-medium">{u.name}</span> stopped at{' '}
                  {Math.floor((u.offset / Math.max(1, u.size)) * 100)}% ({formatBytes(u.offset)} of{' '}
                  {formatBytes(u.size)}). Choose the same file again to resume where it stopped.
                </span>
                <span className="flex shrink-0 gap-3">
                  <button
                    type="button"
                    onClick={() => input.current?.click()}
                    className="rounded-md bg-vault-600 px-3 py-1 font-medium text-white hover:bg-vault-700"
                  >
                    Resume
                  </button>
                  <button
                    type="button"
                    onClick={() => void discard(u)}
                    className="text-xs font-medium text-slate-600 hover:underline"
                  >
                    Discard
                  </button>
                </span>
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
