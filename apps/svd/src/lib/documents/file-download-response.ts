import { Readable } from 'node:stream';
import { contentDisposition } from './content-disposition';

/**
 * A decrypted file as the browser's download (a document, a former version, a shared document): always an
 * attachment of type octet-stream, so a stored HTML or SVG file can never run in SVD's origin, nosniff and never
 * cached. `headers` adds to them (a share link's no-referrer). The body streams as the caller's Readable does: an
 * error in it (later damage) errors the response, and Next.js destroys it, so the client sees a failed transfer.
 */
export function fileDownloadResponse(
  file: { name: string; sizeBytes: number; body: Readable },
  headers: Record<string, string> = {},
): Response {
  return new Response(Readable.toWeb(file.body) as ReadableStream, {
    headers: {
      'content-type': 'application/octet-stream',
      'content-length': String(file.sizeBytes),
      'content-disposition': contentDisposition(file.name),
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
      ...headers,
    },
  });
}
