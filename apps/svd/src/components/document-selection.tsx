'use client';

import { useCallback, useMemo, useState } from 'react';
import type { TDocumentView } from '@/lib/documents/document-view';

export interface TDocumentSelection {
  selected: TDocumentView[];
  isSelected: (id: string) => boolean;
  toggle: (id: string) => void;
  clear: () => void;
}

/**
 * Which of the listed documents are selected. Only ids still in the list count, so a document that left it
 * (moved, deleted, another folder opened) is never acted on unseen.
 */
export function useDocumentSelection(documents: TDocumentView[]): TDocumentSelection {
  const [ids, setIds] = useState<ReadonlySet<string>>(new Set());
  const selected = useMemo(() => documents.filter((doc) => ids.has(doc.id)), [documents, ids]);
  const toggle = useCallback(
    (id: string) =>
      setIds((current) => {
        const next = new Set(current);
        if (!next.delete(id)) next.add(id);
        return next;
      }),
    [],
  );
  const clear = useCallback(() => setIds(new Set()), []);
  return { selected, isSelected: (id) => selected.some((doc) => doc.id === id), toggle, clear };
}

/** A row's checkbox for bulk actions. */
export function SelectCheckbox({ doc, selection }: { doc: TDocumentView; selection: TDocumentSelection }) {
  return (
    <input
      type="checkbox"
      aria-label={`Select ${doc.name}`}
      checked={selection.isSelected(doc.id)}
      onChange={() => selection.toggle(doc.id)}
      className="size-4 shrink-0 accent-emerald-700"
    />
  );
}
