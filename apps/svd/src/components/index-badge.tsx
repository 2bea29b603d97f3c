import type { TDocumentView } from '@/lib/documents/document-view';
import { indexBadge } from '@/lib/documents/index-badge';

const TONES = {
  neutral: 'bg-slate-100 text-slate-700',
  good: 'bg-emerald-50 text-emerald-700',
  muted: 'bg-slate-50 text-slate-500 ring-1 ring-slate-200',
  warn: 'bg-amber-50 text-amber-800',
  error: 'bg-rose-50 text-rose-700',
};

/**
 * Where the document's text search stands, in words (lib/documents/index-badge.ts says which); a failure names its
 * reason in the badge itself, the longer note is on hover.
 */
export function IndexBadge({ doc }: { doc: Pick<TDocumentView, 'indexStatus' | 'indexNote'> }) {
  const badge = indexBadge(doc.indexStatus, doc.indexNote);
  return (
    <span
      title={badge.detail ?? undefined}
      data-testid="index-status"
      data-status={doc.indexStatus}
      role={doc.indexStatus === 'pending' ? 'status' : undefined}
      className={`inline-block max-w-full rounded-lg px-2 py-0.5 text-xs ${TONES[badge.tone]}`}
    >
      {badge.label}
    </span>
  );
}
