import { randomUUID } from 'node:crypto';
import type { APIRequestContext } from '@playwright/test';
import { newAccount, signUp } from '../fixtures/accounts';
import { launchVault, svdUrl } from '../fixtures/launch';
import { expect, test } from '../fixtures/test';

/**
 * Issue 9 §3 over HTTP against the production builds: every state-changing route of both apps, under a table of
 * origins, Sec-Fetch-Site values and content types. The expectations are written out here, not computed by the
 * code under test.
 */
const hubUrl = process.env.E2E_HUB_URL ?? 'http://localhost:3100';

type TApp = 'hub' | 'svd';
/** json: a JSON body; bodiless: DELETE, no body or JSON; raw: any type but multipart (uploads); form: HTML forms. */
type TKind = 'json' | 'bodiless' | 'raw' | 'form';

interface TRoute {
  app: TApp;
  method: 'POST' | 'PATCH' | 'DELETE';
  path: string;
  kind: TKind;
  body?: string;
  /** Which request context: a signed-in browser's (Hub and SVD cookies), or one without cookies. */
  session: boolean;
  /** The status once a request passes the origin and content-type rules (a harmless refusal by the route). */
  accepted: number;
  /** SVD's /login: the Hub's launch page posts the hand-off to it. */
  handOff?: boolean;
}

const missing = randomUUID();
const ROUTES: TRoute[] = [
  {
    app: 'hub',
    method: 'POST',
    path: '/api/checkout/create-session',
    kind: 'json',
    body: '{}',
    session: true,
    accepted: 400,
  },
  {
    app: 'hub',
    method: 'POST',
    path: '/api/billing/change-plan',
    kind: 'json',
    body: '{}',
    session: true,
    accepted: 400,
  },
  {
    app: 'hub',
    method: 'POST',
    path: '/api/billing/cancel',
    kind: 'json',
    body: '{}',
    session: true,
    accepted: 400,
  },
  // No checkout yet, so no Stripe customer: 404 (the body itself is valid).
  {
    app: 'hub',
    method: 'POST',
    path: '/api/billing/portal',
    kind: 'json',
    body: '{}',
    session: true,
    accepted: 404,
  },
  {
    app: 'hub',
    method: 'POST',
    path: '/api/coupons/validate',
    kind: 'json',
    body: '{}',
    session: false,
    accepted: 400,
  },
  // better-auth's routes, without a session so that no row signs anybody out.
  {
    app: 'hub',
    method: 'POST',
    path: '/api/auth/sign-out',
    kind: 'json',
    body: '{}',
    session: false,
    accepted: 200,
  },
  {
    app: 'hub',
    method: 'POST',
    path: '/api/auth/revoke-sessions',
    kind: 'json',
    body: '{}',
    session: false,
    accepted: 401,
  },
  {
    app: 'hub',
    method: 'POST',
    path: '/api/auth/update-user',
    kind: 'json',
    body: '{}',
    session: false,
    accepted: 401,
  },
  { app: 'svd', method: 'POST', path: '/api/vaults', kind: 'json', body: '{}', session: true, accepted: 400 },
  {
    app: 'svd',
    method: 'PATCH',
    path: `/api/vaults/${missing}`,
    kind: 'json',
    body: '{"name":"x"}',
    session: true,
    accepted: 404,
  },
  {
    app: 'svd',
    method: 'DELETE',
    path: `/api/vaults/${missing}`,
    kind: 'bodiless',
    session: true,
    accepted: 404,
  },
  {
    app: 'svd',
    method: 'PATCH',
    path: `/api/documents/${missing}`,
    kind: 'json',
    body: '{"name":"x"}',
    session: true,
    accepted: 404,
  },
  {
    app: 'svd',
    method: 'DELETE',
    path: `/api/documents/${missing}`,
    kind: 'bodiless',
    session: true,
    accepted: 404,
  },
  // Outside SVD's proxy (it must stream): only apiRoute guards it.
  {
    app: 'svd',
    method: 'POST',
    path: `/api/uploads?vaultId=${missing}&name=a.txt`,
    kind: 'raw',
    body: 'x',
    session: true,
    accepted: 404,
  },
  { app: 'svd', method: 'POST', path: '/logout', kind: 'form', body: '', session: false, accepted: 303 },
  // No token in the form: the hand-off's own "this sign-in link is not valid" page.
  {
    app: 'svd',
    method: 'POST',
    path: '/login',
    kind: 'form',
    body: 'token=',
    session: false,
    accepted: 400,
    handOff: true,
  },
];

const NATURAL_TYPE: Record<TKind, string | null> = {
  json: 'application/json',
  bodiless: null,
  raw: 'text/plain',
  form: 'application/x-www-form-urlencoded',
};

interface TRow {
  name: string;
  origin?: string;
  site?: string;
  /** undefined: the route's natural type. */
  type?: string;
  /** 403 expected; `handOff` rows are the Hub's own launch page posting to SVD's /login, allowed there only. */
  refused: boolean | 'unless-hand-off';
}

function rowsFor(own: string, sibling: string): TRow[] {
  return [
    { name: 'same-origin fetch', origin: own, site: 'same-origin', refused: false },
    { name: 'older browser: own Origin, no Sec-Fetch-Site', origin: own, refused: false },
    { name: 'non-browser client: neither header', refused: false },
    {
      name: 'own form on a no-referrer page (Origin: null, same-origin)',
      origin: 'null',
      site: 'same-origin',
      refused: false,
    },
    { name: 'foreign origin', origin: 'https://evil.test', refused: true },
    { name: 'foreign origin, cross-site', origin: 'https://evil.test', site: 'cross-site', refused: true },
    { name: 'Origin: null alone (sandboxed frame)', origin: 'null', refused: true },
    { name: 'Origin: null, cross-site', origin: 'null', site: 'cross-site', refused: 'unless-hand-off' },
    { name: 'look-alike host', origin: `${own}.evil.test`, refused: true },
    { name: 'own host as userinfo', origin: `${own}@evil.test`, refused: true },
    { name: 'other port (the sibling app)', origin: sibling, refused: 'unless-hand-off' },
    { name: 'https instead of http', origin: own.replace(/^http:/, 'https:'), refused: true },
    { name: 'Sec-Fetch-Site: cross-site without Origin', site: 'cross-site', refused: true },
    {
      name: 'Sec-Fetch-Site: cross-site with our own Origin',
      origin: own,
      site: 'cross-site',
      refused: true,
    },
    {
      name: 'same-site from the sibling app',
      origin: sibling,
      site: 'same-site',
      refused: 'unless-hand-off',
    },
    { name: 'text/plain', origin: own, site: 'same-origin', type: 'text/plain', refused: false },
    {
      name: 'multipart/form-data',
      origin: own,
      site: 'same-origin',
      type: 'multipart/form-data; boundary=x',
      refused: false,
    },
    {
      name: 'x-www-form-urlencoded',
      origin: own,
      site: 'same-origin',
      type: 'application/x-www-form-urlencoded',
      refused: false,
    },
    {
      name: 'application/json;charset=utf-8',
      origin: own,
      site: 'same-origin',
      type: 'application/json;charset=utf-8',
      refused: false,
    },
  ];
}

/** Which explicit content types each kind of route takes (415 otherwise). */
const TAKES: Record<TKind, (type: string) => boolean> = {
  json: (type) => type.startsWith('application/json'),
  bodiless: (type) => type.startsWith('application/json'),
  raw: (type) => !type.startsWith('multipart/'),
  form: (type) => type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/'),
};

function expected(route: TRoute, row: TRow): number {
  const refused = row.refused === 'unless-hand-off' ? !route.handOff : row.refused;
  if (refused) return 403;
  if (row.type !== undefined && !TAKES[route.kind](row.type)) return 415;
  return route.accepted;
}

function send(context: APIRequestContext, route: TRoute, row: TRow) {
  const base = route.app === 'hub' ? hubUrl : svdUrl;
  const headers: Record<string, string> = {};
  if (row.origin) headers.origin = row.origin;
  if (row.site) headers['sec-fetch-site'] = row.site;
  const type = row.type ?? NATURAL_TYPE[route.kind];
  if (type) headers['content-type'] = type;
  // A DELETE sent with a content type carries a body of that type; by itself it has none.
  const body = route.body ?? (row.type ? (type?.startsWith('application/json') ? '{}' : 'x') : undefined);
  return context.fetch(`${base}${route.path}`, {
    method: route.method,
    headers,
    ...(body === undefined ? {} : { data: body }),
    maxRedirects: 0,
  });
}

test('every state-changing route refuses cross-site requests (403) and bodies of the wrong type (415)', async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  await signUp(page, newAccount('crosssite'));
  // The signed-in browser's own request context: it sends the Hub's and (after the launch) SVD's cookies.
  await launchVault(page);
  const signedIn = page.context().request;

  const failures: string[] = [];
  let checked = 0;
  for (const route of ROUTES) {
    const own = route.app === 'hub' ? hubUrl : svdUrl;
    const sibling = route.app === 'hub' ? svdUrl : hubUrl;
    for (const row of rowsFor(own, sibling)) {
      const response = await send(route.session ? signedIn : request, route, row);
      const want = expected(route, row);
      checked += 1;
      if (response.status() !== want) {
        failures.push(`${route.method} ${route.path} — ${row.name}: ${response.status()}, expected ${want}`);
      } else if (want === 403) {
        expect(await response.json()).toEqual({
          error: { code: 'FORBIDDEN', message: 'This request came from another site and was refused.' },
        });
      }
    }
  }
  expect(failures).toEqual([]);
  expect(checked).toBe(ROUTES.length * 19);

  // The session survived every refused request: nothing above reached a route with the user's cookies.
  const vaults = await signedIn.get(`${svdUrl}/api/vaults`);
  expect(vaults.status()).toBe(200);
  const session = await signedIn.get(`${hubUrl}/api/auth/get-session`);
  expect((await session.json())?.user).toBeTruthy();
});

test('the Stripe webhook is the one exception: a foreign origin still meets the signature check (400), never 403', async ({
  request,
}) => {
  const response = await request.post(`${hubUrl}/api/webhooks/stripe`, {
    headers: { origin: 'https://evil.test', 'sec-fetch-site': 'cross-site', 'content-type': 'text/plain' },
    data: '{"id":"evt_forged"}',
  });
  expect(response.status()).toBe(400);
});

test('reads stay open: a cross-site GET of a page or the health check is not refused', async ({
  request,
}) => {
  const headers = { origin: 'https://evil.test', 'sec-fetch-site': 'cross-site' };
  expect((await request.get(`${hubUrl}/api/health`, { headers })).status()).toBe(200);
  expect((await request.get(`${svdUrl}/api/health`, { headers })).status()).toBe(200);
  expect((await request.get(`${hubUrl}/login`, { headers })).status()).toBe(200);
});
