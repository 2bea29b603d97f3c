import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline, Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';

type TRouteHandler = (
  request: Request,
  context: { params: Promise<Record<string, unknown>> },
) => Promise<Response>;

/** Which handler answers a path, with the params Next.js would pass it; null for 404. */
export type TRouteTable = (
  method: string,
  pathname: string,
) => { handler: TRouteHandler; params: Record<string, unknown> } | null;

export interface TRouteServer {
  /** Where to send requests (127.0.0.1 and a free port). */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves route handlers over real HTTP, as `next start` does for them: the request body arrives as the socket's
 * stream (a client that cuts the connection errors it mid-way), the response streams back. Requests are built
 * on `origin` (the app's SVD_URL), so the routes see the URLs they would in production.
 */
export async function serveRoutes(routes: TRouteTable, origin: string): Promise<TRouteServer> {
  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', origin);
      const route = routes(req.method ?? 'GET', url.pathname);
      if (!route) {
        res.writeHead(404).end();
        return;
      }
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
      const request = new Request(url, {
        method: req.method,
        headers,
        body: hasBody ? (Readable.toWeb(req) as ReadableStream) : undefined,
        duplex: 'half',
      } as RequestInit);
      const response = await route.handler(request, { params: Promise.resolve(route.params) });
      res.writeHead(response.status, Object.fromEntries(response.headers));
      if (response.body && req.method !== 'HEAD') {
        // pipeline destroys the response when the body errors, as Next.js does (its writer's abort calls
        // res.destroy): the client sees the transfer fail instead of waiting on a response that never ends.
        pipeline(Readable.fromWeb(response.body as NodeReadableStream), res, () => {});
      } else {
        res.end();
      }
    } catch (error) {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
