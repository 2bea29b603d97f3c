import { schema } from '@omg/db';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logger } from '@/lib/logger';
import { expireTrash } from '@/lib/trash/expire-trash';
import { vaultStorage } from '@/lib/vault-storage';
import { serveRoutes, type TRouteServer, type TRouteTable } from '@/testing/route-server';
import { tusMetadata, tusRequest } from '@/testing/tus-client';
import { GET as download } from '../documents/[id]/download/route';
import { DELETE as deleteDocument, PATCH as patchDocument } from '../documents/[id]/route';
import { GET as listDocuments } from '../documents/route';
import { DELETE as deleteFolder, PATCH as patchFolder } from '../folders/[id]/route';
import { POST as moveItem } from '../folders/move/route';
import { POST as createFolder, GET as listFolder } from '../folders/route';
import { POST as restore } from '../trash/[kind]/[id]/restore/route';
import { DELETE as deleteForGood } from '../trash/[kind]/[id]/route';
import { DELETE as emptyTrash, GET as listTrash } from '../trash/route';
import { POST as upload } from '../uploads/route';
import { POST as tusPost } from '../uploads/tus/[[...id]]/route';
import { GET as usage } from '../usage/route';
import { POST as createVault, GET as listVaults } from '../vaults/route';
import {
  admin,
  createOrganization,
  findBlobFile,
  hub,
  launchedTeam,
  launchedUser,
  occupyStorage,
  provision,
  SVD,
  svd,
} from './vault-fixtures';

/**
 * Issue 16 §1 and §3 over real HTTP: folders (create, rename, move, delete; breadcrumbs; names; cycles; other
 * people's ids) and the trash (restore with clashes, delete for good, empty, 30-day expiry, read-only plans,
 * quota), in a personal space and a team space.
 */

interface TPerson {
  userId: string;
  cookie: string;
}

let server: TRouteServer;
const origin = new URL(SVD).origin;
type THandler = NonNullable<ReturnType<TRouteTable>>['handler'];

beforeAll(async () => {
  server = await serveRoutes((method, pathname) => {
    const route = (handler: unknown, params: Record<string, unknown> = {}) =>
      handler ? { handler: handler as THandler, params } : null;
    if (pathname === '/api/vaults') return route({ GET: listVaults, POST: createVault }[method]);
    if (pathname === '/api/folders') return route({ GET: listFolder, POST: createFolder }[method]);
    if (pathname === '/api/folders/move') return route({ POST: moveItem }[method]);
    const folder = /^\/api\/folders\/([^/]+)$/.exec(pathname)?.[1];
    if (folder) return route({ PATCH: patchFolder, DELETE: deleteFolder }[method], { id: folder });
    if (pathname === '/api/trash') return route({ GET: listTrash, DELETE: emptyTrash }[method]);
    const item = /^\/api\/trash\/([^/]+)\/([^/]+)(\/restore)?$/.exec(pathname);
    if (item) {
      const params = { kind: item[1], id: item[2] };
      return item[3]
        ? route({ POST: restore }[method], params)
        : route({ DELETE: deleteForGood }[method], params);
    }
    if (pathname === '/api/documents') return route({ GET: listDocuments }[method]);
    const doc = /^\/api\/documents\/([^/]+)$/.exec(pathname)?.[1];
    if (doc) return route({ PATCH: patchDocument, DELETE: deleteDocument }[method], { id: doc });
    const file = /^\/api\/documents\/([^/]+)\/download$/.exec(pathname)?.[1];
    if (file) return route({ GET: download }[method], { id: file });
    if (pathname === '/api/uploads') return route({ POST: upload }[method]);
    if (pathname === '/api/uploads/tus') return route({ POST: tusPost }[method], { id: [] });
    if (pathname === '/api/usage') return route({ GET: usage }[method]);
    return null;
  }, SVD);
});

afterAll(async () => {
  await server?.close();
  await Promise.all([admin.pool.end(), hub.pool.end(), svd.pool.end()]);
});

function call(who: TPerson, method: string, path: string, json?: unknown) {
  const headers: Record<string, string> = { cookie: who.cookie, origin };
  if (json !== undefined) headers['content-type'] = 'application/json';
  return fetch(new URL(path, server.url), {
    method,
    headers,
    body: json === undefined ? undefined : JSON.stringify(json),
  });
}

async function json(response: Promise<Response>, status: number) {
  const answer = await response;
  const text = await answer.text();
  expect(answer.status, text.slice(0, 300)).toBe(status);
  return text ? JSON.parse(text) : null;
}

async function vaultOf(who: TPerson): Promise<string> {
  return (await json(call(who, 'GET', '/api/vaults'), 200)).vaults[0].id;
}

async function folder(who: TPerson, vaultId: string, name: string, parentId: string | null = null) {
  return (await json(call(who, 'POST', '/api/folders', { vaultId, parentId, name }), 201)).folder;
}

async function put(who: TPerson, vaultId: string, name: string, text = 'hello', folderId?: string) {
  const query = new URLSearchParams({ vaultId, name, ...(folderId ? { folderId } : {}) });
  const response = await fetch(new URL(`/api/uploads?${query}`, server.url), {
    method: 'POST',
    headers: { cookie: who.cookie, origin, 'content-type': 'text/plain' },
    body: text,
  });
  const body = await response.json();
  expect(response.status, JSON.stringify(body)).toBe(201);
  return body.document;
}

const listing = (who: TPerson, vaultId: string, folderId?: string) =>
  json(call(who, 'GET', `/api/folders?vaultId=${vaultId}${folderId ? `&folderId=${folderId}` : ''}`), 200);
const names = (rows: Array<{ name: string }>) => rows.map((row) => row.name);

describe('folders', { timeout: 30_000 }, () => {
  it('nests folders with breadcrumbs, lists each level, renames, and keeps live sibling names unique', async () => {
    const user = await launchedUser();
    const vaultId = await vaultOf(user);
    const taxes = await folder(user, vaultId, '  Taxes  ');
    expect(taxes).toMatchObject({ name: 'Taxes', parentId: null, vaultId });
    const year = await folder(user, vaultId, '2026', taxes.id);
    const q1 = await folder(user, vaultId, 'Q1', year.id);
    const inner = await put(user, vaultId, 'receipt.txt', 'paid', q1.id);
    expect(inner.folderId).toBe(q1.id);
    await put(user, vaultId, 'top.txt');

    const root = await listing(user, vaultId);
    expect(names(root.folders)).toEqual(['Taxes']);
    expect(names(root.documents)).toEqual(['top.txt']);
    expect(root.breadcrumbs).toEqual([]);
    const deep = await listing(user, vaultId, q1.id);
    expect(deep.breadcrumbs).toEqual([
      { id: taxes.id, name: 'Taxes' },
      { id: year.id, name: '2026' },
      { id: q1.id, name: 'Q1' },
    ]);
    expect(names(deep.documents)).toEqual(['receipt.txt']);
    // The search across everything is as it was: it finds the document wherever it sits.
    const found = await json(call(user, 'GET', '/api/documents?q=receipt'), 200);
    expect(names(found.documents)).toContain('receipt.txt');

    // Case-insensitively, and NFC = NFD: "Café" precomposed and with a combining accent are one name.
    const clash = await call(user, 'POST', '/api/folders', { vaultId, parentId: null, name: 'TAXES' });
    expect(clash.status).toBe(409);
    expect((await clash.json()).error.message).toBe('A folder with that name already exists here.');
    await folder(user, vaultId, 'Caf\u00e9');
    expect((await call(user, 'POST', '/api/folders', { vaultId, name: 'Cafe\u0301' })).status).toBe(409);
    // The same name one level down is fine.
    await folder(user, vaultId, 'Taxes', taxes.id);

    const renamed = await json(call(user, 'PATCH', `/api/folders/${year.id}`, { name: '2026 filed' }), 200);
    expect(renamed.folder.name).toBe('2026 filed');
    expect((await call(user, 'PATCH', `/api/folders/${taxes.id}`, { name: 'café' })).status).toBe(409);
  });

  it('refuses names with a path, dots, control or invisible characters, and 10k characters, saying why', async () => {
    const user = await launchedUser();
    const vaultId = await vaultOf(user);
    const cases: Array<[string, RegExp]> = [
      ['a/b', /cannot contain \//],
      ['..\\..\\etc', /cannot contain \//],
      ['..', /cannot be called/],
      ['.', /cannot be called/],
      ['   ', /needs a name/],
      ['tab\there', /Control characters/],
      ['nul\u0000', /Control characters/],
      ['bidi\u202Efdp.exe', /Invisible formatting/],
      ['x'.repeat(10_000), /at most 255/],
    ];
    for (const [name, message] of cases) {
      const response = await call(user, 'POST', '/api/folders', { vaultId, name });
      expect(response.status, name.slice(0, 20)).toBe(400);
      expect((await response.json()).error.message).toMatch(message);
    }
    const made = await folder(user, vaultId, 'Real');
    expect((await call(user, 'PATCH', `/api/folders/${made.id}`, { name: '../up' })).status).toBe(400);
    expect((await call(user, 'PATCH', `/api/folders/${made.id}`, {})).status).toBe(400);
    const notAnId = await call(user, 'PATCH', '/api/folders/not-a-uuid', { name: 'x' });
    expect(notAnId.status).toBe(400);
    expect((await notAnId.json()).error.message).toBe('That folder does not exist.');
  });

  it('moves folders with their contents, refuses cycles and other vaults, and moves documents by drop', async () => {
    const user = await launchedUser();
    const vaultId = await vaultOf(user);
    const a = await folder(user, vaultId, 'A');
    const b = await folder(user, vaultId, 'B', a.id);
    const c = await folder(user, vaultId, 'C', b.id);
    const doc = await put(user, vaultId, 'deep.txt', 'deep', c.id);

    for (const target of [a.id, b.id, c.id]) {
      const cycle = await call(user, 'PATCH', `/api/folders/${a.id}`, { parentId: target });
      expect(cycle.status).toBe(409);
      expect((await cycle.json()).error.message).toMatch(
        /cannot move into itself or into a folder inside it/,
      );
    }
    expect(
      (await call(user, 'POST', '/api/folders/move', { folderId: a.id, targetFolderId: c.id })).status,
    ).toBe(409);
    // B (with C and the document) to the root: its contents follow.
    await json(call(user, 'POST', '/api/folders/move', { folderId: b.id, targetFolderId: null }), 200);
    expect(names((await listing(user, vaultId)).folders)).toEqual(['A', 'B']);
    expect((await listing(user, vaultId, c.id)).breadcrumbs.map((x: { name: string }) => x.name)).toEqual([
      'B',
      'C',
    ]);
    // A same-named sibling at the target: 409.
    await folder(user, vaultId, 'C', a.id);
    expect((await call(user, 'PATCH', `/api/folders/${c.id}`, { parentId: a.id })).status).toBe(409);

    // Another vault: folders stay in theirs; a document dropped on a folder there goes with it.
    const other = (await json(call(user, 'POST', '/api/vaults', { name: 'Other' }), 201)).vault.id;
    const there = await folder(user, other, 'There');
    const across = await call(user, 'PATCH', `/api/folders/${b.id}`, { parentId: there.id });
    expect(across.status).toBe(400);
    expect((await across.json()).error.message).toMatch(/within their vault/);
    const moved = await json(
      call(user, 'POST', '/api/folders/move', { documentId: doc.id, targetFolderId: there.id }),
      200,
    );
    expect(moved.document).toMatchObject({ vaultId: other, folderId: there.id });
    // Dropped on a breadcrumb: the vault's root.
    const home = await json(
      call(user, 'POST', '/api/folders/move', { documentId: doc.id, targetFolderId: null, vaultId }),
      200,
    );
    expect(home.document).toMatchObject({ vaultId, folderId: null });
    // Moving a document to another vault the old way lands it in that vault's root.
    await json(call(user, 'POST', '/api/folders/move', { documentId: doc.id, targetFolderId: a.id }), 200);
    const patched = await json(call(user, 'PATCH', `/api/documents/${doc.id}`, { vaultId: other }), 200);
    expect(patched.document).toMatchObject({ vaultId: other, folderId: null });
    expect((await call(user, 'POST', '/api/folders/move', { targetFolderId: null })).status).toBe(400);
  });

  it('never reaches another user’s or another organization’s folders, vaults or documents', async () => {
    const owner = await launchedUser();
    const stranger = await launchedUser();
    const organizationId = await createOrganization('FolderCo', 'business_starter');
    const teammate = await launchedUser({ organizationId, role: 'owner' });
    const ownerVault = await vaultOf(owner);
    const strangerVault = await vaultOf(stranger);
    const teamVault = await vaultOf(teammate);
    const mine = await folder(owner, ownerVault, 'Private');
    const theirs = await folder(stranger, strangerVault, 'Theirs');
    const team = await folder(teammate, teamVault, 'Team');
    const doc = await put(owner, ownerVault, 'mine.txt');

    for (const [who, id] of [
      [stranger, mine.id],
      [teammate, mine.id],
      [owner, theirs.id],
      [owner, team.id],
    ] as const) {
      expect((await call(who, 'PATCH', `/api/folders/${id}`, { name: 'Mine now' })).status).toBe(404);
      expect((await call(who, 'DELETE', `/api/folders/${id}`)).status).toBe(404);
      expect((await call(who, 'GET', `/api/folders?vaultId=${ownerVault}&folderId=${id}`)).status).toBe(404);
    }
    // Into someone else's folder or vault: 404, and nothing moved.
    expect(
      (await call(owner, 'POST', '/api/folders', { vaultId: strangerVault, name: 'Intruder' })).status,
    ).toBe(404);
    expect(
      (await call(owner, 'POST', '/api/folders', { vaultId: ownerVault, parentId: theirs.id, name: 'X' }))
        .status,
    ).toBe(404);
    expect(
      (await call(owner, 'POST', '/api/folders/move', { documentId: doc.id, targetFolderId: theirs.id }))
        .status,
    ).toBe(404);
    expect(
      (await call(stranger, 'POST', '/api/folders/move', { documentId: doc.id, targetFolderId: theirs.id }))
        .status,
    ).toBe(404);
    expect((await call(owner, 'PATCH', `/api/folders/${mine.id}`, { parentId: team.id })).status).toBe(404);
    const upload = await fetch(
      new URL(`/api/uploads?vaultId=${ownerVault}&name=x.txt&folderId=${theirs.id}`, server.url),
      { method: 'POST', headers: { cookie: owner.cookie, origin, 'content-type': 'text/plain' }, body: 'x' },
    );
    expect(upload.status).toBe(404);
    // The trash too: another user's items are missing, not "not yours".
    expect((await call(owner, 'DELETE', `/api/documents/${doc.id}`)).status).toBe(204);
    expect((await call(stranger, 'POST', `/api/trash/documents/${doc.id}/restore`)).status).toBe(404);
    expect((await call(stranger, 'DELETE', `/api/trash/documents/${doc.id}`)).status).toBe(404);
    expect((await json(call(stranger, 'GET', '/api/trash'), 200)).items).toEqual([]);
    expect((await call(stranger, 'DELETE', '/api/trash')).status).toBe(200);
    expect((await json(call(owner, 'GET', '/api/trash'), 200)).items).toHaveLength(1);
    // Cross-site requests are refused before anything runs.
    const crossSite = await fetch(new URL(`/api/folders/${mine.id}`, server.url), {
      method: 'DELETE',
      headers: { cookie: owner.cookie, origin: 'https://evil.example' },
    });
    expect(crossSite.status).toBe(403);
  });

  it('takes a folder in the tus creation metadata, checked like the plain upload’s', async () => {
    const user = await launchedUser();
    const stranger = await launchedUser();
    const vaultId = await vaultOf(user);
    const inbox = await folder(user, vaultId, 'Inbox');
    const theirs = await folder(stranger, await vaultOf(stranger), 'Theirs');
    const create = (folderId: string) =>
      tusRequest(server.url, 'POST', '/api/uploads/tus', {
        headers: {
          cookie: user.cookie,
          origin,
          'upload-length': '5',
          'upload-metadata': tusMetadata({ vaultId, filename: 'big.txt', folderId }),
        },
      });
    expect((await create(theirs.id)).status).toBe(404);
    expect((await create('../../etc')).status).toBe(400);
    const created = await create(inbox.id);
    expect(created.status).toBe(201);
    const rows = await svd.db
      .select({ folderId: schema.document.folderId })
      .from(schema.document)
      .where(eq(schema.document.userId, user.userId));
    expect(rows).toEqual([{ folderId: inbox.id }]);
  });
});

describe('the trash', { timeout: 30_000 }, () => {
  it('deletes to the trash, lists each deletion once with its expiry, and restores exactly what went', async () => {
    const user = await launchedUser();
    const vaultId = await vaultOf(user);
    const photos = await folder(user, vaultId, 'Photos');
    const trip = await folder(user, vaultId, 'Trip', photos.id);
    const early = await put(user, vaultId, 'early.txt', 'gone first', trip.id);
    const kept = await put(user, vaultId, 'beach.txt', 'sand', trip.id);
    const before = (await json(call(user, 'GET', '/api/usage'), 200)).storageUsedBytes;

    expect((await call(user, 'DELETE', `/api/documents/${early.id}`)).status).toBe(204);
    expect((await call(user, 'GET', `/api/documents/${early.id}/download`)).status).toBe(404);
    expect((await call(user, 'DELETE', `/api/folders/${photos.id}`)).status).toBe(204);
    expect((await listing(user, vaultId)).folders).toEqual([]);
    expect((await json(call(user, 'GET', '/api/documents?q=sand'), 200)).documents).toEqual([]);
    expect((await call(user, 'GET', `/api/folders?vaultId=${vaultId}&folderId=${trip.id}`)).status).toBe(404);
    // Moving into or uploading into a trashed folder: it is not there.
    expect(
      (await call(user, 'POST', '/api/folders', { vaultId, parentId: photos.id, name: 'Late' })).status,
    ).toBe(404);

    const trash = await json(call(user, 'GET', '/api/trash'), 200);
    expect(trash.items.map((i: { kind: string; name: string }) => `${i.kind}:${i.name}`)).toEqual([
      'folder:Photos',
      'document:early.txt',
    ]);
    const entry = trash.items[0];
    expect(Date.parse(entry.expiresAt) - Date.parse(entry.trashedAt)).toBe(30 * 86_400_000);
    expect(entry.sizeBytes).toBe(4);
    // Still counted against storage, and said so.
    expect((await json(call(user, 'GET', '/api/usage'), 200)).storageUsedBytes).toBe(before);
    expect(trash.usage.bytes).toBe(14);

    const restored = await json(call(user, 'POST', `/api/trash/folders/${photos.id}/restore`), 200);
    expect(restored.restored).toMatchObject({ name: 'Photos', folderId: null, renamedFrom: null });
    expect(names((await listing(user, vaultId, trip.id)).documents)).toEqual([kept.name]);
    // What was deleted on its own before stays in the trash; restoring it now puts it back in its folder.
    expect((await json(call(user, 'GET', '/api/trash'), 200)).items).toHaveLength(1);
    const back = await json(call(user, 'POST', `/api/trash/documents/${early.id}/restore`), 200);
    expect(back.restored).toMatchObject({ folderId: trip.id, movedToRoot: false, renamedFrom: null });
    expect(await (await call(user, 'GET', `/api/documents/${early.id}/download`)).text()).toBe('gone first');
    expect((await call(user, 'POST', `/api/trash/documents/${early.id}/restore`)).status).toBe(404);
  });

  it('restores to the vault root when the folder is gone, and as "… (restored)" on a name clash', async () => {
    const user = await launchedUser();
    const vaultId = await vaultOf(user);
    const box = await folder(user, vaultId, 'Box');
    const doc = await put(user, vaultId, 'report.pdf', 'v1', box.id);
    await json(call(user, 'DELETE', `/api/documents/${doc.id}`), 204);
    await json(call(user, 'DELETE', `/api/folders/${box.id}`), 204);
    await put(user, vaultId, 'REPORT.pdf', 'newer');
    const first = await json(call(user, 'POST', `/api/trash/documents/${doc.id}/restore`), 200);
    expect(first.restored).toMatchObject({
      folderId: null,
      movedToRoot: true,
      name: 'report (restored).pdf',
      renamedFrom: 'report.pdf',
    });
    expect(first.restored.message).toMatch(/to the root of “My documents”.*as “report \(restored\)\.pdf”/);

    await folder(user, vaultId, 'box');
    const second = await json(call(user, 'POST', `/api/trash/folders/${box.id}/restore`), 200);
    expect(second.restored).toMatchObject({ name: 'Box (restored)', renamedFrom: 'Box' });
    const third = await folder(user, vaultId, 'Box (restored) x');
    expect(third.name).toBe('Box (restored) x');
  });

  it('deletes for good (blob and quota) one item or the whole trash, and expires items after 30 days', async () => {
    const user = await launchedUser();
    const vaultId = await vaultOf(user);
    const old = await put(user, vaultId, 'old.txt', 'old');
    const recent = await put(user, vaultId, 'recent.txt', 'recent');
    const nested = await folder(user, vaultId, 'Old folder');
    const inside = await put(user, vaultId, 'inside.txt', 'inside', nested.id);
    const single = await put(user, vaultId, 'single.txt', 'single');
    const keyOf = async (id: string) =>
      (await svd.db.select().from(schema.document).where(eq(schema.document.id, id)))[0]?.storageKey ?? '';
    const keys = {
      old: await keyOf(old.id),
      inside: await keyOf(inside.id),
      single: await keyOf(single.id),
      recent: await keyOf(recent.id),
    };
    for (const id of [old.id, recent.id, single.id])
      await json(call(user, 'DELETE', `/api/documents/${id}`), 204);
    await json(call(user, 'DELETE', `/api/folders/${nested.id}`), 204);

    // One item for good: the row, the blob, the bytes.
    const used = (await json(call(user, 'GET', '/api/usage'), 200)).storageUsedBytes;
    await json(call(user, 'DELETE', `/api/trash/documents/${single.id}`), 204);
    expect(await findBlobFile(keys.single)).toBeNull();
    expect((await json(call(user, 'GET', '/api/usage'), 200)).storageUsedBytes).toBe(used - 6);
    expect((await call(user, 'DELETE', `/api/trash/documents/${single.id}`)).status).toBe(404);
    // A live document is not in the trash: deleting it "for good" is a 404, not a shortcut.
    const live = await put(user, vaultId, 'live.txt', 'live');
    expect((await call(user, 'DELETE', `/api/trash/documents/${live.id}`)).status).toBe(404);

    // 31 days ago: the folder (with what is in it) and old.txt; 29 days ago: recent.txt.
    const at = (days: number) => new Date(Date.now() - days * 86_400_000);
    await svd.db.execute(
      sql`update securevault."Folder" set "trashedAt" = ${at(31).toISOString()}::timestamp where id = ${nested.id}`,
    );
    await svd.db.execute(
      sql`update securevault."Document" set "trashedAt" = ${at(31).toISOString()}::timestamp where id in (${old.id}, ${inside.id})`,
    );
    await svd.db.execute(
      sql`update securevault."Document" set "trashedAt" = ${at(29).toISOString()}::timestamp where id = ${recent.id}`,
    );
    const expired = await expireTrash(svd.db, vaultStorage().store, { log: logger });
    expect(expired.documents).toBeGreaterThanOrEqual(2);
    expect(expired.folders).toBeGreaterThanOrEqual(1);
    expect(await findBlobFile(keys.old)).toBeNull();
    expect(await findBlobFile(keys.inside)).toBeNull();
    expect(await findBlobFile(keys.recent)).not.toBeNull();
    const left = await json(call(user, 'GET', '/api/trash'), 200);
    expect(names(left.items)).toEqual(['recent.txt']);

    const emptied = await json(call(user, 'DELETE', '/api/trash'), 200);
    expect(emptied.emptied).toMatchObject({ documents: 1, folders: 0, bytes: 6 });
    expect(await findBlobFile(keys.recent)).toBeNull();
    expect((await json(call(user, 'GET', '/api/trash'), 200)).items).toEqual([]);
    expect(names((await listing(user, vaultId)).documents)).toEqual(['live.txt']);
  });

  it('counts the trash against the quota until it is emptied', async () => {
    const user = await launchedUser();
    const vaultId = await vaultOf(user);
    const { limits } = await json(call(user, 'GET', '/api/usage'), 200);
    await occupyStorage(user.userId, vaultId, limits.storageBytes - 100);
    const doc = await put(user, vaultId, 'fifty.bin', 'x'.repeat(50));
    await json(call(user, 'DELETE', `/api/documents/${doc.id}`), 204);
    const refused = await fetch(new URL(`/api/uploads?vaultId=${vaultId}&name=more.bin`, server.url), {
      method: 'POST',
      headers: { cookie: user.cookie, origin, 'content-type': 'text/plain' },
      body: 'y'.repeat(80),
    });
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.message).toMatch(/Not enough storage/);
    await json(call(user, 'DELETE', '/api/trash'), 200);
    await put(user, vaultId, 'more.bin', 'y'.repeat(80));
  });

  it('in read-only mode (canceled) still deletes, restores, deletes for good and empties; no new folders', async () => {
    const user = await launchedUser();
    const vaultId = await vaultOf(user);
    const keep = await folder(user, vaultId, 'Keep');
    const a = await put(user, vaultId, 'a.txt', 'aaa', keep.id);
    const b = await put(user, vaultId, 'b.txt', 'bbb');
    await provision(user.userId, 'starter', 'canceled');
    const refused = await call(user, 'POST', '/api/folders', { vaultId, name: 'New' });
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.message).toMatch(/canceled/);
    await json(call(user, 'PATCH', `/api/folders/${keep.id}`, { name: 'Kept' }), 200);
    await json(call(user, 'DELETE', `/api/documents/${a.id}`), 204);
    await json(call(user, 'DELETE', `/api/documents/${b.id}`), 204);
    // Trashed bytes never stopped counting, so restoring needs no quota and is allowed.
    await json(call(user, 'POST', `/api/trash/documents/${a.id}/restore`), 200);
    expect(await (await call(user, 'GET', `/api/documents/${a.id}/download`)).text()).toBe('aaa');
    await json(call(user, 'DELETE', `/api/folders/${keep.id}`), 204);
    await json(call(user, 'DELETE', `/api/trash/folders/${keep.id}`), 204);
    const emptied = await json(call(user, 'DELETE', '/api/trash'), 200);
    expect(emptied.emptied.documents).toBe(1);
  });
});

describe('folders and the trash in a team space', { timeout: 30_000 }, () => {
  it('applies the roles as for documents, and logs every folder and trash action', async () => {
    const organizationId = await createOrganization('Trashy', 'business_starter');
    const [owner, member, viewer] = await launchedTeam(organizationId, ['owner', 'member', 'viewer']);
    const vaultId = await vaultOf(owner);

    expect((await call(viewer, 'POST', '/api/folders', { vaultId, name: 'Nope' })).status).toBe(403);
    const shared = await folder(owner, vaultId, 'Shared');
    const own = await folder(member, vaultId, 'Mine');
    const ownersDoc = await put(owner, vaultId, 'board.txt', 'board', own.id);
    const membersDoc = await put(member, vaultId, 'notes.txt', 'notes', own.id);

    // A member: their own folders and documents only; a folder holding a teammate's document stays.
    expect((await call(member, 'PATCH', `/api/folders/${shared.id}`, { name: 'Taken' })).status).toBe(403);
    expect((await call(member, 'DELETE', `/api/folders/${shared.id}`)).status).toBe(403);
    const blocked = await call(member, 'DELETE', `/api/folders/${own.id}`);
    expect(blocked.status).toBe(403);
    expect((await blocked.json()).error.message).toMatch(/another member added/);
    expect((await call(member, 'DELETE', `/api/documents/${ownersDoc.id}`)).status).toBe(403);
    expect((await call(viewer, 'DELETE', `/api/documents/${membersDoc.id}`)).status).toBe(403);
    await json(
      call(member, 'POST', '/api/folders/move', { documentId: membersDoc.id, targetFolderId: null }),
      200,
    );
    await json(call(member, 'DELETE', `/api/documents/${membersDoc.id}`), 204);
    expect((await call(viewer, 'POST', `/api/trash/documents/${membersDoc.id}/restore`)).status).toBe(403);
    expect((await call(viewer, 'DELETE', '/api/trash')).status).toBe(403);
    // The viewer may look; only the member may restore their own.
    const seen = await json(call(viewer, 'GET', '/api/trash'), 200);
    expect(seen.items).toMatchObject([{ name: 'notes.txt', editable: false }]);
    await json(call(member, 'POST', `/api/trash/documents/${membersDoc.id}/restore`), 200);

    // The owner: everything.
    await json(call(owner, 'PATCH', `/api/folders/${own.id}`, { name: 'Member folder' }), 200);
    await json(
      call(owner, 'POST', '/api/folders/move', { folderId: own.id, targetFolderId: shared.id }),
      200,
    );
    await json(call(owner, 'DELETE', `/api/folders/${own.id}`), 204);
    expect((await call(member, 'POST', `/api/trash/folders/${own.id}/restore`)).status).toBe(403);
    await json(call(owner, 'POST', `/api/trash/folders/${own.id}/restore`), 200);
    await json(call(owner, 'DELETE', `/api/documents/${ownersDoc.id}`), 204);
    await json(call(owner, 'DELETE', `/api/trash/documents/${ownersDoc.id}`), 204);
    await json(call(owner, 'DELETE', '/api/trash'), 200);

    const { rows } = await svd.pool.query(
      `SELECT "userId", action, subject FROM securevault."TeamActivity"
       WHERE "organizationId" = $1 AND action <> 'upload' ORDER BY "createdAt"`,
      [organizationId],
    );
    expect(
      rows.map((row) => `${row.userId === owner.userId ? 'owner' : 'member'} ${row.action} ${row.subject}`),
    ).toEqual([
      'owner create_folder Shared',
      'member create_folder Mine',
      'member move notes.txt',
      'member delete notes.txt',
      'member restore notes.txt',
      'owner rename_folder Member folder',
      'owner move_folder Member folder',
      'owner delete Member folder',
      'owner restore Member folder',
      'owner delete board.txt',
      'owner delete_permanently board.txt',
      'owner empty_trash Trash',
    ]);
  });
});
