import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApiRoute } from './api-route';
import type { TLogger } from './logger';
import { CROSS_SITE_MESSAGE, isAllowedOrigin } from './request-origin';
import { securityHeaders } from './security-headers';

const OWN = 'http://localhost:3000';
const HUB = 'http://localhost:3100';
const silent = { child: () => silent, info: () => {}, error: () => {}, warn: () => {} } as unknown as TLogger;
const none = { params: Promise.resolve({}) };

/** Headers a browser (or a forger) may send; `null` leaves a header out. */
type THeaders = { origin?: string | null; site?: string | null; type?: string | null };

function request(method: string, headers: THeaders, body: string | null = '{"name":"x"}') {
  const h = new Headers();
  if (headers.origin) h.set('origin', headers.origin);
  if (headers.site) h.set('sec-fetch-site', headers.site);
  const type = headers.type === undefined ? 'application/json' : headers.type;
  const init: RequestInit = { method, headers: h };
  if (method !== 'GET' && method !== 'HEAD' && body !== null) init.body = body;
  const built = new Request(`${OWN}/api/thing`, init);
  // A string body makes Request add text/plain itself: set (or remove) the type exactly as the row says.
  if (type === null) built.headers.delete('content-type');
  else built.headers.set('content-type', type);
  return built;
}

const apiRoute = createApiRoute({
  logger: silent,
  ownOrigin: () => OWN,
  resolveSession: async (r) => (r.headers.get('cookie') === 'session=ok' ? { userId: 'u1' } : null),
  unauthorizedMessage: 'Not signed in.',
});

const jsonRoute = apiRoute({ auth: false, body: z.object({ name: z.string() }) }, async ({ body }) =>
  Response.json({ name: body.name }),
);

describe('the origin rule (issue 9 §3)', () => {
  // [what, method, headers, allowed]
  const table: [string, string, THeaders, boolean][] = [
    ['own origin, same-origin fetch', 'POST', { origin: OWN, site: 'same-origin' }, true],
    ['own origin, no Sec-Fetch-Site (older browser)', 'POST', { origin: OWN }, true],
    ['no headers at all (curl, server-to-server)', 'POST', {}, true],
    [
      'own form from a no-referrer page (Origin: null, same-origin)',
      'POST',
      { origin: 'null', site: 'same-origin' },
      true,
    ],
    ['typed by the user (none)', 'POST', { origin: OWN, site: 'none' }, true],
    ['foreign origin', 'POST', { origin: 'https://evil.test' }, false],
    [
      'foreign origin claiming same-origin',
      'POST',
      { origin: 'https://evil.test', site: 'same-origin' },
      false,
    ],
    ['null origin without Sec-Fetch-Site (sandboxed frame)', 'POST', { origin: 'null' }, false],
    ['null origin, cross-site', 'POST', { origin: 'null', site: 'cross-site' }, false],
    ['look-alike host', 'POST', { origin: 'http://localhost:3000.evil.test' }, false],
    ['own host as userinfo', 'POST', { origin: 'http://localhost:3000@evil.test' }, false],
    ['other port', 'POST', { origin: 'http://localhost:3001' }, false],
    ['https instead of http', 'POST', { origin: 'https://localhost:3000' }, false],
    ['trailing slash', 'POST', { origin: `${OWN}/` }, false],
    ['upper-case host', 'POST', { origin: 'http://LOCALHOST:3000' }, false],
    ['Sec-Fetch-Site cross-site, no Origin', 'POST', { site: 'cross-site' }, false],
    [
      'Sec-Fetch-Site cross-site with our own Origin (forged)',
      'POST',
      { origin: OWN, site: 'cross-site' },
      false,
    ],
    ['same-site from another origin (a sibling app)', 'POST', { origin: HUB, site: 'same-site' }, false],
    ['unknown Sec-Fetch-Site value', 'POST', { origin: OWN, site: 'sideways' }, false],
    ['PUT from a foreign origin', 'PUT', { origin: 'https://evil.test' }, false],
    ['PATCH from a foreign origin', 'PATCH', { origin: 'https://evil.test' }, false],
    ['DELETE cross-site', 'DELETE', { site: 'cross-site' }, false],
    ['GET from a foreign origin (a read)', 'GET', { origin: 'https://evil.test', site: 'cross-site' }, true],
  ];

  it.each(table)('%s → allowed: %s', (_what, method, headers, allowed) => {
    expect(isAllowedOrigin(request(method, headers), { own: OWN })).toBe(allowed);
  });

  it('lets a route allow exactly one other origin (the hand-off), and nothing like it', () => {
    const policy = { own: OWN, others: [HUB] };
    const post = (headers: THeaders) => isAllowedOrigin(request('POST', headers), policy);
    expect(post({ origin: HUB, site: 'same-site' })).toBe(true);
    expect(post({ origin: HUB, site: 'cross-site' })).toBe(true);
    expect(post({ origin: HUB })).toBe(true);
    // The Hub's launch page is no-referrer, so Chromium serializes its origin as "null" on the form post.
    expect(post({ origin: 'null', site: 'same-site' })).toBe(true);
    expect(post({ origin: 'https://evil.test', site: 'cross-site' })).toBe(false);
    expect(post({ origin: 'http://localhost:3100.evil.test', site: 'cross-site' })).toBe(false);
    expect(post({ origin: 'http://localhost:3102', site: 'same-site' })).toBe(false);
    expect(post({ site: 'cross-site' })).toBe(false);
  });
});

describe('apiRoute', () => {
  it('answers a refused origin with 403 FORBIDDEN before reading anything', async () => {
    const response = await jsonRoute(
      request('POST', { origin: 'https://evil.test', site: 'cross-site' }),
      none,
    );
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: { code: 'FORBIDDEN', message: CROSS_SITE_MESSAGE } });
    expect(response.headers.get('x-request-id')).toBeTruthy();
  });

  // [content type, status]
  const types: [string | null, number][] = [
    ['application/json', 200],
    ['application/json;charset=utf-8', 200],
    ['application/json; charset=UTF-8', 200],
    ['Application/JSON', 200],
    ['text/plain', 415],
    ['text/plain;charset=UTF-8', 415],
    ['application/x-www-form-urlencoded', 415],
    ['multipart/form-data; boundary=x', 415],
    ['application/json-patch+json', 415],
    ['application/jsonx', 415],
    [null, 415],
  ];

  it.each(types)('a JSON body sent as %s → %i', async (type, status) => {
    const response = await jsonRoute(request('POST', { origin: OWN, site: 'same-origin', type }), none);
    expect(response.status).toBe(status);
    if (status === 415) expect((await response.json()).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('lets a bodiless route take no body or JSON, nothing else', async () => {
    const route = apiRoute({ auth: false }, async () => new Response(null, { status: 204 }));
    const del = (type: string | null, body: string | null) =>
      route(request('DELETE', { origin: OWN, type }, body), none).then((r) => r.status);
    expect(await del(null, null)).toBe(204);
    expect(await del('application/json', '{}')).toBe(204);
    expect(await del('text/plain', 'x')).toBe(415);
    expect(await del('application/x-www-form-urlencoded', 'a=b')).toBe(415);
  });

  it('takes forms only on a form route, and any body type on a raw one (uploads)', async () => {
    const form = apiRoute({ auth: false, body: 'form' }, async () => new Response(null, { status: 204 }));
    const raw = apiRoute({ auth: false, body: 'raw' }, async () => new Response(null, { status: 204 }));
    const post = (route: typeof form, type: string | null) =>
      route(request('POST', { origin: OWN, type }, 'a=b'), none).then((r) => r.status);
    expect(await post(form, 'application/x-www-form-urlencoded')).toBe(204);
    expect(await post(form, 'multipart/form-data; boundary=x')).toBe(204);
    expect(await post(form, 'text/plain')).toBe(415);
    expect(await post(raw, 'text/plain')).toBe(204);
    expect(await post(raw, 'application/pdf')).toBe(204);
    // The origin rule holds for raw bodies too: the upload route sits outside the proxy.
    const foreign = await raw(
      request('POST', { origin: 'https://evil.test', type: 'application/pdf' }),
      none,
    );
    expect(foreign.status).toBe(403);
  });

  it('answers 401 with the one message without a session, and hands the session to the handler', async () => {
    const route = apiRoute({}, async ({ session }) => Response.json(session));
    const anonymous = await route(request('GET', {}), none);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: 'Not signed in.' } });
    const signedIn = new Request(`${OWN}/api/thing`, { headers: { cookie: 'session=ok' } });
    expect(await (await route(signedIn, none)).json()).toEqual({ userId: 'u1' });
    const optional = apiRoute({ auth: 'optional' }, async ({ session }) => Response.json({ session }));
    expect(await (await optional(request('GET', {}), none)).json()).toEqual({ session: null });
  });

  it('checks the origin before the session, and the content type before the session', async () => {
    const route = apiRoute({ body: z.object({}) }, async () => Response.json({}));
    expect((await route(request('POST', { origin: 'https://evil.test' }), none)).status).toBe(403);
    expect((await route(request('POST', { origin: OWN, type: 'text/plain' }), none)).status).toBe(415);
    expect((await route(request('POST', { origin: OWN }), none)).status).toBe(401);
  });

  it('validates params, query and body with their schemas (400 naming the field)', async () => {
    const route = apiRoute(
      {
        auth: false,
        params: z.object({ id: z.string().uuid('No such thing.') }),
        query: z.object({ sort: z.enum(['name', 'date']).default('name') }),
        body: z.object({ name: z.string().min(1, 'Give it a name.') }),
      },
      async ({ params, query, body }) => Response.json({ params, query, body }),
    );
    const id = '6b9f3c1e-8a5d-4c2b-9f1e-2d3c4b5a6978';
    const call = (pathQuery: string, paramsId: string, body: string) =>
      route(
        new Request(`${OWN}/api/thing${pathQuery}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: OWN },
          body,
        }),
        { params: Promise.resolve({ id: paramsId }) },
      );
    const ok = await call('?sort=date', id, '{"name":"a"}');
    expect(await ok.json()).toEqual({ params: { id }, query: { sort: 'date' }, body: { name: 'a' } });
    const badId = await call('', 'nope', '{"name":"a"}');
    expect(badId.status).toBe(400);
    expect((await badId.json()).error.message).toBe('No such thing.');
    expect((await call('?sort=size', id, '{"name":"a"}')).status).toBe(400);
    const badBody = await call('', id, '{"name":""}');
    expect((await badBody.json()).error.message).toBe('name: Give it a name.');
    expect((await call('', id, '{"name":')).status).toBe(400);
  });

  it('gives an html route (outside the proxy) the app’s security headers with a fresh nonce on every answer', async () => {
    const policy = { self: 'https://hub.test', formTargets: ['https://svd.test'], development: false };
    const htmlRoute = createApiRoute({
      logger: silent,
      ownOrigin: () => 'https://hub.test',
      resolveSession: async () => null,
      unauthorizedMessage: 'Not signed in.',
      securityPolicy: () => policy,
    });
    const page = htmlRoute(
      { auth: false, html: true },
      async ({ nonce }) =>
        new Response(`<script nonce="${nonce}">1</script>`, { headers: { 'content-type': 'text/html' } }),
    );
    // Response.redirect's headers are immutable: the route answers a copy with them.
    const redirect = htmlRoute({ auth: false, html: true }, async () =>
      Response.redirect('https://hub.test/login', 303),
    );
    const nonces = new Set<string>();
    for (const route of [page, page, redirect]) {
      const response = await route(new Request('https://hub.test/launch/x'), none);
      const csp = response.headers.get('content-security-policy') ?? '';
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1] ?? '';
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      nonces.add(nonce);
      const expected = securityHeaders(nonce, policy);
      for (const [name, value] of Object.entries(expected))
        expect(response.headers.get(name), name).toBe(value);
      expect(response.headers.get('strict-transport-security')).toContain('max-age=63072000');
      if (route === page) expect(await response.text()).toBe(`<script nonce="${nonce}">1</script>`);
      else expect(response.headers.get('location')).toBe('https://hub.test/login');
    }
    expect(nonces.size).toBe(3);
    // A JSON route gets neither (its headers come from next.config.ts; it runs no script).
    const json = await jsonRoute(request('POST', { origin: OWN, site: 'same-origin' }), none);
    expect(json.headers.get('content-security-policy')).toBeNull();
    // An html route in an app that gave no policy fails loudly instead of answering without one.
    const noPolicy = apiRoute({ auth: false, html: true }, async () => new Response('x'));
    expect((await noPolicy(new Request(`${OWN}/launch/x`), none)).status).toBe(500);
  });
});
