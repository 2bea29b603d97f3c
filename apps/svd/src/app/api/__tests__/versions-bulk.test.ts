import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { schema } from '@omg/db';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveRoutes, type TRouteServer, type TRouteTable } from '@/testing/route-server';
import { tusMetadata, tusRequest } from '@/testing/tus-client';
import { GET as download } from '../documents/[id]/download/route';
import { GET as versionDownload } from '../documents/[id]/versions/[versionId]/download/route';
import { POST as restore } from '../documents/[id]/versions/[versionId]/restore/route';
import { GET as listVersions } from '../documents/[id]/versions/route';
import { POST as bulkDelete } from '../documents/bulk/delete/route';
import { POST as bulkDownload } from '../documents/bulk/download/route';
import { POST as bulkMove } from '../documents/bulk/move/route';
import { GET as teamActivity } from '../team/activity/route';
import { POST as upload } from '../uploads/route';
import { PATCH as tusPatch, POST as tusPost } from '../uploads/tus/[[...id]]/route';
import { GET as usage } from '../usage/route';
import { POST as createVault, GET as listVaults } from '../vaults/route';
import { GET as getSetting, PUT as putSetting } from '../versions/settings/route';
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
  type TVaultUser,
} from './vault-fixtures';

const run = promisify(execFile);
const origin = new URL(SVD).origin;
const TUS = '/api/uploads/tus';

type THandler = NonNullable<ReturnType<TRouteTable>>['handler'];

let server: TRouteServer;
beforeAll(async () => {
  // Every route of this file over real HTTP, as `next start` serves them.
  const table: [string, RegExp, THandler, string[]][] = [
    ['POST', /^\/api\/uploads$/, upload, []],
    ['GET', /^\/api\/vaults$/, listVaults, []],
    ['POST', /^\/api\/vaults$/, createVault, []],
    ['GET', /^\/api\/usage$/, usage, []],
    ['GET', /^\/api\/team\/activity$/, teamActivity, []],
    ['GET', /^\/api\/versions\/settings$/, getSetting, []],
    ['PUT', /^\/api\/versions\/settings$/, putSetting, []],
    ['POST', /^\/api\/documents\/bulk\/download$/, bulkDownload, []],
    ['POST', /^\/api\/documents\/bulk\/move$/, bulkMove, []],
    ['POST', /^\/api\/documents\/bulk\/delete$/, bulkDelete, []],
    ['GET', /^\/api\/documents\/([^/]+)\/download$/, download, ['id']],
    ['GET', /^\/api\/documents\/([^/]+)\/versions$/, listVersions, ['id']],
    ['GET', /^\/api\/documents\/([^/]+)\/versions\/([^/]+)\/download$/, versionDownload, ['id', 'versionId']],
    ['POST', /^\/api\/documents\/([^/]+)\/versions\/([^/]+)\/restore$/, restore, ['id', 'versionId']],
  ];
  server = await serveRoutes((method, pathname) => {
    if (pathname === TUS || pathname.startsWith(`${TUS}/`)) {
      const handler = method === 'POST' ? tusPost : method === 'PATCH' ? tusPatch : null;
      const id = pathname
        .slice(TUS.length + 1)
        .split('/')
        .filter(Boolean);
      return handler ? { handler, params: { id } } : null;
    }
    for (const [m, pattern, handler, names] of table) {
      const match = pattern.exec(pathname);
      if (m === method && match) {
        return { handler, params: Object.fromEntries(names.map((name, i) => [name, match[i + 1]])) };
      }
    }
    return null;
  }, SVD);
});

afterAll(async () => {
  await server?.close();
  await Promise.all([admin.pool.end(), hub.pool.end(), svd.pool.end()]);
});

function call(user: TVaultUser | null, urlPath: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (user) headers.set('cookie', user.cookie);
  if (!headers.has('origin')) headers.set('origin', origin);
  if (typeof init.body === 'string' && !headers.has('content-type'))
    headers.set('content-type', 'application/json');
  return fetch(`${server.url}${urlPath}`, { ...init, headers });
}

async function json<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

async function defaultVault(user: TVaultUser): Promise<string> {
  return (await json<{ vaults: { id: string }[] }>(await call(user, '/api/vaults'))).vaults[0]?.id ?? '';
}

function put(user: TVaultUser, vaultId: string, name: string, data: Buffer, onConflict?: string) {
  const query = `vaultId=${vaultId}&name=${encodeURIComponent(name)}${onConflict ? `&onConflict=${onConflict}` : ''}`;
  return call(user, `/api/uploads?${query}`, {
    method: 'POST',
    body: new Uint8Array(data),
    headers: { 'content-type': 'text/plain' },
  });
}

async function uploaded(user: TVaultUser, vaultId: string, name: string, data: Buffer): Promise<string> {
  const response = await put(user, vaultId, name, data);
  expect(response.status).toBe(201);
  return (await json<{ document: { id: string } }>(response)).document.id;
}

async function bytesOf(response: Response): Promise<Buffer> {
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

interface TVersions {
  versions: { id: string | null; current: boolean; sizeBytes: number; uploadedBy: string }[];
  keepVersions: number;
}

const versionsOf = async (user: TVaultUser, id: string) =>
  json<TVersions>(await call(user, `/api/documents/${id}/versions`));

const storageUsed = async (user: TVaultUser) =>
  (await json<{ storageUsedBytes: number }>(await call(user, '/api/usage'))).storageUsedBytes;

async function rowsOf(userId: string) {
  return svd.db.select().from(schema.document).where(eq(schema.document.userId, userId));
}

async function versionRows(documentId: string) {
  return svd.db
    .select()
    .from(schema.documentVersion)
    .where(eq(schema.documentVersion.documentId, documentId));
}

describe('uploading a name that exists: new version or keep both (issue 16 §4)', () => {
  it('asks with 409 (nothing stored), keeps both as "name (2)", or makes a new version', async () => {
    const user = await launchedUser();
    const vaultId = await defaultVault(user);
    const v1 = Buffer.from('version one\n');
    const id = await uploaded(user, vaultId, 'report.txt', v1);

    const asked = await put(user, vaultId, 'REPORT.txt', Buffer.from('other'));
    expect(asked.status).toBe(409);
    const { error } = await json<{
      error: { code: string; message: string; details: Record<string, string> };
    }>(asked);
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toContain('new version');
    expect(error.details).toEqual({
      reason: 'name_taken',
      documentId: id,
      name: 'report.txt',
      keepBothName: 'REPORT (2).txt',
    });
    expect(await rowsOf(user.userId)).toHaveLength(1);

    const both = await put(user, vaultId, 'report.txt', Buffer.from('beside'), 'keep_both');
    expect(both.status).toBe(201);
    expect((await json<{ document: { name: string } }>(both)).document.name).toBe('report (2).txt');
    const third = await put(user, vaultId, 'report.txt', Buffer.from('third'), 'keep_both');
    expect((await json<{ document: { name: string } }>(third)).document.name).toBe('report (3).txt');

    const v2 = Buffer.from('version two, longer\n');
    const versioned = await put(user, vaultId, 'report.txt', v2, 'version');
    expect(versioned.status).toBe(200);
    const { document } = await json<{ document: { id: string; name: string; sizeBytes: number } }>(versioned);
    expect(document).toMatchObject({ id, name: 'report.txt', sizeBytes: v2.length });
    // Three documents: the versioned one and the two kept beside it; its former content is a version.
    expect(await rowsOf(user.userId)).toHaveLength(3);
    expect((await bytesOf(await call(user, `/api/documents/${id}/download`))).equals(v2)).toBe(true);
    const listed = await versionsOf(user, id);
    expect(listed.keepVersions).toBe(10);
    expect(listed.versions.map((v) => [v.current, v.sizeBytes, v.uploadedBy])).toEqual([
      [true, v2.length, user.userId],
      [false, v1.length, user.userId],
    ]);
    const former = listed.versions[1]?.id ?? '';
    expect(
      (await bytesOf(await call(user, `/api/documents/${id}/versions/${former}/download`))).equals(v1),
    ).toBe(true);
    // Versions count against storage: every byte stored, the former version's too.
    expect(await storageUsed(user)).toBe(v1.length + v2.length + 'beside'.length + 'third'.length);
  });

  it('restores by swapping: the old content is current again, the replaced one kept, storage unchanged', async () => {
    const user = await launchedUser();
    const vaultId = await defaultVault(user);
    const v1 = Buffer.from('the original');
    const v2 = Buffer.from('the edit that went wrong');
    const id = await uploaded(user, vaultId, 'notes.txt', v1);
    expect((await put(user, vaultId, 'notes.txt', v2, 'version')).status).toBe(200);
    const before = await storageUsed(user);
    const former = (await versionsOf(user, id)).versions[1]?.id ?? '';

    const restored = await call(user, `/api/documents/${id}/versions/${former}/restore`, { method: 'POST' });
    expect(restored.status).toBe(200);
    expect((await bytesOf(await call(user, `/api/documents/${id}/download`))).equals(v1)).toBe(true);
    const after = await versionsOf(user, id);
    expect(after.versions.map((v) => [v.current, v.sizeBytes])).toEqual([
      [true, v1.length],
      [false, v2.length],
    ]);
    expect(
      (await bytesOf(await call(user, `/api/documents/${id}/versions/${former}/download`))).equals(v2),
    ).toBe(true);
    expect(await storageUsed(user)).toBe(before);
    // The restored content is indexed again (search covers the current text).
    const [row] = await svd.db.select().from(schema.document).where(eq(schema.document.id, id));
    expect(row?.indexStatus).toBe('pending');
  });

  it('a new version that does not fit the quota is refused atomically: nothing stored, nothing changed', async () => {
    const user = await launchedUser();
    const vaultId = await defaultVault(user);
    const limit = (await json<{ limits: { storageBytes: number } }>(await call(user, '/api/usage'))).limits
      .storageBytes;
    const size = 40_000;
    // Room for exactly two copies and 10 bytes: the first upload and its new version fit only because the
    // version's bytes are counted; the third would fit if versions did not count.
    await occupyStorage(user.userId, vaultId, limit - 2 * size - 10);
    const v1 = randomBytes(size);
    const id = await uploaded(user, vaultId, 'big.bin', v1);
    expect((await put(user, vaultId, 'big.bin', randomBytes(size), 'version')).status).toBe(200);
    expect(await storageUsed(user)).toBe(limit - 10);
    const rowsBefore = await rowsOf(user.userId);
    const versionsBefore = await versionRows(id);

    const refused = await put(user, vaultId, 'big.bin', randomBytes(size), 'version');
    expect(refused.status).toBe(403);
    expect((await json<{ error: { details: { reason: string } } }>(refused)).error.details.reason).toBe(
      'storage_quota',
    );
    expect(await rowsOf(user.userId)).toEqual(rowsBefore);
    expect(await versionRows(id)).toEqual(versionsBefore);
    expect(await svd.db.select().from(schema.versionUpload)).not.toContainEqual(
      expect.objectContaining({ targetDocumentId: id }),
    );
  });

  it('keeps as many versions as the setting says; pruned versions lose their blobs', async () => {
    const user = await launchedUser();
    const vaultId = await defaultVault(user);
    const id = await uploaded(user, vaultId, 'draft.txt', Buffer.from('v1'));
    for (const text of ['v2', 'v3', 'v4']) {
      expect((await put(user, vaultId, 'draft.txt', Buffer.from(text), 'version')).status).toBe(200);
    }
    const three = await versionRows(id);
    expect(three).toHaveLength(3);
    expect(await json(await call(user, '/api/versions/settings'))).toEqual({ keepVersions: 10 });

    const bad = await call(user, '/api/versions/settings', { method: 'PUT', body: '{"keepVersions":101}' });
    expect(bad.status).toBe(400);
    const lowered = await call(user, '/api/versions/settings', { method: 'PUT', body: '{"keepVersions":1}' });
    expect(await json(lowered)).toEqual({ keepVersions: 1, pruned: 2 });
    const kept = await versionRows(id);
    expect(kept.map((v) => v.sizeBytes)).toEqual([2]);
    // The newest former version (v3) is the one kept.
    const keptId = kept[0]?.id ?? '';
    expect(
      (await bytesOf(await call(user, `/api/documents/${id}/versions/${keptId}/download`))).toString(),
    ).toBe('v3');
    for (const gone of three.filter((v) => v.id !== keptId)) {
      expect(await findBlobFile(gone.storageKey)).toBeNull();
    }
    const orphans = await svd.db
      .select()
      .from(schema.orphanedBlob)
      .where(
        inArray(
          schema.orphanedBlob.storageKey,
          three.map((v) => v.storageKey),
        ),
      );
    expect(orphans).toEqual([]);

    // A new version prunes to the setting as it arrives.
    expect((await put(user, vaultId, 'draft.txt', Buffer.from('v5'), 'version')).status).toBe(200);
    const now = await versionRows(id);
    expect(now).toHaveLength(1);
    expect(await findBlobFile(keptId ? (kept[0]?.storageKey ?? '') : '')).toBeNull();
    expect(await storageUsed(user)).toBe(4);
  });

  it('a tus upload of the same name asks too, and can become the new version', async () => {
    const user = await launchedUser();
    const vaultId = await defaultVault(user);
    const id = await uploaded(user, vaultId, 'scan.bin', Buffer.from('first scan'));
    const data = randomBytes(100_000);
    const create = (metadata: Record<string, string>) =>
      tusRequest(server.url, 'POST', TUS, {
        headers: {
          cookie: user.cookie,
          origin,
          'upload-length': String(data.length),
          'upload-metadata': tusMetadata(metadata),
        },
      });
    const asked = await create({ vaultId, filename: 'scan.bin' });
    expect(asked.status).toBe(409);
    expect(JSON.parse(asked.body).error.details).toMatchObject({ reason: 'name_taken', documentId: id });
    expect(await rowsOf(user.userId)).toHaveLength(1);

    const created = await create({ vaultId, filename: 'scan.bin', onConflict: 'version' });
    expect(created.status).toBe(201);
    const patched = await tusRequest(server.url, 'PATCH', created.headers.location ?? '', {
      headers: {
        cookie: user.cookie,
        origin,
        'upload-offset': '0',
        'content-type': 'application/offset+octet-stream',
      },
      body: data,
    });
    expect(patched.status).toBe(204);
    expect(await rowsOf(user.userId)).toHaveLength(1);
    expect((await bytesOf(await call(user, `/api/documents/${id}/download`))).equals(data)).toBe(true);
    expect((await versionsOf(user, id)).versions).toHaveLength(2);
  });

  it("nobody reaches another user's versions; read-only mode lists, downloads and restores but adds none", async () => {
    const owner = await launchedUser();
    const other = await launchedUser();
    const vaultId = await defaultVault(owner);
    const id = await uploaded(owner, vaultId, 'mine.txt', Buffer.from('one'));
    expect((await put(owner, vaultId, 'mine.txt', Buffer.from('two'), 'version')).status).toBe(200);
    const former = (await versionsOf(owner, id)).versions[1]?.id ?? '';
    const otherVault = await defaultVault(other);
    // The other user's own document with the same name: never a version of the owner's.
    const theirs = await uploaded(other, otherVault, 'mine.txt', Buffer.from('theirs'));

    expect((await call(other, `/api/documents/${id}/versions`)).status).toBe(404);
    expect((await call(other, `/api/documents/${id}/versions/${former}/download`)).status).toBe(404);
    expect((await call(other, `/api/documents/${theirs}/versions/${former}/download`)).status).toBe(404);
    expect(
      (await call(other, `/api/documents/${theirs}/versions/${former}/restore`, { method: 'POST' })).status,
    ).toBe(404);
    expect(
      (await call(other, `/api/documents/${id}/versions/${former}/restore`, { method: 'POST' })).status,
    ).toBe(404);
    expect((await call(null, `/api/documents/${id}/versions`)).status).toBe(401);
    expect((await versionsOf(owner, id)).versions[0]?.sizeBytes).toBe(3);

    await provision(owner.userId, 'starter', 'canceled');
    const refused = await put(owner, vaultId, 'mine.txt', Buffer.from('three'), 'version');
    expect(refused.status).toBe(403);
    expect((await versionsOf(owner, id)).versions).toHaveLength(2);
    expect(
      (await bytesOf(await call(owner, `/api/documents/${id}/versions/${former}/download`))).toString(),
    ).toBe('one');
    expect(
      (await call(owner, `/api/documents/${id}/versions/${former}/restore`, { method: 'POST' })).status,
    ).toBe(200);
    expect((await bytesOf(await call(owner, `/api/documents/${id}/download`))).toString()).toBe('one');
  });
});

describe('bulk actions (issue 16 §6)', () => {
  const form = (ids: string[]) => ids.map((id) => `ids=${encodeURIComponent(id)}`).join('&');
  const zipOf = (user: TVaultUser, ids: string[], headers: Record<string, string> = {}) =>
    call(user, '/api/documents/bulk/download', {
      method: 'POST',
      body: form(ids),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    });

  async function unzip(zip: Buffer): Promise<Map<string, Buffer>> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'svd-zip-'));
    try {
      await writeFile(path.join(dir, 'a.zip'), zip);
      const { stdout } = await run('unzip', ['-Z1', path.join(dir, 'a.zip')]);
      await run('unzip', ['-q', path.join(dir, 'a.zip'), '-d', path.join(dir, 'out')]);
      const files = new Map<string, Buffer>();
      for (const name of stdout.split('\n').filter(Boolean))
        files.set(name, await readFile(path.join(dir, 'out', name)));
      return files;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  it('downloads the selection as one ZIP that unzips to the same bytes (duplicates once, same names numbered)', async () => {
    const user = await launchedUser();
    const vaultId = await defaultVault(user);
    const a = randomBytes(150_000);
    const b = Buffer.from('bee');
    const c = Buffer.from('sea');
    const idA = await uploaded(user, vaultId, 'a.bin', a);
    const idB = await uploaded(user, vaultId, 'same.txt', b);
    const second = (
      await json<{ vault: { id: string } }>(
        await call(user, '/api/vaults', { method: 'POST', body: '{"name":"Second"}' }),
      )
    ).vault.id;
    const idC = await uploaded(user, second, 'same.txt', c);
    const response = await zipOf(user, [idA, idB, idC, idA]);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename=".*\.zip"/);
    const files = await unzip(Buffer.from(await response.arrayBuffer()));
    expect([...files.keys()]).toEqual(['a.bin', 'same.txt', 'same (2).txt']);
    expect(files.get('a.bin')?.equals(a)).toBe(true);
    expect(files.get('same.txt')?.equals(b)).toBe(true);
    expect(files.get('same (2).txt')?.equals(c)).toBe(true);
  });

  it("refuses the whole request when any id is another user's, unknown or trashed, naming those ids", async () => {
    const user = await launchedUser();
    const other = await launchedUser();
    const mine = await uploaded(user, await defaultVault(user), 'mine.txt', Buffer.from('mine'));
    const theirs = await uploaded(other, await defaultVault(other), 'theirs.txt', Buffer.from('theirs'));
    const unknown = randomUUID();
    for (const [label, response] of [
      ['zip', await zipOf(user, [mine, theirs, unknown])],
      [
        'move',
        await call(user, '/api/documents/bulk/move', {
          method: 'POST',
          body: JSON.stringify({ ids: [mine, theirs, unknown], folderId: null }),
        }),
      ],
      [
        'delete',
        await call(user, '/api/documents/bulk/delete', {
          method: 'POST',
          body: JSON.stringify({ ids: [mine, theirs, unknown] }),
        }),
      ],
    ] as const) {
      expect(response.status, label).toBe(404);
      const { error } = await json<{ error: { details: { missing: string[] } } }>(response);
      expect(error.details.missing, label).toEqual([theirs, unknown]);
    }
    // Nothing was done to either document.
    const rows = await svd.db
      .select()
      .from(schema.document)
      .where(inArray(schema.document.id, [mine, theirs]));
    expect(rows.map((r) => r.trashedAt)).toEqual([null, null]);
  });

  it('refuses an empty list, 10,000 ids, ids that are not ids, a JSON body to the form and another origin', async () => {
    const user = await launchedUser();
    const mine = await uploaded(user, await defaultVault(user), 'x.txt', Buffer.from('x'));
    const many = Array.from({ length: 10_000 }, () => randomUUID());
    expect((await zipOf(user, [])).status).toBe(400);
    expect([400, 413]).toContain((await zipOf(user, many)).status);
    expect((await zipOf(user, ['../../etc/passwd'])).status).toBe(400);
    const deleteMany = await call(user, '/api/documents/bulk/delete', {
      method: 'POST',
      body: JSON.stringify({ ids: many }),
    });
    expect(deleteMany.status).toBe(400);
    expect((await json<{ error: { message: string } }>(deleteMany)).error.message).toContain('at most 1000');
    const empty = await call(user, '/api/documents/bulk/move', {
      method: 'POST',
      body: JSON.stringify({ ids: [], folderId: null }),
    });
    expect(empty.status).toBe(400);
    const asJson = await call(user, '/api/documents/bulk/download', {
      method: 'POST',
      body: JSON.stringify({ ids: [mine] }),
    });
    expect(asJson.status).toBe(415);
    const crossSite = await zipOf(user, [mine], { origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
  });

  it('moves and deletes (to the trash) the selection; duplicates act once', async () => {
    const user = await launchedUser();
    const vaultId = await defaultVault(user);
    const one = await uploaded(user, vaultId, 'one.txt', Buffer.from('1'));
    const two = await uploaded(user, vaultId, 'two.txt', Buffer.from('2'));
    const target = (
      await json<{ vault: { id: string } }>(
        await call(user, '/api/vaults', { method: 'POST', body: '{"name":"Archive"}' }),
      )
    ).vault.id;
    const moved = await call(user, '/api/documents/bulk/move', {
      method: 'POST',
      body: JSON.stringify({ ids: [one, two, one], folderId: null, vaultId: target }),
    });
    expect(moved.status).toBe(200);
    const result = await json<{ moved: { id: string; vaultId: string }[]; failed: unknown[] }>(moved);
    expect(result.moved.map((d) => [d.id, d.vaultId])).toEqual([
      [one, target],
      [two, target],
    ]);
    expect(result.failed).toEqual([]);

    const trashed = await call(user, '/api/documents/bulk/delete', {
      method: 'POST',
      body: JSON.stringify({ ids: [two, one, two] }),
    });
    expect(trashed.status).toBe(200);
    expect((await json<{ trashed: { id: string }[] }>(trashed)).trashed.map((d) => d.id)).toEqual([two, one]);
    const rows = await svd.db
      .select()
      .from(schema.document)
      .where(inArray(schema.document.id, [one, two]));
    expect(rows.every((r) => r.trashedAt !== null)).toBe(true);
    // Trashed documents are no longer in a ZIP: the request is refused, naming them.
    expect((await zipOf(user, [one])).status).toBe(404);
  });

  it('read-only mode: the ZIP still downloads; a canceled plan refuses nothing that only gets data out', async () => {
    const user = await launchedUser();
    const vaultId = await defaultVault(user);
    const id = await uploaded(user, vaultId, 'keep.txt', Buffer.from('keep me'));
    await provision(user.userId, 'starter', 'canceled');
    const response = await zipOf(user, [id]);
    expect(response.status).toBe(200);
    const files = await unzip(Buffer.from(await response.arrayBuffer()));
    expect(files.get('keep.txt')?.toString()).toBe('keep me');
    // Adding data stays refused.
    expect((await put(user, vaultId, 'new.txt', Buffer.from('new'))).status).toBe(403);
  });

  it('a blob damaged mid-way fails the ZIP download instead of delivering a short archive', async () => {
    const user = await launchedUser();
    const vaultId = await defaultVault(user);
    const first = await uploaded(user, vaultId, 'first.bin', randomBytes(200_000));
    const second = await uploaded(user, vaultId, 'second.bin', randomBytes(300_000));
    const [row] = await svd.db.select().from(schema.document).where(eq(schema.document.id, second));
    const file = (await findBlobFile(row?.storageKey ?? '')) ?? '';
    const blob = await readFile(file);
    blob[200_000] = (blob[200_000] ?? 0) ^ 0xff;
    await writeFile(file, blob);
    const response = await zipOf(user, [first, second]);
    expect(response.status).toBe(200);
    await expect(response.arrayBuffer()).rejects.toThrow();
  });
});

describe('in a team space, the roles apply to versions and bulk actions as to single documents', () => {
  it('members version and bulk-change only their own uploads; viewers read, download and zip; owners do all', async () => {
    const organizationId = await createOrganization('Versions Co');
    const [owner, alice, bob, viewer] = await launchedTeam(organizationId, [
      'owner',
      'member',
      'member',
      'viewer',
    ]);
    const vaultId = await defaultVault(owner);
    const plan = await uploaded(alice, vaultId, 'plan.txt', Buffer.from('alice v1'));

    // Bob may not make a new version of Alice's document (403, nothing stored); keeping both is his upload.
    const refused = await put(bob, vaultId, 'plan.txt', Buffer.from('bob'), 'version');
    expect(refused.status).toBe(403);
    expect((await versionsOf(owner, plan)).versions).toHaveLength(1);
    const both = await put(bob, vaultId, 'plan.txt', Buffer.from('bob'), 'keep_both');
    const bobs = (await json<{ document: { id: string; name: string } }>(both)).document;
    expect(bobs.name).toBe('plan (2).txt');
    expect((await put(viewer, vaultId, 'plan.txt', Buffer.from('v'), 'keep_both')).status).toBe(403);

    // The owner may; the former version keeps Alice as its uploader, the current one names the owner.
    expect((await put(owner, vaultId, 'plan.txt', Buffer.from('owner v2'), 'version')).status).toBe(200);
    const listed = await versionsOf(viewer, plan);
    expect(listed.versions.map((v) => v.uploadedBy)).toEqual([owner.userId, alice.userId]);
    const former = listed.versions[1]?.id ?? '';
    expect(
      (await bytesOf(await call(viewer, `/api/documents/${plan}/versions/${former}/download`))).toString(),
    ).toBe('alice v1');
    expect(
      (await call(viewer, `/api/documents/${plan}/versions/${former}/restore`, { method: 'POST' })).status,
    ).toBe(403);
    expect(
      (await call(bob, `/api/documents/${plan}/versions/${former}/restore`, { method: 'POST' })).status,
    ).toBe(403);
    expect(
      (await call(alice, `/api/documents/${plan}/versions/${former}/restore`, { method: 'POST' })).status,
    ).toBe(200);
    // Only owners and admins set how many versions the team keeps.
    const setting = (who: TVaultUser) =>
      call(who, '/api/versions/settings', { method: 'PUT', body: '{"keepVersions":5}' });
    expect((await setting(alice)).status).toBe(403);
    expect((await setting(owner)).status).toBe(200);

    // Bulk: Bob's selection with Alice's document is refused whole, naming it; nothing is trashed.
    const mixed = await call(bob, '/api/documents/bulk/delete', {
      method: 'POST',
      body: JSON.stringify({ ids: [bobs.id, plan] }),
    });
    expect(mixed.status).toBe(403);
    expect(
      (await json<{ error: { details: { forbidden: string[] } } }>(mixed)).error.details.forbidden,
    ).toEqual([plan]);
    const viewerDelete = await call(viewer, '/api/documents/bulk/delete', {
      method: 'POST',
      body: JSON.stringify({ ids: [bobs.id] }),
    });
    expect(viewerDelete.status).toBe(403);
    const rows = await svd.db
      .select()
      .from(schema.document)
      .where(inArray(schema.document.id, [bobs.id, plan]));
    expect(rows.every((r) => r.trashedAt === null)).toBe(true);
    // A viewer gets the team's documents out as a ZIP.
    const zip = await call(viewer, '/api/documents/bulk/download', {
      method: 'POST',
      body: `ids=${plan}&ids=${bobs.id}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(zip.status).toBe(200);
    expect((await zip.arrayBuffer()).byteLength).toBeGreaterThan(0);

    const log = await json<{ entries: { action: string; subject: string }[] }>(
      await call(owner, '/api/team/activity'),
    );
    expect(log.entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(['new_version', 'restore_version', 'download']),
    );
  });
});
