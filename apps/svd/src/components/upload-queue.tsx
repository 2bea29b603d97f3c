'use client';

import { useRouter } from 'next/navigation';
import { type DragEvent, useCallback, useRef, useState } from 'react';
import { formatBytes } from '@/lib/format-bytes';

interface TUpload {
  id: number;
  name: string;
  size: number;
  loaded: number;
  state: 'queued' | 'uploading' | 'processing' | 'done' | 'failed';
  error?: string;
}

let nextUploadId = 0;

function sendFile(file: File, vaultId: string, onProgress: (loaded: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const query = new URLSearchParams({ vaultId, name: file.name, size: String(file.size) });
    xhr.open('POST', `/api/uploads?${query}`);
    xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) return resolve();
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

/** Drag-and-drop and file-picker uploads, one request per file, each with its own progress bar. */
export function UploadQueue(props: { vaultId: string; maxFileBytes: number; blockedReason: string | null }) {
  const router = useRouter();
  const [uploads, setUploads] = useState<TUpload[]>([]);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const update = useCallback(
    (id: number, patch: Partial<TUpload>) =>
      setUploads((list) => list.map((u) => (u.id === id ? { ...u, ...patch } : u))),
    [],
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
        update(entry.id, { state: 'uploading' });
        try {
          await sendFile(file, props.vaultId, (loaded) =>
            update(entry.id, { loaded, state: loaded >= file.size ? 'processing' : 'uploading' }),
          );
          update(entry.id, { state: 'done', loaded: file.size });
          router.refresh();
        } catch (error) {
          update(entry.id, {
            state: 'failed',
            error: error instanceof Error ? error.message : String(error),
          });
        }
      }
    },
    [props.maxFileBytes, props.vaultId, router, update],
  );

  if (props.blockedReason) {
    return (
      <div
        className="rounded-xl border border-dashed border-slate-300 bg-slate-50 p-6 text-center text-sm text-slate-500"
        data-testid="uploads-disabled"
      >
        Uploads are disabled. {props.blockedReason}
      </div>
    );
  }

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
                    : u.state === 'done'
                      ? 'Uploaded'
                      : u.state === 'processing'
                        ? 'Encrypting and indexing…'
                        : u.state === 'queued'
                          ? 'Waiting…'
                          : `${Math.round((u.loaded / Math.max(1, u.size)) * 100)}%`}
                </span>
              </div>
              {u.state !== 'failed' && (
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
    </div>
  );
}
