import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { schema } from '@omg/db';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discardBlob } from '@/lib/documents/discard-blob';
import { indexDocument } from '@/lib/documents/index-document';
import { INDEX_QUEUE } from '@/lib/documents/index-queue';
import { logger } from '@/lib/logger';
import { readComposedBlob } from '@/lib/storage/composed-blob';
import { SEGMENT_SIZE } from '@/lib/storage/segmented-cipher';
import { sweepExpiredUploads } from '@/lib/uploads/sweep-expired-uploads';
import { vaultStorage } from '@/lib/vault-storage';
import { serveRoutes, type TRouteServer } from '@/testing/route-server';
import { type TTusResponse, tusMetadata, tusRequest } from '@/testing/tus-client';
import { GET as download } from '../documents/[id]/download/route';
import { GET as listDocuments } from '../documents/route';
import { DELETE, HEAD, OPTIONS, PATCH, POST } from '../uploads/tus/[[...id]]/route';
import { GET as listVaults } from '../vaults/route';
import {
  admin,
  findBlobFile,
  hub,
  launchedUser,
  occupyStorage,
  provision,
  SVD,
  svd,
  type TVaultUser,
} from './vault-fixtures';

const MB = 1024 ** 2;
const TUS = '/api/uploads/tus';

let server: TRouteServer;
beforeAll(async () => {
  server = await serveRoutes((method, pathname) => {
    if (pathname === TUS || pathname.startsWith(`${TUS}/`)) {
      const handler = ({ POST, HEAD, PATCH, DELETE, OPTIONS } as Record<string, typeof POST | undefined>)[
        method
      ];
      return handler
        ? {
            handler,
            params: {
              id: pathname
                .slice(TUS.length + 1)
                .split('/')
                .filter(Boolean),
            },
          }
        : null;
    }
    const id = /^\/api\/documents\/([^/]+)\/download$/.exec(pathname)?.[1];
    if (id && method === 'GET') return { handler: download, params: { id } };
    return null;
  }, SVD);
});

afterAll(async () => {
  await server?.close();
  await Promise.all([admin.pool.end(), hub.pool.end(), svd.pool.end()]);
});

const origin = new URL(SVD).origin;

async function defaultVault(user: TVaultUser): Promise<string> {
  const response = await listVaults(new Request(`${SVD}/api/vaults`, { headers: { cookie: user.cookie } }), {
    params: Promise.resolve({}),
  });
  return (await response.json()).vaults[0].id;
}

function create(
  user: TVaultUser,
  length: number,
  metadata: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<TTusResponse> {
  return tusRequest(server.url, 'POST', TUS, {
    headers: {
      cookie: user.cookie,
      origin,
      'upload-length': String(length),
      'upload-metadata': tusMetadata(metadata),
      ...headers,
    },
  });
}

function patch(user: TVaultUser, location: string, offset: number, body: Buffer, cutAfterBytes?: number) {
  return tusRequest(server.url, 'PATCH', location, {
    headers: {
      cookie: user.cookie,
      origin,
      'upload-offset': String(offset),
      'content-type': 'application/offset+octet-stream',
    },
    body: (async function* () {
      for (let at = 0; at < body.length; at += 16 * 1024) yield body.subarray(at, at + 16 * 1024);
    })(),
    cutAfterBytes,
  });
}

function head(user: TVaultUser, location: string) {
  return tusRequest(server.url, 'HEAD', location, { headers: { cookie: user.cookie } });
}

const errorMessage = (response: TTusResponse) => JSON.parse(response.body).error.message as string;

async function documentsOf(userId: string) {
  return svd.db.select().from(schema.document).where(eq(schema.document.userId, userId));
}

async function uploadRow(location: string) {
  const id = location.split('/').at(-1) ?? '';
  const [row] = await svd.db.select().from(schema.resumableUpload).where(eq(schema.resumableUpload.id, id));
  return row;
}

/** A cut PATCH is still being stored when the client learns of the cut: wait until it has stored and let go. */
async function settled(location: string) {
  for (let tries = 0; tries < 200; tries++) {
    const row = await uploadRow(location);
    if (row && !row.lockToken && row.receivedBytes > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the cut request never let go of the upload');
}

async function storedFiles(storageKey: string): Promise<string[]> {
  const root = path.resolve(process.env.STORAGE_DIR ?? '.data/storage');
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile() && e.name.includes(storageKey)).map((e) => e.name);
}

/** The names GET /api/documents lists for the user: what the vault page shows. */
async function listedNames(user: TVaultUser, vaultId: string): Promise<string[]> {
  const response = await listDocuments(
    new Request(`${SVD}/api/documents?vaultId=${vaultId}`, { headers: { cookie: user.cookie } }),
    { params: Promise.resolve({}) },
  );
  return ((await response.json()).documents as { name: string }[]).map((document) => document.name);
}

function textOf(bytes: number): Buffer {
  const line = 'The kangaroo ledger of 2026 lists quarterly totals for the vault audit.\n';
  return Buffer.from(line.repeat(Math.ceil(bytes / line.length)).slice(0, bytes));
}

// Real HTTP, real PostgreSQL, real encryption on a shared 2-core machine: more than Vitest's default 5 s each.
describe('tus uploads (POST, HEAD, PATCH, DELETE on /api/uploads/tus) over HTTP', { timeout: 30_000 }, () => {
  it('survives a cut connection: HEAD tells the stored offset, the PATCH from it completes, the document turns ready, is indexed and downloads byte for byte', async () => {
    const user = await launchedUser();
    const vaultId = await defaultVault(user);
    const data = textOf(5 * SEGMENT_SIZE + 1234);
    const created = await create(user, data.length, {
      vaultId,
      filename: 'ledger.txt',
      filetype: 'text/plain',
    });
    expect(created.status).toBe(201);
    const location = String(created.headers.location);
    expect(location).toMatch(/^\/api\/uploads\/tus\/[0-9a-f]{32}$/);
    // The reservation exists before any byte: the declared size counts, the document is not visible.
    const [reserved] = await documentsOf(user.userId);
    expect(reserved).toMatchObject({ state: 'uploading', sizeBytes: data.length, name: 'ledger.txt' });
    expect(reserved?.wrappedKey).toMatch(/^v1:/);

    // The connection drops inside the third segment.
    const cut = await patch(user, location, 0, data, 2 * SEGMENT_SIZE + 5000);
    expect(cut.cut).toBe(true);
    await settled(location);
    const afterCut = await head(user, location);
    expect(afterCut.status).toBe(200);
    expect(afterCut.headers['cache-control']).toBe('no-store');
    expect(afterCut.headers['upload-length']).toBe(String(data.length));
    const offset = Number(afterCut.headers['upload-offset']);
    // Everything that reached the server is kept, the unfinished segment's plaintext too (encrypted on the row).
    expect(offset).toBe(2 * SEGMENT_SIZE + 5000);
    const row = await uploadRow(location);
    expect(row?.receivedBytes).toBe(offset);
    expect(row?.tail).not.toBeNull();
    expect(row?.tail?.includes(data.subarray(2 * SEGMENT_SIZE, offset))).toBe(false);
    expect((await documentsOf(user.userId))[0]?.state).toBe('uploading');
    expect(await listedNames(user, vaultId)).toEqual([]);

    // A PATCH at any other offset is refused and changes nothing.
    const wrong = await patch(user, location, offset - 1, data.subarray(offset - 1));
    expect(wrong.status).toBe(409);
    expect(Number((await head(user, location)).headers['upload-offset'])).toBe(offset);

    const rest = await patch(user, location, offset, data.subarray(offset));
    expect(rest.status).toBe(204);
    expect(rest.headers['upload-offset']).toBe(String(data.length));

    const [ready] = await documentsOf(user.userId);
    expect(ready).toMatchObject({ state: 'ready', indexStatus: 'pending', sizeBytes: data.length });
    expect(await listedNames(user, vaultId)).toEqual(['ledger.txt']);
    // Queued exactly as a simple upload queues it: one svd.index-document job keyed by the document.
    const jobs = await admin.pool.query(
      'SELECT data FROM svd_queue.job WHERE name = $1 AND singleton_key = $2',
      [INDEX_QUEUE, ready?.id],
    );
    expect(jobs.rows).toEqual([{ data: { documentId: ready?.id } }]);
    const indexed = await indexDocument(svd.db, {
      documentId: ready?.id ?? '',
      lastAttempt: true,
      log: logger,
    });
    expect(indexed?.indexStatus).toBe('indexed');
    expect(indexed?.textContent).toContain('kangaroo ledger');

    const downloaded = await fetch(`${server.url}/api/documents/${ready?.id}/download`, {
      headers: { cookie: user.cookie },
    });
    expect(downloaded.status).toBe(200);
    expect(Buffer.from(await downloaded.arrayBuffer()).equals(data)).toBe(true);
    // A client that missed the last answer learns the upload is done instead of starting over.
    const done = await head(user, location);
    expect(done.headers['upload-offset']).toBe(String(data.length));
    // Nothing was copied: the document's blob is a manifest listing the two parts the requests stored (the cut
    // one's and the last), and nothing else of the upload is left; deleting the blob deletes them all.
    const storageKey = ready?.storageKey ?? '';
    const manifest = await readComposedBlob(await vaultStorage().store.get(storageKey));
    const parts = 'composed' in manifest ? manifest.composed.parts : [];
    expect(parts).toHaveLength(2);
    expect((await storedFiles(storageKey)).sort()).toEqual([storageKey, ...parts].sort());
    // Encrypted at rest: no stored object holds the text; the document's sha256 is its plaintext's.
    for (const key of [storageKey, ...parts]) {
      const file = await findBlobFile(key);
      expect((await readFile(file ?? '')).includes('kangaroo')).toBe(false);
    }
    expect(ready?.sha256).toBe(createHash('sha256').update(data).digest('hex'));
    await discardBlob(svd.db, vaultStorage().store, storageKey, { reason: 'document_deleted', log: logger });
    expect(await storedFiles(storageKey)).toEqual([]);
  });

  it('accepts the file in PATCHes of any size, a chunk boundary in the middle of a segment included', async () => {
    const user = await launchedUser();
    const vaultId = await defaultVault(user);
    const data = randomBytes(3 * SEGMENT_SIZE + 17);
    const created = await create(user, data.length, { vaultId, filename: 'photo.raw' });
    const location = String(created.headers.location);
    let offset = 0;
    for (const size of [1000, SEGMENT_SIZE, 70_000, 5, SEGMENT_SIZE * 2]) {
      const sent = await patch(
        user,
        location,
        offset,
        data.subarray(offset, Math.min(data.length, offset + size)),
      );
      expect(sent.status).toBe(204);
      offset = Number(sent.headers['upload-offset']);
    }
    expect(offset).toBe(data.length);
    const [document] = await documentsOf(user.userId);
    expect(document).toMatchObject({ state: 'ready', mimeType: 'application/octet-stream' });
    const downloaded = await fetch(`${server.url}/api/documents/${document?.id}/download`, {
      headers: { cookie: user.cookie },
    });
    expect(Buffer.from(await downloaded.arrayBuffer()).equals(data)).toBe(true);
  });

  it('finishes an empty file at creation', async () => {
    const user = await launchedUser();
    const vaultId = await defaultVault(user);
    const created = await create(user, 0, { vaultId, filename: 'empty.txt', filetype: 'text/plain' });
    expect(created.status).toBe(201);
    const [document] = await documentsOf(user.userId);
    expect(document).toMatchObject({ state: 'ready', sizeBytes: 0 });
    const downloaded = await fetch(`${server.url}/api/documents/${document?.id}/download`, {
      headers: { cookie: user.cookie },
    });
    expect((await downloaded.arrayBuffer()).byteLength).toBe(0);
  });

  it('reserves the quota atomically: of four creations at once for the last free bytes, one gets them', async () => {
    const user = await launchedUser();
    const vaultId = await defaultVault(user);
    await occupyStorage(user.userId, vaultId, 1024 ** 3 - 15 * MB);
    const results = await Promise.all(
      [1, 2, 3, 4].map((n) => create(user, 10 * MB, { vaultId, filename: `scan-${n}.tiff` })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 403, 403, 403]);
    const reserved = (await documentsOf(user.userId)).filter((row) => row.state === 'uploading');
    expect(reserved.map((row) => row.sizeBytes)).toEqual([10 * MB]);
  });

  it('refuses creation over the largest-file limit, over the quota, on a read-only plan, and with a deferred length, reserving nothing', async () => {
    const user = await launchedUser();
    const vaultId = await defaultVault(user);
    const metadata = { vaultId, filename: 'big.iso' };

    const tooLarge = await create(user, 25 * MB + 1, metadata);
    expect(tooLarge.status).toBe(413);
    expect(errorMessage(tooLarge)).toMatch(/Trial plan allows files up to 25/);

    await occupyStorage(user.userId, vaultId, 1024 ** 3 - 10 * MB);
    const overQuota = await create(user, 11 * MB, metadata);
    expect(overQuota.status).toBe(403);
    expect(JSON.parse(overQuota.body).error.details).toMatchObject({
      reason: 'storage_quota',
      freeBytes: 10 * MB,
    });

    const deferred = await tusRequest(server.url, 'POST', TUS, {
      headers: {
        cookie: user.cookie,
        origin,
        'upload-defer-length': '1',
        'upload-metadata': tusMetadata(metadata),
      },
    });
    expect(deferred.status).toBe(501);

    await provision(user.userId, 'starter', 'canceled');
    const readOnly = await create(user, 1000, metadata);
    expect(readOnly.status).toBe(403);
    expect(errorMessage(readOnly)).toMatch(/canceled/);

    const rows = await documentsOf(user.userId);
    expect(rows.map((row) => row.name)).toEqual(['existing.bin']);
  });

  it('refuses tampered or missing metadata: no vault, another user’s vault, a name with a path, a bad type', async () => {
    const user = await launchedUser();
    const other = await launchedUser();
    const vaultId = await defaultVault(user);
    const cases: [Record<string, string>, number, RegExp][] = [
      [{ filename: 'a.txt' }, 400, /Choose a vault/],
      [{ vaultId: 'not-a-uuid', filename: 'a.txt' }, 400, /Choose a vault/],
      [{ vaultId: await defaultVault(other), filename: 'a.txt' }, 404, /vault does not exist/],
      [{ vaultId }, 400, /needs a name/],
      [{ vaultId, filename: '../../' }, 400, /needs a name/],
      [{ vaultId, filename: 'a.txt', filetype: 'text/html<script>' }, 400, /not a valid media type/],
    ];
    for (const [metadata, status, message] of cases) {
      const response = await create(user, 1000, metadata);
      expect({ metadata, status: response.status }).toEqual({ metadata, status });
      expect(errorMessage(response)).toMatch(message);
    }
    const garbled = await create(user, 1000, {}, { 'upload-metadata': 'vaultId ***not base64***' });
    expect(garbled.status).toBe(400);
    expect(await documentsOf(user.userId)).toEqual([]);
  });

  it('keeps uploads to their owner: another user’s upload is 404 for HEAD, PATCH and DELETE; no session is 401; another site is 403', async () => {
    const owner = await launchedUser();
    const intruder = await launchedUser();
    const vaultId = await defaultVault(owner);
    const data = randomBytes(2 * SEGMENT_SIZE);
    const location = String(
      (await create(owner, data.length, { vaultId, filename: 'mine.bin' })).headers.location,
    );

    expect((await head(intruder, location)).status).toBe(404);
    expect((await patch(intruder, location, 0, data)).status).toBe(404);
    const deleted = await tusRequest(server.url, 'DELETE', location, {
      headers: { cookie: intruder.cookie, origin },
    });
    expect(deleted.status).toBe(404);
    expect((await tusRequest(server.url, 'HEAD', location)).status).toBe(401);
    const crossSite = await tusRequest(server.url, 'PATCH', location, {
      headers: {
        cookie: owner.cookie,
        origin: 'https://evil.example',
        'upload-offset': '0',
        'content-type': 'application/offset+octet-stream',
      },
      body: data,
    });
    expect(crossSite.status).toBe(403);
    expect((await uploadRow(location))?.receivedBytes).toBe(0);
    expect((await patch(owner, location, 0, data)).status).toBe(204);
  });

  it('refuses data once the plan turns read-only mid-upload', async () => {
    const user = await launchedUser();
    const vaultId = await defaultVault(user);
    const data = randomBytes(SEGMENT_SIZE * 2);
    const location = String(
      (await create(user, data.length, { vaultId, filename: 'late.bin' })).headers.location,
    );
    await provision(user.userId, 'starter', 'canceled');
    const refused = await patch(user, location, 0, data);
    expect(refused.status).toBe(403);
    expect((await uploadRow(location))?.receivedBytes).toBe(0);
  });

  it('refuses a second PATCH while one is writing the same upload (423), then accepts it once the first is done', async () => {
    const user = await launchedUser();
    const vaultId = await defaultVault(user);
    const data = randomBytes(4 * SEGMENT_SIZE);
    const location = String(
      (await create(user, data.length, { vaultId, filename: 'twice.bin' })).headers.location,
    );
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = tusRequest(server.url, 'PATCH', location, {
      headers: {
        cookie: user.cookie,
        origin,
        'upload-offset': '0',
        'content-type': 'application/offset+octet-stream',
      },
      body: (async function* () {
        yield data.subarray(0, SEGMENT_SIZE);
        await held;
        yield data.subarray(SEGMENT_SIZE);
      })(),
    });
    for (let tries = 0; !(await uploadRow(location))?.lockToken; tries++) {
      if (tries > 100) throw new Error('the first PATCH never took the upload');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const second = await patch(user, location, 0, data);
    expect(second.status).toBe(423);
    release();
    expect((await slow).status).toBe(204);
    expect((await head(user, location)).headers['upload-offset']).toBe(String(data.length));
  });

  it('releases an abandoned upload’s reservation and parts: on DELETE, and in the sweep once it has expired', async () => {
    const user = await launchedUser();
    const vaultId = await defaultVault(user);
    const data = randomBytes(3 * SEGMENT_SIZE);
    const storageUsed = async () =>
      Number(
        (
          await svd.db
            .select({ used: sql<string>`coalesce(sum(${schema.document.sizeBytes}), 0)` })
            .from(schema.document)
            .where(eq(schema.document.userId, user.userId))
        )[0]?.used,
      );

    const canceled = String(
      (await create(user, data.length, { vaultId, filename: 'a.bin' })).headers.location,
    );
    await patch(user, canceled, 0, data.subarray(0, 2 * SEGMENT_SIZE + 10));
    const [first] = await documentsOf(user.userId);
    expect(await storedFiles(first?.storageKey ?? '')).toHaveLength(1);
    const terminated = await tusRequest(server.url, 'DELETE', canceled, {
      headers: { cookie: user.cookie, origin },
    });
    expect(terminated.status).toBe(204);
    expect(await storedFiles(first?.storageKey ?? '')).toEqual([]);
    expect(await storageUsed()).toBe(0);
    expect((await head(user, canceled)).status).toBe(404);

    const abandoned = String(
      (await create(user, data.length, { vaultId, filename: 'b.bin' })).headers.location,
    );
    await patch(user, abandoned, 0, data.subarray(0, SEGMENT_SIZE + 1));
    const finished = String((await create(user, 10, { vaultId, filename: 'c.txt' })).headers.location);
    await patch(user, finished, 0, Buffer.from('0123456789'));
    expect(await storageUsed()).toBe(data.length + 10);
    const [second] = (await documentsOf(user.userId)).filter((row) => row.name === 'b.bin');
    // Not expired yet: the sweep leaves it alone.
    await sweepExpiredUploads(svd.db, vaultStorage().store, { log: logger });
    expect(await storageUsed()).toBe(data.length + 10);

    await admin.pool.query(
      `UPDATE securevault."ResumableUpload" SET "expiresAt" = now() - interval '1 minute' WHERE "userId" = $1`,
      [user.userId],
    );
    const expiredHead = await head(user, abandoned);
    expect(expiredHead.status).toBe(410);
    const report = await sweepExpiredUploads(svd.db, vaultStorage().store, { log: logger });
    expect(report.released).toContain(abandoned.split('/').at(-1));
    expect(await storageUsed()).toBe(10);
    expect(await storedFiles(second?.storageKey ?? '')).toEqual([]);
    expect((await documentsOf(user.userId)).map((row) => [row.name, row.state])).toEqual([
      ['c.txt', 'ready'],
    ]);
    const left = await svd.db
      .select()
      .from(schema.resumableUpload)
      .where(and(eq(schema.resumableUpload.userId, user.userId)));
    expect(left).toEqual([]);
  });
});
