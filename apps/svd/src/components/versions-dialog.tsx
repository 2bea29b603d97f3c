'use client';

import { fetchJson, useAction } from '@omg/platform/client';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useState } from 'react';
import type { TDocumentView } from '@/lib/documents/document-view';
import { formatBytes } from '@/lib/format-bytes';
import type { TVersionView } from '@/lib/versions/versions.types';

const dateFormat = new Intl.DateTimeFormat('en-US', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
});

interface TVersionList {
  documentId: string;
  name: string;
  keepVersions: number;
  versions: TVersionView[];
}

/**
 * A document's versions (issue 16 §4): the current one and the former ones, newest first, each downloadable;
 * a former one can be restored (it swaps places with the current one, so nothing is lost), and how many former
 * versions are kept can be changed (for the whole space; older ones are deleted at once).
 */
export function VersionsDialog({ document, onClose }: { document: TDocumentView; onClose: () => void }) {
  const router = useRouter();
  const [list, setList] = useState<TVersionList | null>(null);
  const [keep, setKeep] = useState('');
  const { pending, error, run } = useAction();
  const load = useCallback(async () => {
    const loaded = await fetchJson<TVersionList>(`/api/documents/${document.id}/versions`);
    setList(loaded);
    setKeep(String(loaded.keepVersions));
  }, [document.id]);

  useEffect(() => {
    void run(load);
  }, [run, load]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  async function restore(versionId: string) {
    const done = await run(async () => {
      await fetchJson(`/api/documents/${document.id}/versions/${versionId}/restore`, { method: 'POST' });
      await load();
    });
    if (done) router.refresh();
  }

  async function saveKeep() {
    const keepVersions = Number(keep);
    const done = await run(async () => {
      await fetchJson('/api/versions/settings', { method: 'PUT', body: { keepVersions } });
      await load();
    });
    if (done) router.refresh();
  }

  return (
    <div className="fixed inset-0 z-50 grid place-items-center bg-slate-900/40 p-4" role="presentation">
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby="versions-title"
        className="max-h-[90vh] w-full max-w-2xl overflow-y-auto rounded-2xl bg-white p-6 shadow-xl"
      >
        <div className="flex items-start justify-between gap-4">
          <h2 id="versions-title" className="min-w-0 text-lg font-semibold">
            Versions of <span className="break-all">“{document.name}”</span>
          </h2>
          <button
            type="button"
            onClick={onClose}
            className="rounded-md border border-slate-300 px-3 py-1 text-sm"
          >
            Close
          </button>
        </div>
        <p className="mt-1 text-sm text-slate-600">
          Upload a file with the same name into the same folder and choose “Upload as new version” to add one.
          Former versions count against your storage.
        </p>
        {error && (
          <p
            role="alert"
            className="mt-3 rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-700"
          >
            {error}
          </p>
        )}
        {!list ? (
          <p className="mt-4 text-sm text-slate-500">Loading…</p>
        ) : (
          <ol
            className="mt-4 divide-y divide-slate-100 rounded-xl border border-slate-200"
            aria-label="Versions"
          >
            {list.versions.map((version, index) => (
              <li
                key={version.id ?? 'current'}
                data-testid="version-row"
                className="flex flex-wrap items-center justify-between gap-3 px-4 py-3 text-sm"
              >
                <span className="min-w-0">
                  <span className="font-medium">
                    {version.current ? 'Current version' : `Version ${list.versions.length - index}`}
                  </span>
                  <span className="block text-slate-600">
                    {formatBytes(version.sizeBytes)} · {version.current ? 'since' : 'uploaded'}{' '}
                    {dateFormat.format(new Date(version.createdAt))}
                    {version.uploadedByEmail ? ` by ${version.uploadedByEmail}` : ''}
                  </span>
                </span>
                <span className="flex shrink-0 gap-3">
                  <a
                    href={
                      version.id
                        ? `/api/documents/${document.id}/versions/${version.id}/download`
                        : `/api/documents/${document.id}/download`
                    }
                    className="text-vault-700 hover:underline"
                  >
                    Download
                  </a>
                  {version.id && (
                    <button
                      type="button"
                      disabled={pending}
                      onClick={() => void restore(version.id as string)}
                      className="font-medium text-vault-700 hover:underline disabled:opacity-60"
                    >
                      Restore
                    </button>
                  )}
                </span>
              </li>
            ))}
          </ol>
        )}
        {list && (
          <form
            className="mt-4 flex flex-wrap items-center gap-2 text-sm text-slate-600"
            onSubmit={(event) => {
              event.preventDefault();
              void saveKeep();
            }}
          >
            <label htmlFor="keep-versions">Keep the last</label>
            <input
              id="keep-versions"
              type="number"
              min={0}
              max={100}
              value={keep}
              onChange={(event) => setKeep(event.target.value)}
              className="w-20 rounded border border-slate-300 px-2 py-1"
            />
            <span>former versions of each document (older ones are deleted).</span>
            <button
              type="submit"
              disabled={pending || keep === String(list.keepVersions)}
              className="rounded-md border border-slate-300 px-3 py-1 disabled:opacity-60"
            >
              Save
            </button>
          </form>
        )}
      </div>
    </div>
  );
}
