import { once } from 'node:events';
import http from 'node:http';

export interface TTusResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The request was cut by the client (cutAfterBytes) before any answer. */
  cut: boolean;
}

export interface TTusRequestOptions {
  headers?: Record<string, string>;
  body?: Buffer | AsyncIterable<Buffer>;
  /**
   * Destroys the connection once this many body bytes were written and have had `cutPauseMs` (default 500) to
   * reach the server: a dropped upload. Bytes still in flight when a connection drops are lost for good, so the
   * pause makes the server's offset after the cut predictable.
   */
  cutAfterBytes?: number;
  cutPauseMs?: number;
}

/** tus Upload-Metadata: `key base64(value)` pairs, comma-separated. */
export function tusMetadata(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([key, value]) => `${key} ${Buffer.from(value).toString('base64')}`)
    .join(',');
}

/** One raw tus request over HTTP (Tus-Resumable set), with the body streamed under backpressure. */
export async function tusRequest(
  base: string,
  method: string,
  path: string,
  options: TTusRequestOptions = {},
): Promise<TTusResponse> {
  const request = http.request(new URL(path, base), {
    method,
    // A connection of its own: a refused request's unread body must not reach the next request on a reused one.
    agent: false,
    headers: { 'tus-resumable': '1.0.0', ...options.headers },
  });
  const answered = new Promise<http.IncomingMessage>((resolve, reject) => {
    request.once('response', resolve);
    request.once('error', reject);
  });
  answered.catch(() => {});
  let written = 0;
  if (options.body) {
    const chunks = Buffer.isBuffer(options.body) ? [options.body] : options.body;
    for await (let chunk of chunks) {
      if (options.cutAfterBytes !== undefined && written + chunk.length >= options.cutAfterBytes) {
        chunk = chunk.subarray(0, options.cutAfterBytes - written);
        await new Promise<void>((resolve) => request.write(chunk, () => resolve()));
        await new Promise((resolve) => setTimeout(resolve, options.cutPauseMs ?? 500));
        request.destroy();
        return { status: 0, headers: {}, body: '', cut: true };
      }
      written += chunk.length;
      if (!request.write(chunk)) await Promise.race([once(request, 'drain'), answered]);
    }
  }
  request.end();
  const response = await answered;
  const parts: Buffer[] = [];
  for await (const part of response) parts.push(part as Buffer);
  return {
    status: response.statusCode ?? 0,
    headers: response.headers,
    body: Buffer.concat(parts).toString(),
    cut: false,
  };
}
