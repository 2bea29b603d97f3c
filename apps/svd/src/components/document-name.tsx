'use client';

import { lazy, Suspense, useRef, useState } from 'react';
import type { TDocumentView } from '@/lib/documents/document-view';
import { mayPreview } from '@/lib/previews/preview-kind';
import { DocumentThumbnail } from './document-thumbnail';

// Loaded when a preview is opened, so /vault does not carry the dialog (issue 13's JavaScript budget).
const PreviewDialog = lazy(() =>
  import('./preview-dialog').then((module) => ({ default: module.PreviewDialog })),
);

/**
 * A row's picture and name (issue 16 §2): the thumbnail (or the type's icon), and for a type SVD can preview
 * (PDF, PNG, JPEG, GIF, WebP, plain text) the name is a button that opens the preview; arrows in the preview
 * step through the list's other previewable documents.
 */
export function DocumentName({ doc, documents }: { doc: TDocumentView; documents: TDocumentView[] }) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  return (
    <span className="flex min-w-0 items-center gap-2">
      <DocumentThumbnail doc={doc} />
      {mayPreview(doc.mimeType) ? (
        <button
          ref={button}
          type="button"
          onClick={() => setOpen(true)}
          className="block truncate text-left font-medium hover:text-vault-700 hover:underline"
          title={`${doc.name} — preview`}
          data-testid="document-name"
        >
          {doc.name}
        </button>
      ) : (
        <span className="block truncate font-medium" title={doc.name} data-testid="document-name">
          {doc.name}
        </span>
      )}
      {open && (
        <Suspense fallback={null}>
          <PreviewDialog
            documents={documents.filter((d) => mayPreview(d.mimeType))}
            startId={doc.id}
            onClose={() => {
              setOpen(false);
              button.current?.focus();
            }}
          />
        </Suspense>
      )}
    </span>
  );
}
