/** How the vault's Search column reads a document's indexing state (issue 16: "the badge says the truth"). */
export interface TIndexBadge {
  label: string;
  tone: 'neutral' | 'good' | 'muted' | 'warn' | 'error';
  /** The longer explanation, shown on hover (and, for a failure, under the badge). */
  detail: string | null;
}

const FAILED_PREFIX = /^could not be indexed:\s*/i;

/**
 * The badge of a document's `indexStatus` and `indexNote` (index-document.ts, record-index-failure.ts):
 * 'pending' → "Indexing…", 'indexed' → "Indexed", 'no_text' → "No text" (images, binaries: nothing to read, the
 * name is still searchable), 'not_indexed' → "Not indexed: units spent", 'failed' → "Could not be indexed:
 * <reason>". An unknown state says so rather than claiming one of these.
 */
export function indexBadge(indexStatus: string, indexNote: string | null): TIndexBadge {
  switch (indexStatus) {
    case 'pending':
      return { label: 'Indexing…', tone: 'neutral', detail: 'Reading its text for search.' };
    case 'indexed':
      return { label: 'Indexed', tone: 'good', detail: 'Found by its name and by the words inside.' };
    case 'no_text':
      return {
        label: 'No text',
        tone: 'muted',
        detail: 'No text to read in this file (an image or another binary file). It is found by its name.',
      };
    case 'not_indexed':
      return { label: 'Not indexed: units spent', tone: 'warn', detail: indexNote };
    case 'failed': {
      const reason = indexNote?.replace(FAILED_PREFIX, '').trim() || 'the file could not be read';
      return { label: `Could not be indexed: ${reason}`, tone: 'error', detail: indexNote };
    }
    default:
      return { label: 'Not indexed', tone: 'warn', detail: indexNote };
  }
}
