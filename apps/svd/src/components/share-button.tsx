'use client';

import { lazy, Suspense, useState } from 'react';

// Loaded on the first click: most visits share nothing, and /vault's JavaScript budget (issue 13) is tight. React's
// own lazy, not next/dynamic, whose loader code would cost the page about 1 KB itself.
const ShareDialog = lazy(() => import('./share-dialog').then((module) => ({ default: module.ShareDialog })));

/**
 * "Share" on a document (or folder) row: a dialog for the link's expiry (required, 7 days unless changed, at most 90), an
 * optional password and download limit; Create shows the link once, to copy (only its hash is kept).
 */
export function ShareButton(props: { documentId?: string; folderId?: string; name: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)} className="text-slate-600 hover:underline">
        Share
      </button>
      {open && (
        <Suspense fallback={null}>
          <ShareDialog target={props} onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  );
}

/** The vault page's way to the space's links. */
export function SharedLinksNavLink() {
  return (
    <p className="mt-1 text-sm">
      <a href="/vault/shares" className="text-vault-700 hover:underline" data-testid="shared-links-link">
        Shared links
      </a>
    </p>
  );
}
