import diagnostics from 'node:diagnostics_channel';
import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import { clientAddressHeader, resolveClientAddress } from './client-address';

const CHANNEL = 'http.server.request.start';
const INSTALLED = Symbol.for('omg.platform.client-address-recorder');

interface TRequestStart {
  request: IncomingMessage;
  socket: Socket;
  server: Server;
}

/**
 * Stamps every incoming request with the client's address (clientAddressHeader()), resolved from the socket's
 * peer and `X-Forwarded-For` under TRUSTED_PROXY_HOPS. Next.js 16 gives route handlers no socket: `next start` only
 * fills `X-Forwarded-For` with the peer when the request has none, and passes a client's own header through
 * untouched (checked against `next start`; see README). Node publishes each request on this diagnostics channel
 * with its socket before Next.js sees it, so the stamp is the one place the peer is known. With `server`, only that
 * server's requests (tests run several); without, every server in the process, once.
 */
export function recordClientAddresses(options: { hops: number; server?: Server }): () => void {
  const holder = globalThis as { [INSTALLED]?: boolean };
  if (!options.server) {
    if (holder[INSTALLED]) return () => {};
    holder[INSTALLED] = true;
  }
  const header = clientAddressHeader();
  const stamp = (message: unknown) => {
    const { request, socket, server } = message as TRequestStart;
    if (options.server && server !== options.server) return;
    const forwarded = request.headers['x-forwarded-for'];
    const address = resolveClientAddress({
      forwardedFor: Array.isArray(forwarded) ? forwarded.join(', ') : forwarded,
      peerAddress: socket.remoteAddress,
      hops: options.hops,
    });
    if (address) request.headers[header] = address;
    else delete request.headers[header];
  };
  diagnostics.subscribe(CHANNEL, stamp);
  return () => {
    diagnostics.unsubscribe(CHANNEL, stamp);
    if (!options.server) holder[INSTALLED] = false;
  };
}
