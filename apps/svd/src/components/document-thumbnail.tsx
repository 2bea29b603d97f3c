'use client';

import { useEffect, useState } from 'react';
import type { TDocumentView } from '@/lib/documents/document-view';
import { mayHaveThumbnail } from '@/lib/thumbnails/thumbnail-types';
import { FileIcon } from './file-icon';

/** After an upload the worker needs a moment: ask again after 2, 4, 8 and 16 s, then keep the icon. */
const RETRY_DELAYS_MS = [2_000, 4_000, 8_000, 16_000];

/**
 * A row's picture (issue 16 §2): the document's thumbnail for images and PDFs (GET …/thumbnail, loaded lazily),
 * the file type's icon otherwise — and in its place while there is none yet, or none can be made.
 */
export function DocumentThumbnail({ doc }: { doc: TDocumentView }) {
  const wanted = mayHaveThumbnail(doc.mimeType);
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<'loading' | 'shown' | 'waiting' | 'none'>('loading');
  useEffect(() => {
    if (state !== 'waiting') return;
    const timer = setTimeout(() => {
      setAttempt((n) => n + 1);
      setState('loading');
    }, RETRY_DELAYS_MS[attempt] ?? 0);
    return () => clearTimeout(timer);
  }, [state, attempt]);

  const icon = <FileIcon mimeType={doc.mimeType} name={doc.name} />;
  if (!wanted || state === 'none') return icon;
  return (
    <span className="relative inline-flex h-8 w-8 shrink-0 items-center justify-center overflow-hidden rounded border border-slate-200 bg-slate-50">
      {state !== 'shown' && icon}
      {/* biome-ignore lint/performance/noImgElement: an authenticated API image; next/image would proxy it. */}
      <img
        key={attempt}
        src={`/api/documents/${doc.id}/thumbnail${attempt ? `?attempt=${attempt}` : ''}`}
        alt=""
        loading="lazy"
        decoding="async"
        width={32}
        height={32}
        data-testid="document-thumbnail"
        onLoad={() => setState('shown')}
        onError={() => setState(attempt < RETRY_DELAYS_MS.length ? 'waiting' : 'none')}
        className={state === 'shown' ? 'h-full w-full object-cover' : 'absolute h-px w-px opacity-0'}
      />
    </span>
  );
}
