import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Emulator } from './core';
import { handleApi, sendJson } from './http/api';
import { handleControl } from './http/control';
import { handlePage } from './http/pages';
import { Router } from './http/router';
import { newId } from './ids';
import { page } from './pages/layout';
import { registerApi } from './resources';
import { loadSdkSchemas } from './schema/load-sdk-schemas';
import { createRequestValidator, type RequestValidator } from './schema/validate-request';

const MAX_BODY = 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function route(
  emulator: Emulator,
  router: Router,
  validate: RequestValidator,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const requestId = newId('req', 14);
  res.setHeader('request-id', requestId);
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = req.method ?? 'GET';
  const raw = await readBody(req);
  if (url.pathname.startsWith('/v1/')) {
    const { latencyMs, unavailable } = emulator.faults;
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    // A client that gave up (its timeout) has closed the socket: nothing to answer, and nothing is done for it.
    if (res.destroyed || req.socket.destroyed) return;
    if (unavailable) {
      sendJson(res, {
        status: 503,
        headers: {},
        body: JSON.stringify({
          error: { type: 'api_error', message: 'The emulator is switched to unavailable (drill).' },
        }),
      });
      return;
    }
    sendJson(res, handleApi(emulator, router, validate, req, url, raw, requestId));
    return;
  }
  if (url.pathname.startsWith('/_emulator/')) {
    const result = await handleControl(emulator, method, url.pathname, raw, req.headers['content-type']);
    res.writeHead(result.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(result.body, null, 2));
    return;
  }
  const pageResponse = handlePage(emulator, method, url, raw);
  if (pageResponse) {
    res.writeHead(pageResponse.status, pageResponse.headers);
    res.end(pageResponse.body);
    return;
  }
  if (url.pathname === '/') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      page(
        'Stripe emulator',
        `<main class="wrap single"><div class="card"><h1>Stripe emulator</h1><p class="muted">API version ${emulator.apiVersion}. Point the SDK at this host; see the package README for the control API.</p></div></main>`,
      ),
    );
    return;
  }
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('Not found');
}

export function createEmulatorServer(emulator: () => Emulator): Server {
  const router = registerApi(new Router());
  // Parameters are held to the installed SDK's declared types (generated once, then cached).
  const validate = createRequestValidator(loadSdkSchemas({ operations: router.operations() }));
  const server = createServer((req, res) => {
    route(emulator(), router, validate, req, res).catch((error: unknown) => {
      console.error('[stripe-emulator] request failed', error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { type: 'api_error', message: 'An unknown error occurred' } }));
    });
  });
  // The SDK keeps sockets alive; outliving its idle sockets avoids resets when one is reused just as we close it.
  server.keepAliveTimeout = 75_000;
  server.headersTimeout = 80_000;
  return server;
}
