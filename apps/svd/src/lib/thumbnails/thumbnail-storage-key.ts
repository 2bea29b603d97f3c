const SUFFIX = '-thumbnail';

/**
 * Where a document's thumbnail blob is stored: derived from the document blob's own key (random, 128 bits), so
 * it tells nothing more about the document, and whoever discards a deleted document's blob (discardBlob with
 * 'document_deleted': delete, purge, the trash) finds the thumbnail's too without reading a row that a cascade
 * may already have removed. Its data key is its own (wrapped for this key).
 */
export function thumbnailStorageKey(documentStorageKey: string): string {
  return `${documentStorageKey}${SUFFIX}`;
}

export function isThumbnailStorageKey(storageKey: string): boolean {
  return storageKey.endsWith(SUFFIX);
}
