import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { recordClientAddresses } from '../client-address-recorder';

export interface TServedOverHttp {
  /** Where to send requests (a real socket on the loopback interface). */
  url: string;
  close: () => Promise<void>;
}

function toRequest(message: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(message.headers)) {
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value])
      headers.append(name, one);
  }
  const hasBody = message.method !== 'GET' && message.method !== 'HEAD';
  return new Request(new URL(message.url ?? '/', origin), {
    method: message.method,
    headers,
    body: hasBody ? (Readable.toWeb(message) as ReadableStream<Uint8Array>) : undefined,
    duplex: 'half',
  } as RequestInit);
}

/**
 * Serves route handlers on a real HTTP server, as `next start` would: every request passes through the same
 * client-address recorder (with `hops`), so tests exercise forged headers against real sockets. The handler sees
 * URLs on `origin` (the app's configured URL), as behind a proxy that keeps the Host.
 */
export async function serveOverHttp(
  handler: (request: Request) => Promise<Response>,
  options: { hops: number; origin: string; host?: '127.0.0.1' | '::1' },
): Promise<TServedOverHttp> {
  const server = createServer((message, reply) => {
    handler(toRequest(message, options.origin))
      .then(async (response) => {
        const cookies = response.headers.getSetCookie();
        response.headers.forEach((value, name) => {
          if (name !== 'set-cookie') reply.setHeader(name, value);
        });
        if (cookies.length > 0) reply.setHeader('set-cookie', cookies);
        reply.statusCode = response.status;
        reply.end(Buffer.from(await response.arrayBuffer()));
      })
      .catch((error: unknown) => {
        reply.statusCode = 599;
        reply.end(String(error));
      });
  });
  const stopRecording = recordClientAddresses({ hops: options.hops, server });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: async () => {
      stopRecording();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
