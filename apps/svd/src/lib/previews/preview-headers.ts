import { contentDisposition } from '../documents/content-disposition';

/**
 * The policy of every preview response (the document itself, never a page of ours): `sandbox` gives it an opaque
 * origin with scripts, forms and plugins' scripting off, so even a file that got past the type checks could not
 * act as SVD; nothing loads from anywhere (`default-src 'none'`) but images of its own (the browser's image
 * page) and inline styles (its own wrapper page's); `plugin-types` is the CSP 2 way of naming the PDF viewer
 * (ignored by today's browsers). `frame-ancestors 'self'`: only SVD's own preview dialog may frame it — it also
 * overrides the app-wide X-Frame-Options DENY there. Chromium's PDF viewer renders under this policy (checked in
 * the preview browser test).
 */
export const PREVIEW_CSP =
  "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; plugin-types application/pdf; frame-ancestors 'self'";

/** The headers of a preview: its sniffed type, inline under a safe file name, never sniffed again or cached. */
export function previewHeaders(preview: {
  name: string;
  contentType: string;
  sizeBytes: number;
  truncated: boolean;
}): Record<string, string> {
  return {
    'content-type': preview.contentType,
    'content-length': String(preview.sizeBytes),
    'content-disposition': contentDisposition(preview.name, 'inline'),
    'content-security-policy': PREVIEW_CSP,
    'x-content-type-options': 'nosniff',
    'cross-origin-resource-policy': 'same-origin',
    'cache-control': 'private, no-store',
    ...(preview.truncated ? { 'x-preview-truncated': 'true' } : {}),
  };
}
