import type { Readable } from 'node:stream';
import { contentDisposition } from './content-disposition';

/**
 * The body as a web stream that hands on the Readable's own chunks. Readable.toWeb copies every chunk into a new
 * Uint8Array (so none is a slice of Buffer's shared pool), a second allocation and copy of the whole file per
 * download; the decrypted chunks own their memory (decipher output, or one buffer per released batch), so only a
 * chunk that is a slice of a larger buffer (a small one from the pool) is copied here. Pulled a chunk at a time,
 * so the file never gathers in memory; an error in the Readable errors this stream (Next.js then destroys the
 * response), and a client that goes away cancels it, which destroys the Readable.
 */
function webStreamOf(body: Readable): ReadableStream<Uint8Array> {
  const chunks = body[Symbol.asyncIterator]();
  // The default strategy keeps one chunk ready, so the next is decrypted while the response writes this one.
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) return controller.close();
      const chunk = next.value as Uint8Array;
      controller.enqueue(chunk.byteLength === chunk.buffer.byteLength ? chunk : new Uint8Array(chunk));
    },
    async cancel() {
      await chunks.return?.();
    },
  });
}

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
  return new Response(webStreamOf(file.body), {
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
