import { randomBytes, randomUUID } from 'node:crypto';
import { schema } from '@omg/db';
import { clientAddressHeader } from '@omg/platform';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashShareToken } from '@/lib/shares/share-token';
import { storeEncrypted } from '@/lib/storage';
import { vaultStorage } from '@/lib/vault-storage';
import { serveRoutes, type TRouteServer, type TRouteTable } from '@/testing/route-server';
import { streamOf } from '@/testing/storage';
import {
  admin,
  createOrganization,
  hub,
  launchedUser,
  provision,
  SVD,
  svd,
  type TVaultUser,
} from '../../__tests__/vault-fixtures';
import { GET as listVaults } from '../../vaults/route';
import { DELETE as revoke } from '../[id]/route';
import { GET as uses } from '../[id]/uses/route';
import { POST as download } from '../public/[token]/download/route';
import { POST as check } from '../public/[token]/route';
import { POST as createLink, GET as listLinks } from '../route';

/**
 * Share links (issue 16 §5) over real HTTP: the owner's routes (create, list, revoke, uses) and the recipient's
 * (check, download) with hostile input, refusals that do not tell why, the last-download race and the limits.
 */

type THandler = NonNullable<ReturnType<TRouteTable>>['handler'];
let server: TRouteServer;
const origin = new URL(SVD).origin;

beforeAll(async () => {
  server = await serveRoutes((method, pathname) => {
    const route = (handler: unknown, params: Record<string, unknown> = {}) =>
      handler ? { handler: handler as THandler, params } : null;
    if (pathname === '/api/vaults' && method === 'GET') return route(listVaults);
    if (pathname === '/api/shares') return route({ GET: listLinks, POST: createLink }[method]);
    const publicDownload = /^\/api\/shares\/public\/([^/]*)\/download$/.exec(pathname)?.[1];
    if (publicDownload !== undefined && method === 'POST')
      return route(download, { token: decodeURIComponent(publicDownload) });
    const publicCheck = /^\/api\/shares\/public\/([^/]*)$/.exec(pathname)?.[1];
    if (publicCheck !== undefined && method === 'POST')
      return route(check, { token: decodeURIComponent(publicCheck) });
    const linkUses = /^\/api\/shares\/([^/]+)\/uses$/.exec(pathname)?.[1];
    if (linkUses && method === 'GET') return route(uses, { id: linkUses });
    const link = /^\/api\/shares\/([^/]+)$/.exec(pathname)?.[1];
    if (link && method === 'DELETE') return route(revoke, { id: link });
    return null;
  }, SVD);
});

// One owner for most tests (launching a user hashes a Hub password: the slow part of a set-up).
let owner: TVaultUser;
beforeAll(async () => {
  owner = await launchedUser();
});

afterAll(async () => {
  await server?.close();
  await Promise.all([admin.pool.end(), hub.pool.end(), svd.pool.end()]);
});

/** A fresh client address per test, so the per-address limit of one test never spends another's. */
const newAddress = () => `10.${randomBytes(3).join('.')}`;

function call(
  who: TVaultUser | null,
  method: string,
  path: string,
  init: {
    json?: unknown;
    form?: Record<string, string>;
    address?: string;
    headers?: Record<string, string>;
  } = {},
) {
  const headers: Record<string, string> = { origin, ...init.headers };
  if (who) headers.cookie = who.cookie;
  headers[clientAddressHeader()] = init.address ?? newAddress();
  let body: string | undefined;
  if (init.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(init.json);
  }
  if (init.form !== undefined) {
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  }
  return fetch(new URL(path, server.url), { method, headers, body, redirect: 'manual' });
}

async function firstVault(who: TVaultUser): Promise<string> {
  const response = await call(who, 'GET', '/api/vaults');
  return (await response.json()).vaults[0].id;
}

/** A ready document stored encrypted as an upload leaves it; its plaintext to compare downloads with. */
async function storedDocument(
  who: TVaultUser,
  options: { name?: string; organizationId?: string; vaultId?: string; folderId?: string } = {},
): Promise<{ id: string; data: Buffer }> {
  const data = randomBytes(70_000);
  const { store, masterKey } = vaultStorage();
  const object = await storeEncrypted(store, masterKey, streamOf(data), { maxBytes: data.length });
  const id = randomUUID();
  await svd.db.insert(schema.document).values({
    id,
    userId: who.userId,
    organizationId: options.organizationId ?? null,
    vaultId: options.vaultId ?? (await firstVault(who)),
    folderId: options.folderId ?? null,
    name: options.name ?? 'report.pdf',
    mimeType: 'application/pdf',
    sizeBytes: data.length,
    state: 'ready',
    storageKey: object.storageKey,
    wrappedKey: object.wrappedKey,
  });
  return { id, data };
}

async function created(who: TVaultUser, json: Record<string, unknown>) {
  const response = await call(who, 'POST', '/api/shares', { json });
  expect(response.status, await response.clone().text()).toBe(201);
  const body = await response.json();
  const token = new URL(body.url).pathname.split('/').pop() as string;
  return { id: body.link.id as string, token, url: body.url as string, link: body.link };
}

const tokenPath = (token: string) => `/api/shares/public/${encodeURIComponent(token)}`;

const NOT_AVAILABLE = { error: { code: 'NOT_FOUND', message: 'This link is not available.' } };

async function refusal(response: Response) {
  return { status: response.status, body: await response.json() };
}

describe('creating, listing and downloading', () => {
  it('makes a 256-bit link shown once, stores only its hash, and serves the decrypted file to anyone holding it', async () => {
    const doc = await storedDocument(owner, { name: 'Q3 report.pdf' });
    const before = Date.now();
    const { id, token, url, link } = await created(owner, { documentId: doc.id });
    expect(url).toBe(`${SVD}/s/${token}`);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(link).toMatchObject({
      status: 'active',
      targetName: 'Q3 report.pdf',
      hasPassword: false,
      downloadCount: 0,
    });
    // Expiry defaults to 7 days.
    const expires = new Date(link.expiresAt).getTime() - before;
    expect(expires).toBeGreaterThan(7 * 86_400_000 - 60_000);
    expect(expires).toBeLessThan(7 * 86_400_000 + 60_000);

    const [row] = await svd.db.select().from(schema.shareLink).where(eq(schema.shareLink.id, id));
    expect(row?.tokenHash).toBe(hashShareToken(token));
    expect(JSON.stringify(row)).not.toContain(token);

    const info = await call(null, 'POST', tokenPath(token), { json: {} });
    expect(info.status).toBe(200);
    expect(await info.json()).toMatchObject({
      kind: 'document',
      name: 'Q3 report.pdf',
      sizeBytes: doc.data.length,
    });

    const address = newAddress();
    const file = await call(null, 'POST', `${tokenPath(token)}/download`, { form: {}, address });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toBe(
      `attachment; filename="Q3 report.pdf"; filename*=UTF-8''Q3%20report.pdf`,
    );
    expect(file.headers.get('content-type')).toBe('application/octet-stream');
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(file.headers.get('cache-control')).toBe('private, no-store');
    expect(Buffer.from(await file.arrayBuffer()).equals(doc.data)).toBe(true);

    const listed = (await (await call(owner, 'GET', '/api/shares')).json()).links;
    expect(listed).toEqual([
      expect.objectContaining({ id, downloadCount: 1, status: 'active', downloadLimit: null }),
    ]);
    const log = (await (await call(owner, 'GET', `/api/shares/${id}/uses`)).json()).uses;
    expect(log).toEqual([{ at: expect.any(String), ipAddress: address, outcome: 'downloaded' }]);
  });

  it('asks for the password, takes it in any Unicode form, and logs a wrong one', async () => {
    const doc = await storedDocument(owner);
    const password = 'Grüße 🔑 café';
    const { id, token, link } = await created(owner, { documentId: doc.id, password, downloadLimit: 3 });
    expect(link.hasPassword).toBe(true);
    const [row] = await svd.db.select().from(schema.shareLink).where(eq(schema.shareLink.id, id));
    expect(row?.passwordHash).toMatch(/^\$argon2id\$/);

    const asked = await call(null, 'POST', tokenPath(token), { json: {} });
    expect(asked.status).toBe(401);
    const wrong = await call(null, 'POST', tokenPath(token), { json: { password: 'grüße 🔑 café' } });
    expect(await refusal(wrong)).toEqual({ status: 404, body: NOT_AVAILABLE });
    const right = await call(null, 'POST', tokenPath(token), {
      json: { password: password.normalize('NFD') },
    });
    expect(right.status).toBe(200);
    expect((await right.json()).downloadsLeft).toBe(3);
    const noPassword = await call(null, 'POST', `${tokenPath(token)}/download`, { form: {} });
    expect(noPassword.status).toBe(401);
    const file = await call(null, 'POST', `${tokenPath(token)}/download`, { form: { password } });
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(doc.data)).toBe(true);

    const log = (await (await call(owner, 'GET', `/api/shares/${id}/uses`)).json()).uses;
    expect(log.map((u: { outcome: string }) => u.outcome)).toEqual(['downloaded', 'wrong_password']);
  });

  it('sends a browser whose download is refused back to the page (same for every reason)', async () => {
    const { token } = await created(owner, {
      documentId: (await storedDocument(owner)).id,
      password: 'pw-1234',
    });
    for (const t of [token, 'A'.repeat(43)]) {
      const response = await call(null, 'POST', `${tokenPath(t)}/download`, {
        form: { password: 'nope' },
        headers: { accept: 'text/html,application/xhtml+xml' },
      });
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(`/s/${t}?failed=refused`);
    }
  });
});

describe('refusals do not tell why', () => {
  it('answers unknown, malformed, expired, revoked, exhausted, trashed and wrong-password links alike', async () => {
    const make = async (json: Record<string, unknown> = {}) =>
      created(owner, { documentId: (await storedDocument(owner)).id, ...json });
    const expired = await make();
    await svd.db
      .update(schema.shareLink)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(schema.shareLink.id, expired.id));
    const revoked = await make();
    expect((await call(owner, 'DELETE', `/api/shares/${revoked.id}`)).status).toBe(204);
    const exhausted = await make({ downloadLimit: 1 });
    expect((await call(null, 'POST', `${tokenPath(exhausted.token)}/download`, { form: {} })).status).toBe(
      200,
    );
    const trashed = await make();
    await svd.db
      .update(schema.document)
      .set({ trashedAt: new Date() })
      .where(eq(schema.document.id, trashed.link.documentId));
    const locked = await make({ password: 'correct horse' });

    const tokens: Record<string, string> = {
      unknown: randomBytes(32).toString('base64url'),
      expired: expired.token,
      revoked: revoked.token,
      exhausted: exhausted.token,
      trashed: trashed.token,
      short: expired.token.slice(0, 20),
      long: `${expired.token}A`,
      padded: `${expired.token}=`,
      percentEncodedNul: '%00',
      unicode: 'ü'.repeat(43),
      spaces: ' '.repeat(43),
      sqlish: "' OR 1=1 --",
      huge: 'A'.repeat(4000),
    };
    for (const [reason, token] of Object.entries(tokens)) {
      // Offered a password too where the link exists (and one that does not): the verify must not tell them apart.
      const withPassword = ['unknown', 'expired', 'revoked', 'exhausted', 'trashed'].includes(reason);
      for (const password of withPassword ? [undefined, 'correct horse'] : [undefined]) {
        const info = await call(null, 'POST', tokenPath(token), { json: password ? { password } : {} });
        expect(await refusal(info), `${reason} check`).toEqual({ status: 404, body: NOT_AVAILABLE });
        const file = await call(null, 'POST', `${tokenPath(token)}/download`, {
          form: password ? { password } : {},
        });
        expect(await refusal(file), `${reason} download`).toEqual({ status: 404, body: NOT_AVAILABLE });
      }
    }
    const wrong = await call(null, 'POST', tokenPath(locked.token), { json: { password: 'wrong horse' } });
    expect(await refusal(wrong)).toEqual({ status: 404, body: NOT_AVAILABLE });
    const wrongDownload = await call(null, 'POST', `${tokenPath(locked.token)}/download`, {
      form: { password: 'x'.repeat(10_000) },
    });
    expect(await refusal(wrongDownload)).toEqual({ status: 404, body: NOT_AVAILABLE });

    // The owner sees why, in the list and in each link's log.
    const listed = (await (await call(owner, 'GET', '/api/shares')).json()).links as {
      id: string;
      status: string;
    }[];
    const statusOf = (id: string) => listed.find((l) => l.id === id)?.status;
    expect(statusOf(expired.id)).toBe('expired');
    expect(statusOf(revoked.id)).toBe('revoked');
    expect(statusOf(exhausted.id)).toBe('exhausted');
    expect(statusOf(trashed.id)).toBe('in_trash');
    const outcomes = async (id: string) =>
      ((await (await call(owner, 'GET', `/api/shares/${id}/uses`)).json()).uses as { outcome: string }[]).map(
        (u) => u.outcome,
      );
    // The malformed variants of the expired token are other strings: they reach no link and leave no entry.
    expect(await outcomes(expired.id)).toEqual(Array(4).fill('expired'));
    expect(await outcomes(exhausted.id)).toEqual([...Array(4).fill('exhausted'), 'downloaded']);
    expect(await outcomes(trashed.id)).toEqual(Array(4).fill('unavailable'));
    expect(await outcomes(locked.id)).toEqual(['wrong_password', 'wrong_password']);

    // Restored from the trash, the link works again (it has not expired).
    await svd.db
      .update(schema.document)
      .set({ trashedAt: null })
      .where(eq(schema.document.id, trashed.link.documentId));
    expect((await call(null, 'POST', `${tokenPath(trashed.token)}/download`, { form: {} })).status).toBe(200);
  }, 60_000);

  it('spends one argon2 verify on an unknown link offered a password, as on a real one', async () => {
    const { token } = await created(owner, { documentId: (await storedDocument(owner)).id, password: 'pw' });
    const time = async (t: string) => {
      const started = performance.now();
      await call(null, 'POST', tokenPath(t), { json: { password: 'not it' } });
      return performance.now() - started;
    };
    await time(token);
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      known.push(await time(token));
      unknown.push(await time(randomBytes(32).toString('base64url')));
    }
    const median = (values: number[]) => values.sort((a, b) => a - b)[2] as number;
    // A miss that skipped the hash would answer in a fraction of the time (one verify is tens of milliseconds).
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.5);
  }, 30_000);
});

describe('the download limit', () => {
  it('gives a 1-download link to exactly one of two concurrent downloads', async () => {
    const doc = await storedDocument(owner);
    const { id, token } = await created(owner, { documentId: doc.id, downloadLimit: 1 });
    const responses = await Promise.all(
      [0, 1].map(() => call(null, 'POST', `${tokenPath(token)}/download`, { form: {} })),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 404]);
    const served = responses.find((r) => r.status === 200) as Response;
    expect(Buffer.from(await served.arrayBuffer()).equals(doc.data)).toBe(true);
    const [row] = await svd.db.select().from(schema.shareLink).where(eq(schema.shareLink.id, id));
    expect(row?.downloadCount).toBe(1);
  });
});

describe('hostile input to the owner routes', () => {
  let stranger: TVaultUser;
  let doc: string;
  let strangersDoc: string;
  beforeAll(async () => {
    stranger = await launchedUser();
    doc = (await storedDocument(owner)).id;
    strangersDoc = (await storedDocument(stranger)).id;
  });
  const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

  it.each([
    ['no target', 400, {}],
    ['a document and a folder', 400, { documentId: randomUUID(), folderId: randomUUID() }],
    ['a document id that is not a UUID', 400, { documentId: 'not-a-uuid' }],
    ['an unknown document', 404, { documentId: randomUUID() }],
    ['expiry in the past', 400, { expiresAt: inDays(-1) }],
    ['expiry now', 400, { expiresAt: new Date().toISOString() }],
    ['expiry past 90 days', 400, { expiresAt: inDays(91) }],
    ['expiry that is not a date', 400, { expiresAt: 'next tuesday' }],
    ['expiry that is a number', 400, { expiresAt: Date.now() + 86_400_000 }],
    ['expiry on a day that does not exist', 400, { expiresAt: '2027-02-29T10:00:00Z' }],
    ['limit 0', 400, { downloadLimit: 0 }],
    ['limit -1', 400, { downloadLimit: -1 }],
    ['limit 1.5', 400, { downloadLimit: 1.5 }],
    ['limit huge', 400, { downloadLimit: 2 ** 40 }],
    ['limit as a string', 400, { downloadLimit: '3' }],
    ['password of 10 000 characters', 400, { password: 'p'.repeat(10_000) }],
    ['password that is not a string', 400, { password: 12345 }],
    ['expiry in 90 days', 201, { expiresAt: inDays(89.9) }],
    ['a unicode password and a limit', 201, { password: '密码🔐', downloadLimit: 10_000 }],
  ])('%s → %i', async (name, status, json) => {
    const body = { documentId: doc, ...json } as Record<string, unknown>;
    if (name === 'no target') delete body.documentId;
    const response = await call(owner, 'POST', '/api/shares', { json: body });
    expect(response.status, await response.clone().text()).toBe(status);
  });

  it("refuses another user's document, link, and log (404), a trashed document, and no session (401)", async () => {
    expect((await call(owner, 'POST', '/api/shares', { json: { documentId: strangersDoc } })).status).toBe(
      404,
    );
    const theirs = await created(stranger, { documentId: strangersDoc });
    expect((await call(owner, 'DELETE', `/api/shares/${theirs.id}`)).status).toBe(404);
    expect((await call(owner, 'GET', `/api/shares/${theirs.id}/uses`)).status).toBe(404);
    expect((await call(owner, 'GET', '/api/shares/not-a-uuid/uses')).status).toBe(400);
    const mine = (await (await call(owner, 'GET', '/api/shares')).json()).links as { id: string }[];
    expect(mine.map((l) => l.id)).not.toContain(theirs.id);
    expect((await call(null, 'GET', '/api/shares')).status).toBe(401);
    expect((await call(null, 'POST', '/api/shares', { json: { documentId: doc } })).status).toBe(401);
    const trashed = (await storedDocument(owner)).id;
    await svd.db
      .update(schema.document)
      .set({ trashedAt: new Date() })
      .where(eq(schema.document.id, trashed));
    expect((await call(owner, 'POST', '/api/shares', { json: { documentId: trashed } })).status).toBe(404);
    // Revoking twice is harmless; the link stays revoked.
    expect((await call(stranger, 'DELETE', `/api/shares/${theirs.id}`)).status).toBe(204);
    expect((await call(stranger, 'DELETE', `/api/shares/${theirs.id}`)).status).toBe(204);
  });

  it('takes the download password as a form or JSON, refuses other bodies and a cross-site post', async () => {
    const { token } = await created(owner, { documentId: doc, password: 'pw-json' });
    const path = `${tokenPath(token)}/download`;
    expect((await call(null, 'POST', path, { json: { password: 'pw-json' } })).status).toBe(200);
    const text = await call(null, 'POST', path, {
      headers: { 'content-type': 'text/plain' },
      form: { password: 'pw-json' },
    });
    expect(text.status).toBe(415);
    const broken = await call(null, 'POST', path, {
      headers: { 'content-type': 'application/json' },
      form: { a: 'b' },
    });
    expect(broken.status).toBe(400);
    const huge = await call(null, 'POST', path, { form: { password: 'x'.repeat(20_000) } });
    expect(huge.status).toBe(413);
    const crossSite = await call(null, 'POST', path, {
      form: { password: 'pw-json' },
      headers: { origin: 'https://evil.example' },
    });
    expect(crossSite.status).toBe(403);
  });

  it('refuses a form or text body where JSON is expected, and a cross-site post', async () => {
    const text = await call(owner, 'POST', '/api/shares', {
      headers: { 'content-type': 'text/plain' },
      form: { documentId: doc },
    });
    expect(text.status).toBe(415);
    const crossSite = await call(owner, 'POST', '/api/shares', {
      json: { documentId: doc },
      headers: { origin: 'https://evil.example' },
    });
    expect(crossSite.status).toBe(403);
  });
});

describe('folder links', () => {
  async function folderIn(vaultId: string, name: string, parentId: string | null = null) {
    const id = randomUUID();
    await svd.db.insert(schema.folder).values({ id, vaultId, parentId, name, userId: owner.userId });
    return id;
  }

  it('lists the live files below the folder and downloads them as one ZIP; a trashed folder is not available', async () => {
    const vaultId = await firstVault(owner);
    const taxes = await folderIn(vaultId, `Taxes ${randomUUID().slice(0, 6)}`);
    const year = await folderIn(vaultId, '2026', taxes);
    const gone = await folderIn(vaultId, 'Old', taxes);
    const top = await storedDocument(owner, { folderId: taxes, name: 'summary.pdf' });
    const inner = await storedDocument(owner, { folderId: year, name: 'receipt.pdf' });
    const trashedDoc = await storedDocument(owner, { folderId: year, name: 'draft.pdf' });
    await storedDocument(owner, { folderId: gone, name: 'old.pdf' });
    await svd.db
      .update(schema.document)
      .set({ trashedAt: new Date() })
      .where(eq(schema.document.id, trashedDoc.id));
    await svd.db.update(schema.folder).set({ trashedAt: new Date() }).where(eq(schema.folder.id, gone));
    const [{ name: folderName } = { name: '' }] = await svd.db
      .select({ name: schema.folder.name })
      .from(schema.folder)
      .where(eq(schema.folder.id, taxes));

    const { id, token, link } = await created(owner, { folderId: taxes, downloadLimit: 2 });
    expect(link).toMatchObject({ kind: 'folder', targetName: folderName, sizeBytes: null });
    const info = await (await call(null, 'POST', tokenPath(token), { json: {} })).json();
    expect(info).toMatchObject({ kind: 'folder', name: folderName, sizeBytes: null, downloadsLeft: 2 });
    expect(info.files).toEqual([
      { path: `${folderName}/2026/receipt.pdf`, sizeBytes: inner.data.length },
      { path: `${folderName}/summary.pdf`, sizeBytes: top.data.length },
    ]);

    const zip = await call(null, 'POST', `${tokenPath(token)}/download`, { form: {} });
    expect(zip.status).toBe(200);
    expect(zip.headers.get('content-type')).toBe('application/zip');
    expect(zip.headers.get('content-disposition')).toContain(
      `filename*=UTF-8''${encodeURIComponent(`${folderName}.zip`)}`,
    );
    expect(zip.headers.get('cache-control')).toBe('private, no-store');
    const bytes = Buffer.from(await zip.arrayBuffer());
    // Stored entries (no compression): each live file's plaintext is in the archive, the trashed ones are not.
    expect(bytes.includes(top.data)).toBe(true);
    expect(bytes.includes(inner.data)).toBe(true);
    expect(bytes.includes(trashedDoc.data)).toBe(false);
    expect(bytes.includes(Buffer.from(`${folderName}/2026/receipt.pdf`))).toBe(true);
    expect(bytes.includes(Buffer.from('old.pdf'))).toBe(false);

    await svd.db.update(schema.folder).set({ trashedAt: new Date() }).where(eq(schema.folder.id, taxes));
    const refused = await call(null, 'POST', `${tokenPath(token)}/download`, { form: {} });
    expect(await refusal(refused)).toEqual({ status: 404, body: NOT_AVAILABLE });
    const listed = (await (await call(owner, 'GET', '/api/shares')).json()).links as {
      id: string;
      status: string;
    }[];
    expect(listed.find((l) => l.id === id)).toMatchObject({ status: 'in_trash', downloadCount: 1 });
    expect((await call(owner, 'POST', '/api/shares', { json: { folderId: taxes } })).status).toBe(404);
    expect((await call(owner, 'POST', '/api/shares', { json: { folderId: randomUUID() } })).status).toBe(404);
  }, 30_000);
});

describe('read-only mode', () => {
  it('a canceled vault keeps its links downloading and may still make links (a link stores nothing)', async () => {
    const canceled = await launchedUser();
    const doc = await storedDocument(canceled);
    const before = await created(canceled, { documentId: doc.id });
    await provision(canceled.userId, 'pro', 'canceled');
    const file = await call(null, 'POST', `${tokenPath(before.token)}/download`, { form: {} });
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(doc.data)).toBe(true);
    const after = await created(canceled, { documentId: doc.id });
    expect((await call(null, 'POST', `${tokenPath(after.token)}/download`, { form: {} })).status).toBe(200);
  }, 30_000);
});

describe('rate limits', () => {
  it('refuses an address past 60 requests a minute, and a link past 10 wrong passwords', async () => {
    const { token } = await created(owner, {
      documentId: (await storedDocument(owner)).id,
      password: 'right',
    });
    const address = newAddress();
    const unknown = randomBytes(32).toString('base64url');
    const statuses: number[] = [];
    for (let i = 0; i < 61; i += 1)
      statuses.push((await call(null, 'POST', tokenPath(unknown), { json: {}, address })).status);
    expect(statuses.slice(0, 60).every((s) => s === 404)).toBe(true);
    const limited = await call(null, 'POST', tokenPath(unknown), { json: {}, address });
    expect(limited.status).toBe(429);
    expect((await limited.json()).error.details.retryAfterSeconds).toBeGreaterThan(0);

    for (let i = 0; i < 10; i += 1) {
      expect((await call(null, 'POST', tokenPath(token), { json: { password: `guess ${i}` } })).status).toBe(
        404,
      );
    }
    // The 11th guess is refused before its password is checked — even the right one, from a new address.
    expect((await call(null, 'POST', tokenPath(token), { json: { password: 'right' } })).status).toBe(429);
    expect(
      (await call(null, 'POST', `${tokenPath(token)}/download`, { form: { password: 'right' } })).status,
    ).toBe(429);
    await svd.db.execute(sql`DELETE FROM securevault."RateLimit" WHERE "key" LIKE 'share:password:%'`);
    expect((await call(null, 'POST', tokenPath(token), { json: { password: 'right' } })).status).toBe(200);
  }, 30_000);
});

describe('team spaces', () => {
  it('viewers cannot share, members share their own, owners and admins all; each step is in the team log', async () => {
    const acme = await createOrganization('Acme');
    const globex = await createOrganization('Globex');
    // The owner stands for owners and admins (spaceMay gives both 'manage').
    const [owner, member, viewer, other] = [
      await launchedUser({ organizationId: acme, role: 'owner' }),
      await launchedUser({ organizationId: acme, role: 'member' }),
      await launchedUser({ organizationId: acme, role: 'viewer' }),
      await launchedUser({ organizationId: globex, role: 'owner' }),
    ];
    const vaultId = await firstVault(owner);
    const ownersDoc = (await storedDocument(owner, { organizationId: acme, vaultId, name: 'plan.pdf' })).id;
    const membersDoc = (await storedDocument(member, { organizationId: acme, vaultId })).id;

    expect((await call(viewer, 'POST', '/api/shares', { json: { documentId: ownersDoc } })).status).toBe(403);
    expect((await call(member, 'POST', '/api/shares', { json: { documentId: ownersDoc } })).status).toBe(403);
    expect((await call(other, 'POST', '/api/shares', { json: { documentId: ownersDoc } })).status).toBe(404);
    const membersLink = await created(member, { documentId: membersDoc });
    const ownersLink = await created(owner, { documentId: ownersDoc });

    const ids = async (who: TVaultUser) =>
      ((await (await call(who, 'GET', '/api/shares')).json()).links as { id: string }[])
        .map((l) => l.id)
        .sort();
    expect(await ids(owner)).toEqual([membersLink.id, ownersLink.id].sort());
    expect(await ids(member)).toEqual([membersLink.id]);
    expect(await ids(viewer)).toEqual([]);
    expect(await ids(other)).toEqual([]);
    expect((await call(member, 'DELETE', `/api/shares/${ownersLink.id}`)).status).toBe(404);
    expect((await call(viewer, 'DELETE', `/api/shares/${membersLink.id}`)).status).toBe(403);

    expect((await call(null, 'POST', `${tokenPath(ownersLink.token)}/download`, { form: {} })).status).toBe(
      200,
    );
    expect((await call(owner, 'DELETE', `/api/shares/${ownersLink.id}`)).status).toBe(204);

    const log = await svd.db
      .select({ action: schema.teamActivity.action, userId: schema.teamActivity.userId })
      .from(schema.teamActivity)
      .where(eq(schema.teamActivity.documentId, ownersDoc))
      .orderBy(schema.teamActivity.createdAt);
    expect(log).toEqual([
      { action: 'share_create', userId: owner.userId },
      { action: 'share_use', userId: owner.userId },
      { action: 'share_revoke', userId: owner.userId },
    ]);
  }, 30_000);
});
