'use client';

import { useEffect, useRef, useState } from 'react';
import type { TDocumentView } from '@/lib/documents/document-view';

type TShown =
  | { status: 'loading' }
  | { status: 'pdf' | 'image' }
  | { status: 'text'; text: string; truncated: boolean }
  | { status: 'refused' | 'failed'; message: string };

/**
 * The preview of a document without downloading it (issue 16 §2): a PDF in the browser's own viewer (a frame of
 * GET …/preview, which the server sandboxes), an image as an <img>, text in a <pre> (its first 256 KB). The
 * server decides what may be previewed: the dialog asks first (HEAD; text is fetched at once) and shows its
 * refusal — "No preview for this type; download it instead" — with the download link. Esc closes; ← and → go to
 * the previous and next previewable document of the list.
 */
export function PreviewDialog({
  documents,
  startId,
  onClose,
}: {
  documents: TDocumentView[];
  startId: string;
  onClose: () => void;
}) {
  const [index, setIndex] = useState(() =>
    Math.max(
      0,
      documents.findIndex((d) => d.id === startId),
    ),
  );
  const [shown, setShown] = useState<TShown>({ status: 'loading' });
  const close = useRef<HTMLButtonElement>(null);
  const doc = documents[index];
  const url = doc ? `/api/documents/${doc.id}/preview` : '';

  useEffect(() => {
    close.current?.focus();
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
      else if (event.key === 'ArrowRight') setIndex((i) => Math.min(documents.length - 1, i + 1));
      else if (event.key === 'ArrowLeft') setIndex((i) => Math.max(0, i - 1));
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [documents.length, onClose]);

  // Keyed on the id and type, not the row object: the vault re-reads its list while documents are being indexed,
  // and a new object for the same document must not reload the preview.
  const id = doc?.id;
  const mimeType = doc?.mimeType ?? '';
  useEffect(() => {
    if (!id) return;
    const url = `/api/documents/${id}/preview`;
    const abort = new AbortController();
    setShown({ status: 'loading' });
    const text = mimeType.startsWith('text/');
    void (async () => {
      try {
        const response = await fetch(url, { method: text ? 'GET' : 'HEAD', signal: abort.signal });
        if (!response.ok) {
          const body = text ? await response.json().catch(() => null) : null;
          setShown({
            status: response.status === 415 ? 'refused' : 'failed',
            message:
              response.status === 415
                ? 'No preview for this type; download it instead.'
                : (body?.error?.message ?? 'The preview could not be loaded.'),
          });
          return;
        }
        const type = response.headers.get('content-type') ?? '';
        if (text) {
          const truncated = response.headers.get('x-preview-truncated') === 'true';
          setShown({ status: 'text', text: await response.text(), truncated });
        } else {
          setShown({ status: type === 'application/pdf' ? 'pdf' : 'image' });
        }
      } catch (error) {
        if (!abort.signal.aborted)
          setShown({ status: 'failed', message: `The preview could not be loaded (${String(error)}).` });
      }
    })();
    return () => abort.abort();
  }, [id, mimeType]);

  if (!doc) return null;
  return (
    <div
      className="fixed inset-0 z-50 grid place-items-center bg-slate-900/70 p-2 sm:p-6"
      role="presentation"
    >
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby="preview-title"
        data-testid="preview-dialog"
        className="flex h-full max-h-[92vh] w-full max-w-5xl flex-col overflow-hidden rounded-2xl bg-white shadow-xl"
      >
        <div className="flex flex-wrap items-center gap-3 border-b border-slate-200 px-4 py-3">
          <h2 id="preview-title" className="min-w-0 flex-1 truncate font-semibold" title={doc.name}>
            {doc.name}
          </h2>
          {documents.length > 1 && (
            <span className="flex items-center gap-1 text-sm text-slate-600">
              <button
                type="button"
                aria-label="Previous document"
                aria-keyshortcuts="ArrowLeft"
                disabled={index === 0}
                onClick={() => setIndex(index - 1)}
                className="rounded border border-slate-300 px-2 py-0.5 disabled:opacity-40"
              >
                ←
              </button>
              {index + 1} of {documents.length}
              <button
                type="button"
                aria-label="Next document"
                aria-keyshortcuts="ArrowRight"
                disabled={index === documents.length - 1}
                onClick={() => setIndex(index + 1)}
                className="rounded border border-slate-300 px-2 py-0.5 disabled:opacity-40"
              >
                →
              </button>
            </span>
          )}
          <a href={`/api/documents/${doc.id}/download`} className="text-sm text-vault-700 hover:underline">
            Download
          </a>
          <button
            ref={close}
            type="button"
            onClick={onClose}
            aria-keyshortcuts="Escape"
            className="rounded-md border border-slate-300 px-3 py-1 text-sm"
          >
            Close
          </button>
        </div>
        <div className="relative min-h-0 flex-1 bg-slate-100">
          {shown.status === 'loading' && <p className="p-6 text-sm text-slate-600">Loading preview…</p>}
          {shown.status === 'pdf' && (
            <iframe
              key={doc.id}
              src={url}
              title={`Preview of ${doc.name}`}
              data-testid="preview-frame"
              className="h-full w-full border-0 bg-white"
            />
          )}
          {shown.status === 'image' && (
            <div className="grid h-full place-items-center overflow-auto p-4">
              {/* biome-ignore lint/performance/noImgElement: the authenticated, sandboxed preview of the user's own file. */}
              <img
                key={doc.id}
                src={url}
                alt={doc.name}
                data-testid="preview-image"
                className="max-h-full max-w-full object-contain shadow"
              />
            </div>
          )}
          {shown.status === 'text' && (
            <div className="flex h-full flex-col">
              {shown.truncated && (
                <p className="border-b border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-800">
                  Showing the first 256 KB. Download the document to read all of it.
                </p>
              )}
              <pre
                data-testid="preview-text"
                className="min-h-0 flex-1 overflow-auto whitespace-pre-wrap break-words bg-white p-4 text-sm"
              >
                {shown.text}
              </pre>
            </div>
          )}
          {(shown.status === 'refused' || shown.status === 'failed') && (
            <p role="alert" className="p-6 text-sm text-slate-700" data-testid="preview-refused">
              {shown.message}{' '}
              <a href={`/api/documents/${doc.id}/download`} className="text-vault-700 hover:underline">
                Download “{doc.name}”
              </a>
            </p>
          )}
        </div>
      </div>
    </div>
  );
}
