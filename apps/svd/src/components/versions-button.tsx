'use client';

import { lazy, Suspense, useState } from 'react';
import type { TDocumentView } from '@/lib/documents/document-view';

// Loaded on the first click, so /vault does not carry the versions dialog (issue 13's JavaScript budget).
const VersionsDialog = lazy(() =>
  import('./versions-dialog').then((module) => ({ default: module.VersionsDialog })),
);

/** The "Versions" action of a document row: opens the document's versions. */
export function VersionsButton({ document }: { document: TDocumentView }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        className="text-slate-600 hover:underline"
        aria-label={`Versions of ${document.name}`}
      >
        Versions
      </button>
      {open && (
        <Suspense fallback={null}>
          <VersionsDialog document={document} onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  );
}
