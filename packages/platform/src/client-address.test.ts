import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiHandler } from './api-handler';
import {
  addressBucket,
  clientAddressHeader,
  clientAddressOf,
  normalizeAddress,
  resolveClientAddress,
  ZTrustedProxyHopsSchema,
} from './client-address';
import type { TLogger } from './logger';
import { serveOverHttp, type TServedOverHttp } from './testing/serve-over-http';

const PEER = '198.51.100.7';
const manySpoofed = Array.from({ length: 500 }, (_, i) => `10.${i % 250}.0.1`).join(', ');

// [label, X-Forwarded-For as it reaches the app, hops, expected client address]
const TABLE: [string, string | null, number, string | null][] = [
  ['hops 0: no header → the peer', null, 0, PEER],
  ['hops 0: a forged header is ignored', '203.0.113.9', 0, PEER],
  ['hops 0: a forged list is ignored', '203.0.113.9, 192.0.2.1', 0, PEER],
  ['hops 1: the entry our proxy appended', '203.0.113.9', 1, '203.0.113.9'],
  ['hops 1: spoofed first entries are ignored', '6.6.6.6, 7.7.7.7, 203.0.113.9', 1, '203.0.113.9'],
  ['hops 1: hundreds of spoofed entries', `${manySpoofed}, 203.0.113.9`, 1, '203.0.113.9'],
  ['hops 1: no header → the peer', null, 1, PEER],
  ['hops 1: an empty header → the peer', '', 1, PEER],
  ['hops 1: whitespace only → the peer', '  ', 1, PEER],
  ['hops 1: garbage where the proxy writes → unknown', 'not-an-address', 1, null],
  ['hops 1: spoofed address before garbage → unknown', '203.0.113.9, garbage', 1, null],
  ['hops 1: empty last entry → unknown', '203.0.113.9, ', 1, null],
  ['hops 1: "unknown" → unknown', 'unknown', 1, null],
  ['hops 1: octet out of range', '256.1.1.1', 1, null],
  ['hops 1: leading zero (octal in some parsers)', '010.1.1.1', 1, null],
  ['hops 1: IPv4 with a port', '203.0.113.9:51234', 1, '203.0.113.9'],
  ['hops 1: IPv6, upper case, normalized', '2001:DB8:0:0::1', 1, '2001:db8::1'],
  ['hops 1: bracketed IPv6 with a port', '[2001:db8::1]:443', 1, '2001:db8::1'],
  ['hops 1: IPv4-mapped IPv6 → IPv4', '::ffff:203.0.113.9', 1, '203.0.113.9'],
  ['hops 1: IPv6 with a zone', 'fe80::1%eth0', 1, 'fe80::1'],
  ['hops 1: malformed IPv6', '2001:db8:::1', 1, null],
  ['hops 1: a host name', 'evil.test', 1, null],
  ['hops 1: NUL inside', '203.0.113.9\u0000', 1, null],
  ['hops 1: an absurdly long entry', '1'.repeat(5000), 1, null],
  ['hops 2: the outer proxy’s entry', '6.6.6.6, 203.0.113.9, 10.0.0.2', 2, '203.0.113.9'],
  [
    'hops 2: spoofed entries before it are ignored',
    '1.1.1.1, 2.2.2.2, 203.0.113.9, 10.0.0.2',
    2,
    '203.0.113.9',
  ],
  ['hops 2: fewer entries than hops → the peer', '203.0.113.9', 2, PEER],
  ['hops 2: no header → the peer', null, 2, PEER],
  ['hops 2: garbage at the outer proxy’s position', 'x, garbage, 10.0.0.2', 2, null],
  ['hops 2: IPv6 client', '2001:db8::42, 10.0.0.2', 2, '2001:db8::42'],
];

describe('resolveClientAddress (TRUSTED_PROXY_HOPS)', () => {
  it.each(TABLE)('%s', (_label, forwardedFor, hops, expected) => {
    expect(resolveClientAddress({ forwardedFor, peerAddress: PEER, hops })).toBe(expected);
  });

  it('uses the peer in its IPv4 form when the socket reports it IPv4-mapped', () => {
    expect(resolveClientAddress({ forwardedFor: null, peerAddress: '::ffff:127.0.0.1', hops: 0 })).toBe(
      '127.0.0.1',
    );
    expect(resolveClientAddress({ forwardedFor: null, peerAddress: undefined, hops: 0 })).toBeNull();
  });

  it.each([
    ['203.0.113.9', '203.0.113.9'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
  ])('counts %s in the bucket %s', (address, bucket) => {
    expect(addressBucket(normalizeAddress(address))).toBe(bucket);
  });

  it('counts the unknown client in one shared bucket', () => {
    expect(addressBucket(null)).toBe('unknown');
  });

  it.each([
    [undefined, 0],
    ['0', 0],
    ['2', 2],
  ])('reads TRUSTED_PROXY_HOPS=%s as %i', (value, hops) => {
    expect(ZTrustedProxyHopsSchema.parse(value)).toBe(hops);
  });

  it.each(['-1', '1.5', 'two', '17'])('refuses TRUSTED_PROXY_HOPS=%s', (value) => {
    expect(ZTrustedProxyHopsSchema.safeParse(value).success).toBe(false);
  });
});

describe('the client address over real sockets (the recorder next start runs behind)', () => {
  const servers: Record<string, TServedOverHttp> = {};
  const echo = async (request: Request) => Response.json({ address: clientAddressOf(request.headers) });

  beforeAll(async () => {
    for (const hops of [0, 1, 2]) {
      servers[`v4-${hops}`] = await serveOverHttp(echo, { hops, origin: 'http://localhost:3000' });
      servers[`v6-${hops}`] = await serveOverHttp(echo, {
        hops,
        origin: 'http://localhost:3000',
        host: '::1',
      });
    }
  });

  afterAll(async () => {
    await Promise.all(Object.values(servers).map((server) => server.close()));
  });

  async function addressFrom(server: string, headers: Record<string, string>): Promise<string | null> {
    const response = await fetch(`${servers[server]?.url}/`, { headers });
    return (await response.json()).address;
  }

  it.each([
    ['v4-0', {}, '127.0.0.1'],
    ['v4-0', { 'x-forwarded-for': '203.0.113.9' }, '127.0.0.1'],
    ['v4-0', { 'x-forwarded-for': '203.0.113.9, 192.0.2.1', 'x-real-ip': '192.0.2.2' }, '127.0.0.1'],
    ['v6-0', { 'x-forwarded-for': '203.0.113.9' }, '::1'],
    ['v4-1', {}, '127.0.0.1'],
    ['v4-1', { 'x-forwarded-for': '6.6.6.6, 203.0.113.9' }, '203.0.113.9'],
    ['v4-1', { 'x-forwarded-for': 'garbage' }, null],
    ['v6-1', { 'x-forwarded-for': '6.6.6.6, 2001:DB8::9' }, '2001:db8::9'],
    ['v4-2', { 'x-forwarded-for': '203.0.113.9' }, '127.0.0.1'],
    ['v4-2', { 'x-forwarded-for': '6.6.6.6, 203.0.113.9, 10.0.0.2' }, '203.0.113.9'],
    ['v6-2', { 'x-forwarded-for': '203.0.113.9' }, '::1'],
  ])('%s with %j → %s', async (server, headers, expected) => {
    expect(await addressFrom(server, headers)).toBe(expected);
  });

  it('overwrites the stamp header even when a client names it', async () => {
    const header = clientAddressHeader();
    expect(await addressFrom('v4-0', { [header]: '203.0.113.66' })).toBe('127.0.0.1');
    expect(await addressFrom('v4-1', { [header]: '203.0.113.66', 'x-forwarded-for': 'garbage' })).toBeNull();
  });

  it('ignores the stamp on a request no server stamped', () => {
    expect(clientAddressOf(new Headers({ 'x-forwarded-for': '203.0.113.9' }))).toBeNull();
  });
});

describe('the request log line', () => {
  it.each([
    [0, '203.0.113.9', '127.0.0.1'],
    [1, '6.6.6.6, 203.0.113.9', '203.0.113.9'],
    [1, 'garbage', 'unknown'],
  ])('with hops %i and X-Forwarded-For %j records the address %s', async (hops, forwardedFor, expected) => {
    const lines: Record<string, unknown>[] = [];
    const capture = {
      child: () => capture,
      info: (fields: Record<string, unknown>) => lines.push(fields),
      error: () => {},
    } as unknown as TLogger;
    const route = createApiHandler(capture)(async () => Response.json({ ok: true }));
    const server = await serveOverHttp((request) => route(request, { params: Promise.resolve({}) }), {
      hops,
      origin: 'http://localhost:3000',
    });
    try {
      await fetch(`${server.url}/api/x`, { headers: { 'x-forwarded-for': forwardedFor } });
    } finally {
      await server.close();
    }
    expect(lines).toEqual([expect.objectContaining({ path: '/api/x', address: expected })]);
  });
});
