import { sniffFileType, type TSniffedType } from './sniff-file-type';

/** The stored media types that may be previewed, each with the one type its bytes must sniff as. */
export const PREVIEWABLE_TYPES: Readonly<Record<string, TSniffedType>> = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/pjpeg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'text/plain': 'text',
};

/** What a preview is served as: never the stored type (the uploader chose it), only one of these. */
export const PREVIEW_CONTENT_TYPES: Readonly<Record<TSniffedType, string>> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  text: 'text/plain; charset=utf-8',
};

/** Whether a stored media type is one SVD may preview (the bytes still have to agree): the UI offers it. */
export function mayPreview(mimeType: string): boolean {
  return Object.hasOwn(PREVIEWABLE_TYPES, normalize(mimeType));
}

/**
 * The kind a document is previewed as, or null: only when the stored media type is a previewable one AND the
 * first bytes prove that same type. A lie either way — HTML stored as application/pdf or image/png, a PDF
 * stored as text/html, an SVG called .png — gets no preview, so nothing the uploader controls can make SVD
 * serve markup inline.
 */
export function previewKindOf(mimeType: string, head: Uint8Array): TSniffedType | null {
  const expected = PREVIEWABLE_TYPES[normalize(mimeType)];
  if (!expected) return null;
  return sniffFileType(head) === expected ? expected : null;
}

function normalize(mimeType: string): string {
  return (mimeType.split(';')[0] ?? '').trim().toLowerCase();
}
