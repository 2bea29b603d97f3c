import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { schema } from '@omg/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMinimalPdf } from '@/lib/documents/fixtures/minimal-pdf';
import { INDEX_QUEUE } from '@/lib/documents/index-queue';
import { startIndexWorker, type TIndexWorker } from '@/lib/documents/index-worker';
import { logger } from '@/lib/logger';
import { newStorageKey, storeEncrypted } from '@/lib/storage';
import { vaultStorage } from '@/lib/vault-storage';
import { settledDocument } from '@/testing/index-queue';
import { GET as download } from '../documents/[id]/download/route';
import { DELETE as deleteDocument, PATCH as patchDocument } from '../documents/[id]/route';
import { GET as listDocuments } from '../documents/route';
import { DELETE as deleteForGood } from '../trash/[kind]/[id]/route';
import { POST as upload } from '../uploads/route';
import { GET as usage } from '../usage/route';
import { POST as createVault, GET as listVaults } from '../vaults/route';
import {
  admin,
  countBlobs,
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
const GB = 1024 ** 3;
const none = { params: Promise.resolve({}) };
const withId = (id: string) => ({ params: Promise.resolve({ id }) });

// Uploads are indexed by a worker after they answer (queue svd.index-document), as `npm run worker` does.
let indexWorker: TIndexWorker | undefined;
beforeAll(async () => {
  // Jobs other test files queued for their uploads (nobody works them there) would only delay this file's: gone.
  await admin.pool.query('DELETE FROM svd_queue.job WHERE name = $1', [INDEX_QUEUE]);
  indexWorker = await startIndexWorker({
    databaseUrl: process.env.SVD_DATABASE_URL ?? '',
    concurrency: 2,
    pollingIntervalSeconds: 0.5,
    log: logger,
  });
});

afterAll(async () => {
  await indexWorker?.stop();
  await Promise.all([admin.pool.end(), hub.pool.end(), svd.pool.end()]);
});

function request(user: TVaultUser | null, path: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  if (user) headers.set('cookie', user.cookie);
  // JSON bodies go as application/json, as the vault's client sends them (the routes refuse other types).
  if (typeof init.body === 'string' && !headers.has('content-type'))
    headers.set('content-type', 'application/json');
  return new Request(`${SVD}${path}`, { ...init, headers, duplex: 'half' } as RequestInit);
}

async function defaultVault(user: TVaultUser): Promise<string> {
  const body = await (await listVaults(request(user, '/api/vaults'), none)).json();
  return body.vaults[0].id;
}

async function uploadText(
  user: TVaultUser,
  vaultId: string,
  name: string,
  text: string,
  type = 'text/plain',
) {
  const bytes = new TextEncoder().encode(text);
  return upload(
    request(user, `/api/uploads?vaultId=${vaultId}&name=${encodeURIComponent(name)}`, {
      method: 'POST',
      body: bytes,
      headers: { 'content-type': type, 'content-length': String(bytes.byteLength) },
    }),
    none,
  );
}

async function status(user: TVaultUser) {
  return (await usage(request(user, '/api/usage'), none)).json();
}

describe('the vault API', () => {
  it('answers 401 without a session', async () => {
    const response = await listVaults(request(null, '/api/vaults'), none);
    expect(response.status).toBe(401);
    expect((await response.json()).error.code).toBe('UNAUTHORIZED');
  });

  it('uploads, lists, searches, downloads (byte for byte), renames, moves and deletes a document', async () => {
    const user = await launchedUser();
    const vaultId = await defaultVault(user);
    const text = 'Lease agreement for the flat on Zebrastraße — signed by both parties.\n';
    const created = await uploadText(user, vaultId, 'lease <img src=x onerror=alert(1)>.txt', text);
    expect(created.status).toBe(201);
    const { document } = await created.json();
    expect(document).toMatchObject({
      name: 'lease <img src=x onerror=alert(1)>.txt',
      sizeBytes: Buffer.byteLength(text),
      indexStatus: 'pending',
    });
    expect(await settledDocument(svd.db, document.id, 60_000)).toMatchObject({
      indexStatus: 'indexed',
      processingUnits: 1,
    });

    const found = await (await listDocuments(request(user, '/api/documents?q=zebrastraße'), none)).json();
    expect(found.documents.map((d: { id: string }) => d.id)).toEqual([document.id]);
    const missing = await (await listDocuments(request(user, '/api/documents?q=mortgage'), none)).json();
    expect(missing.documents).toEqual([]);

    const file = await download(request(user, `/api/documents/${document.id}/download`), withId(document.id));
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/octet-stream');
    expect(file.headers.get('content-disposition')).toBe(
      `attachment; filename="lease <img src=x onerror=alert(1)>.txt"; filename*=UTF-8''lease%20%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.txt`,
    );
    expect(await file.text()).toBe(text);

    const renamed = await patchDocument(
      request(user, `/api/documents/${document.id}`, {
        method: 'PATCH',
        body: JSON.stringify({ name: '../../etc/lease.txt' }),
      }),
      withId(document.id),
    );
    expect((await renamed.json()).document.name).toBe('lease.txt');

    const archive = await (
      await createVault(
        request(user, '/api/vaults', { method: 'POST', body: JSON.stringify({ name: 'Archive' }) }),
        none,
      )
    ).json();
    const moved = await patchDocument(
      request(user, `/api/documents/${document.id}`, {
        method: 'PATCH',
        body: JSON.stringify({ vaultId: archive.vault.id }),
      }),
      withId(document.id),
    );
    expect((await moved.json()).document.vaultId).toBe(archive.vault.id);

    const before = await countBlobs();
    expect(
      (
        await deleteDocument(
          request(user, `/api/documents/${document.id}`, { method: 'DELETE' }),
          withId(document.id),
        )
      ).status,
    ).toBe(204);
    // Deleting moves it to the trash (issue 16): the blob stays until it is deleted from there for good.
    expect(await countBlobs()).toBe(before);
    expect(
      (
        await deleteForGood(request(user, `/api/trash/documents/${document.id}`, { method: 'DELETE' }), {
          params: Promise.resolve({ kind: 'documents', id: document.id }),
        })
      ).status,
    ).toBe(204);
    expect(await countBlobs()).toBe(before - 1);
    expect(
      (await download(request(user, `/api/documents/${document.id}/download`), withId(document.id))).status,
    ).toBe(404);
  }, 90_000);

  it('never shows one user another user’s documents', async () => {
    const owner = await launchedUser();
    const stranger = await launchedUser();
    const { document } = await (
      await uploadText(owner, await defaultVault(owner), 'private.txt', 'mine')
    ).json();
    expect(
      (await download(request(stranger, `/api/documents/${document.id}/download`), withId(document.id)))
        .status,
    ).toBe(404);
    expect(
      (
        await deleteDocument(
          request(stranger, `/api/documents/${document.id}`, { method: 'DELETE' }),
          withId(document.id),
        )
      ).status,
    ).toBe(404);
    const upload = await uploadText(stranger, await defaultVault(owner), 'x.txt', 'x');
    expect(upload.status).toBe(404);
  });

  it('refuses a tampered blob with a clear error and sends none of its bytes', async () => {
    const user = await launchedUser();
    const { document } = await (
      await uploadText(user, await defaultVault(user), 'ledger.csv', 'a,b\n1,2\n'.repeat(5000))
    ).json();
    const [row] = await svd.db.select().from(schema.document).where(eq(schema.document.id, document.id));
    const file = await findBlobFile(row?.storageKey ?? '');
    expect(file).not.toBeNull();
    const blob = await readFile(file ?? '');
    const middle = Math.floor(blob.length / 2);
    blob[middle] = (blob[middle] ?? 0) ^ 0xff;
    await writeFile(file ?? '', blob);
    const response = await download(
      request(user, `/api/documents/${document.id}/download`),
      withId(document.id),
    );
    expect(response.status).toBe(500);
    const body = await response.json();
    expect(body.error.code).toBe('INTEGRITY_FAILED');
    expect(body.error.message).toMatch(/integrity check/);
  });

  it('checks the largest-file limit before reading the body', async () => {
    const user = await launchedUser();
    const vaultId = await defaultVault(user);
    // The stream holds 26 MB in 1 MB chunks; the runtime may prefetch one, reading it would take 26.
    let pulled = 0;
    const body = new ReadableStream({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(MB));
        if (pulled === 26) controller.close();
      },
    });
    const blobs = await countBlobs();
    const response = await upload(
      request(user, `/api/uploads?vaultId=${vaultId}&name=big.bin&size=${26 * MB}`, { method: 'POST', body }),
      none,
    );
    expect(response.status).toBe(413);
    expect((await response.json()).error.message).toContain('allows files up to 25 MB');
    expect(pulled).toBeLessThanOrEqual(2);
    expect(await countBlobs()).toBe(blobs);
    expect(
      await svd.db.select().from(schema.document).where(eq(schema.document.userId, user.userId)),
    ).toEqual([]);
  });

  it('refuses a body larger than announced, leaving no row and no blob', async () => {
    const user = await launchedUser();
    const vaultId = await defaultVault(user);
    const blobs = await countBlobs();
    const bytes = new Uint8Array(300_000);
    const response = await upload(
      request(user, `/api/uploads?vaultId=${vaultId}&name=liar.bin&size=1000`, {
        method: 'POST',
        body: bytes,
      }),
      none,
    );
    expect(response.status).toBe(413);
    expect(
      await svd.db.select().from(schema.document).where(eq(schema.document.userId, user.userId)),
    ).toEqual([]);
    expect(await countBlobs()).toBe(blobs);
  });

  it('answers 415 for a multipart form and 400 for a bad vault id', async () => {
    const user = await launchedUser();
    const multipart = await upload(
      request(user, `/api/uploads?vaultId=${await defaultVault(user)}&name=a.txt`, {
        method: 'POST',
        body: 'x',
        headers: { 'content-type': 'multipart/form-data; boundary=x' },
      }),
      none,
    );
    expect(multipart.status).toBe(415);
    const badVault = await uploadText(user, 'not-a-uuid', 'a.txt', 'x');
    expect(badVault.status).toBe(400);
  });

  it('lets only one of several concurrent uploads take the last free bytes of the quota', async () => {
    const user = await launchedUser();
    const vaultId = await defaultVault(user);
    await occupyStorage(user.userId, vaultId, GB - 1.5 * MB);
    const payload = new Uint8Array(MB);
    const results = await Promise.all(
      [1, 2, 3, 4].map((n) =>
        upload(
          request(user, `/api/uploads?vaultId=${vaultId}&name=part-${n}.bin`, {
            method: 'POST',
            body: payload,
            headers: { 'content-length': String(MB) },
          }),
          none,
        ),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 403, 403, 403]);
    const refused = await results.find((r) => r.status === 403)?.json();
    expect(refused.error.message).toMatch(/Not enough storage/);
    const now = await status(user);
    expect(now.storageUsedBytes).toBe(GB - 1.5 * MB + MB);
    expect(now.storageUsedBytes).toBeLessThanOrEqual(now.limits.storageBytes);
  });

  it('applies a plan written by the seeds’ SQL on the very next request: upgrade, downgrade over the limit, cancel', async () => {
    const user = await launchedUser();
    const vaultId = await defaultVault(user);
    const { document } = await (await uploadText(user, vaultId, 'keep.txt', 'keep me')).json();
    expect((await status(user)).label).toMatch(/^Free trial, \d+ days left$/);

    await provision(user.userId, 'pro');
    expect(await status(user)).toMatchObject({
      plan: 'pro',
      label: 'Pro — Active',
      limits: { storageBytes: 200 * GB },
    });

    await occupyStorage(user.userId, vaultId, 30 * GB);
    await provision(user.userId, 'starter');
    const downgraded = await status(user);
    expect(downgraded).toMatchObject({ plan: 'starter', overStorage: true });
    expect(downgraded.uploadBlockedReason).toMatch(
      /Uploads are disabled until your usage is under the limit/,
    );
    const refused = await uploadText(user, vaultId, 'more.txt', 'more');
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.message).toMatch(/more storage than the Starter plan allows/);
    // Everything else keeps working, and nothing was deleted.
    expect(
      await (
        await download(request(user, `/api/documents/${document.id}/download`), withId(document.id))
      ).text(),
    ).toBe('keep me');
    expect(
      (await (await listDocuments(request(user, '/api/documents?q=keep'), none)).json()).documents,
    ).toHaveLength(1);

    await provision(user.userId, 'starter', 'canceled');
    const canceled = await status(user);
    expect(canceled).toMatchObject({ state: 'canceled', readOnly: true, label: 'Canceled' });
    expect((await uploadText(user, vaultId, 'again.txt', 'again')).status).toBe(403);
    expect(
      await (
        await download(request(user, `/api/documents/${document.id}/download`), withId(document.id))
      ).text(),
    ).toBe('keep me');
    const renamed = await patchDocument(
      request(user, `/api/documents/${document.id}`, {
        method: 'PATCH',
        body: JSON.stringify({ name: 'kept.txt' }),
      }),
      withId(document.id),
    );
    expect(renamed.status).toBe(200);
    expect(
      (
        await deleteDocument(
          request(user, `/api/documents/${document.id}`, { method: 'DELETE' }),
          withId(document.id),
        )
      ).status,
    ).toBe(204);
  });

  it('stores a document "not indexed" once the month’s processing units are spent', async () => {
    const user = await launchedUser();
    const vaultId = await defaultVault(user);
    const { periodStart } = await status(user);
    await svd.db
      .insert(schema.processingUsage)
      .values({ userId: user.userId, periodStart: new Date(periodStart), unitsUsed: 50 });
    const created = await uploadText(user, vaultId, 'notes.txt', 'quarterly notes about kangaroos');
    expect(created.status).toBe(201);
    const document = await settledDocument(svd.db, (await created.json()).document.id, 60_000);
    expect(document.indexStatus).toBe('not_indexed');
    expect(document.indexNote).toMatch(/processing units are used up/);
    const byText = await (await listDocuments(request(user, '/api/documents?q=kangaroos'), none)).json();
    expect(byText.documents).toEqual([]);
    const byName = await (await listDocuments(request(user, '/api/documents?q=notes'), none)).json();
    expect(byName.documents).toHaveLength(1);
    expect((await status(user)).unitsUsed).toBe(50);
  }, 90_000);

  it('meters a PDF by its pages and finds it by the words inside', async () => {
    const user = await launchedUser();
    const pdf = buildMinimalPdf([
      ['Invoice for the yacht charter'],
      ['Second page'],
      ['Third page: harbour fees'],
    ]);
    const created = await upload(
      request(user, `/api/uploads?vaultId=${await defaultVault(user)}&name=charter.pdf`, {
        method: 'POST',
        body: new Uint8Array(pdf),
        headers: { 'content-type': 'application/pdf', 'content-length': String(pdf.length) },
      }),
      none,
    );
    expect(created.status).toBe(201);
    expect(await settledDocument(svd.db, (await created.json()).document.id, 60_000)).toMatchObject({
      pages: 3,
      processingUnits: 3,
      indexStatus: 'indexed',
    });
    const found = await (await listDocuments(request(user, '/api/documents?q=harbour'), none)).json();
    expect(found.documents.map((d: { name: string }) => d.name)).toEqual(['charter.pdf']);
    expect((await status(user)).unitsUsed).toBe(3);
  }, 90_000);

  it('releases a dead upload’s reservation and deletes its partial blob', async () => {
    const user = await launchedUser();
    const vaultId = await defaultVault(user);
    const { store, masterKey } = vaultStorage();
    const storageKey = newStorageKey();
    await storeEncrypted(store, masterKey, Readable.from([Buffer.from('half an upload')]), {
      maxBytes: 100,
      storageKey,
    });
    await svd.db.insert(schema.document).values({
      id: randomUUID(),
      userId: user.userId,
      vaultId,
      name: 'interrupted.bin',
      mimeType: 'application/octet-stream',
      sizeBytes: 900 * MB,
      state: 'uploading',
      storageKey,
      createdAt: new Date(Date.now() - 2 * 60 * 60 * 1000),
    });
    expect(await store.exists(storageKey)).toBe(true);

    expect((await uploadText(user, vaultId, 'next.txt', 'after the crash')).status).toBe(201);
    expect(await store.exists(storageKey)).toBe(false);
    expect((await status(user)).storageUsedBytes).toBe(Buffer.byteLength('after the crash'));
  });

  it('reports a downgrade the Hub scheduled for the end of the period', async () => {
    const user = await launchedUser();
    await provision(user.userId, 'growth');
    await admin.pool.query(
      `UPDATE hub."Subscription" SET "scheduledPlan" = 'starter', "scheduledPlanAt" = now() + interval '10 days' WHERE "userId" = $1`,
      [user.userId],
    );
    const now = await status(user);
    expect(now).toMatchObject({
      plan: 'growth',
      scheduled: { plan: 'starter', limits: { name: 'Starter' } },
    });
    expect(now.uploadBlockedReason).toBeNull();
  });
});
