import { PREVIEWABLE_TYPES } from '../previews/preview-kind';
import type { TSniffedType } from '../previews/sniff-file-type';

/**
 * The stored types a thumbnail is made of, and what their bytes must sniff as: the previewable ones but plain
 * text (a picture of text says nothing at list size).
 */
export const THUMBNAIL_SOURCE_TYPES: Readonly<Record<string, TSniffedType>> = Object.fromEntries(
  Object.entries(PREVIEWABLE_TYPES).filter(([, kind]) => kind !== 'text'),
);

/** Whether a document of this stored type gets a thumbnail (the job then checks its bytes). */
export function mayHaveThumbnail(mimeType: string): boolean {
  return Object.hasOwn(THUMBNAIL_SOURCE_TYPES, (mimeType.split(';')[0] ?? '').trim().toLowerCase());
}

/** Thumbnails fit in this square (CSS pixels ×2 for sharp screens in a 32-128 px list cell). */
export const THUMBNAIL_SIZE = 256;
