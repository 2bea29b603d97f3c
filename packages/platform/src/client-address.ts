import { z } from 'zod';

/**
 * How many proxies in front of the app append to `X-Forwarded-For` (TRUSTED_PROXY_HOPS). 0: none, the client
 * is the socket's peer. Every app's env.ts validates it with this schema.
 */
export const ZTrustedProxyHopsSchema = z.coerce
  .number()
  .int('must be a whole number')
  .min(0, 'must be 0 or more')
  .max(16, 'must be 16 or fewer')
  .default(0);

const MAX_ENTRY_LENGTH = 64;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const IPV4_WITH_PORT = /^([\d.]+):\d{1,5}$/;
const BRACKETED_IPV6 = /^\[([^\]]+)\](?::\d{1,5})?$/;
const IPV6_CHARACTERS = /^[0-9a-f:.]+$/;
const MAPPED_IPV4 = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/;

/**
 * One address in canonical form (IPv4 dotted, IPv6 lower-case and compressed, IPv4-mapped IPv6 as IPv4), or null
 * when it is not an address. Proxies sometimes write `1.2.3.4:port`, `[v6]:port` or a zone (`fe80::1%eth0`).
 */
export function normalizeAddress(raw: string): string | null {
  let value = raw.trim().toLowerCase();
  if (value.length === 0 || value.length > MAX_ENTRY_LENGTH) return null;
  const bracketed = BRACKETED_IPV6.exec(value);
  if (bracketed?.[1]) value = bracketed[1];
  const withPort = IPV4_WITH_PORT.exec(value);
  if (withPort?.[1]) value = withPort[1];
  if (IPV4.test(value)) return value;
  value = value.split('%')[0] ?? '';
  if (!value.includes(':') || !IPV6_CHARACTERS.test(value)) return null;
  let canonical: string;
  try {
    // The WHATWG URL parser is a strict IPv6 parser and writes the canonical (RFC 5952) form.
    canonical = new URL(`http://[${value}]/`).hostname.slice(1, -1);
  } catch {
    return null;
  }
  const mapped = MAPPED_IPV4.exec(canonical);
  if (mapped?.[1] && mapped[2]) {
    const high = Number.parseInt(mapped[1], 16);
    const low = Number.parseInt(mapped[2], 16);
    return [high >> 8, high & 255, low >> 8, low & 255].join('.');
  }
  return canonical;
}

/**
 * The client's address under the trusted-hops rule. With `hops` = 0 it is the socket's peer. With N hops, each
 * trusted proxy appended the address it saw, so the Nth entry from the right was written by the outermost trusted
 * proxy; everything to its left came from the client and is ignored (a client can prepend any list it likes, but
 * cannot get past what our proxies append). A header with fewer than N entries did not pass through every proxy:
 * the peer is used. An entry that is not an address at that position means the hops are misconfigured: null
 * (callers treat the client as unknown rather than trust a value the client may have written).
 */
export function resolveClientAddress(input: {
  forwardedFor: string | null | undefined;
  peerAddress: string | null | undefined;
  hops: number;
}): string | null {
  const peer = input.peerAddress ? normalizeAddress(input.peerAddress) : null;
  if (input.hops <= 0) return peer;
  if (!input.forwardedFor?.trim()) return peer;
  const entries = input.forwardedFor.split(',');
  if (entries.length < input.hops) return peer;
  return normalizeAddress(entries[entries.length - input.hops] ?? '');
}

/**
 * The bucket an address is counted in by the rate limits: an IPv4 address itself, an IPv6 address by its /64
 * (one subscriber usually holds a whole /64 and could otherwise rotate through 2^64 addresses).
 */
export function addressBucket(address: string | null): string {
  if (!address) return 'unknown';
  if (!address.includes(':')) return address;
  const [head = '', tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') ? (tail ? tail.split(':') : []) : [];
  const groups = address.includes('::')
    ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
    : address.split(':');
  return `${groups.slice(0, 4).join(':')}::/64`;
}

interface TClientAddressState {
  header: string;
}

const STATE = Symbol.for('omg.platform.client-address');

/**
 * The request header the server stamps with the resolved address (client-address-recorder.ts). Its name is random
 * per process, so no client can send it, not even during the moment at start-up before the recorder listens; it
 * lives on globalThis because Next.js bundles instrumentation and routes separately.
 */
export function clientAddressHeader(): string {
  const holder = globalThis as { [STATE]?: TClientAddressState };
  if (!holder[STATE]) {
    const random = Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) =>
      b.toString(16).padStart(2, '0'),
    );
    holder[STATE] = { header: `x-omg-client-address-${random.join('')}` };
  }
  return holder[STATE].header;
}

/** The client's address as the server resolved it for this request, or null when it could not (or no server did). */
export function clientAddressOf(headers: Headers): string | null {
  const value = headers.get(clientAddressHeader());
  return value ? normalizeAddress(value) : null;
}
