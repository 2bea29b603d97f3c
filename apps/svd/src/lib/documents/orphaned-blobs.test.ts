import { Readable } from 'node:stream';
import { schema } from '@omg/db';
import type { TLogger } from '@omg/platform';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { admin, hub, launchedUser, svd } from '@/app/api/__tests__/vault-fixtures';
import { streamOf, useTempDirs } from '@/testing/storage';
import { getVaultStatus } from '../entitlements/get-vault-status';
import { createLocalBlobStore, generateMasterKey, parseMasterKey, type TBlobStore } from '../storage';
import { deleteDocument } from './delete-document';
import { indexDocument } from './index-document';
import { listVaults } from './list-vaults';
import { sweepOrphanedBlobs } from './sweep-orphaned-blobs';
import { uploadDocument } from './upload-document';

afterAll(async () => {
  await Promise.all([admin.pool.end(), hub.pool.end(), svd.pool.end()]);
});

const REQUEST_ID = 'req-orphan-test-0001';
const masterKey = parseMasterKey(generateMasterKey());

/** A real pino logger for one request, writing its JSON lines into `lines` instead of stdout. */
function requestLogger() {
  const lines: Record<string, unknown>[] = [];
  const log: TLogger = pino(
    { level: 'debug' },
    { write: (line: string) => lines.push(JSON.parse(line)) },
  ).child({ requestId: REQUEST_ID });
  return { log, lines };
}

/**
 * A real local store whose deletes fail while `broken` is set, as when a disk turns read-only or a bucket
 * policy stops allowing DeleteObject. Everything else is the real store.
 */
async function storeWithFailingDeletes(tempDir: () => Promise<string>) {
  const real = createLocalBlobStore(await tempDir());
  const state = { broken: true };
  const store: TBlobStore = {
    put: (key, body) => real.put(key, body),
    get: (key) => real.get(key),
    exists: (key) => real.exists(key),
    async delete(key) {
      if (state.broken) throw new Error(`EACCES: permission denied, unlink '${key}'`);
      await real.delete(key);
    },
  };
  return { store, state };
}

async function orphanRow(storageKey: string) {
  const [row] = await svd.db
    .select()
    .from(schema.orphanedBlob)
    .where(eq(schema.orphanedBlob.storageKey, storageKey));
  return row;
}

async function uploadText(
  store: TBlobStore,
  log: TLogger,
  text: string,
  declaredBytes = Buffer.byteLength(text),
) {
  const user = await launchedUser();
  const [vault] = await listVaults(svd.db, user);
  if (!vault) throw new Error('no default vault');
  const upload = () =>
    uploadDocument(
      svd.db,
      { store, masterKey },
      {
        userId: user.userId,
        vaultId: vault.id,
        fileName: 'notes.txt',
        mimeType: 'text/plain',
        declaredBytes,
        body: streamOf(Buffer.from(text)),
        log,
      },
    );
  return { user, upload };
}

describe('blobs that cannot be deleted', () => {
  const tempDir = useTempDirs();

  beforeEach(async () => {
    // The sweep takes every recorded orphan; other tests' rows would only make its report harder to read.
    await svd.db.delete(schema.orphanedBlob);
  });

  it('a deleted document whose blob the store refuses: the delete succeeds, the failure is logged and recorded, the sweep removes it later', async () => {
    const { store, state } = await storeWithFailingDeletes(tempDir);
    const { log, lines } = requestLogger();
    const { user, upload } = await uploadText(store, log, 'quarterly figures');
    const document = await upload();
    const [stored] = await svd.db
      .select({ storageKey: schema.document.storageKey })
      .from(schema.document)
      .where(eq(schema.document.id, document.id));
    const storageKey = stored?.storageKey ?? '';
    expect(await store.exists(storageKey)).toBe(true);

    await deleteDocument(svd.db, { store }, { userId: user.userId, documentId: document.id, log });

    expect(await svd.db.$count(schema.document, eq(schema.document.id, document.id))).toBe(0);
    expect(await store.exists(storageKey)).toBe(true);
    expect(await orphanRow(storageKey)).toMatchObject({
      reason: 'document_deleted',
      lastError: expect.stringContaining('EACCES'),
      attempts: 1,
    });
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 50,
        requestId: REQUEST_ID,
        storageKey,
        reason: 'document_deleted',
        err: expect.objectContaining({ message: expect.stringContaining('EACCES') }),
      }),
    );

    // Still broken: the row stays, with one more attempt counted.
    expect(await sweepOrphanedBlobs(svd.db, store)).toEqual({
      removed: [],
      failed: [{ storageKey, error: expect.stringContaining('EACCES') }],
    });
    expect(await orphanRow(storageKey)).toMatchObject({ attempts: 2 });

    state.broken = false;
    expect(await sweepOrphanedBlobs(svd.db, store)).toEqual({ removed: [storageKey], failed: [] });
    expect(await store.exists(storageKey)).toBe(false);
    expect(await orphanRow(storageKey)).toBeUndefined();
    expect(await sweepOrphanedBlobs(svd.db, store)).toEqual({ removed: [], failed: [] });
  });

  it('a refused upload whose partial blob cannot be deleted still answers 413 and leaves a row for the sweep', async () => {
    const { store, state } = await storeWithFailingDeletes(tempDir);
    const { log, lines } = requestLogger();
    const { user, upload } = await uploadText(store, log, 'longer than announced', 5);

    await expect(upload()).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });

    expect(await svd.db.$count(schema.document, eq(schema.document.userId, user.userId))).toBe(0);
    const orphans = await svd.db.select().from(schema.orphanedBlob);
    expect(orphans).toEqual([expect.objectContaining({ reason: 'upload_failed', attempts: 1 })]);
    const storageKey = orphans[0]?.storageKey;
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 50, requestId: REQUEST_ID, storageKey, reason: 'upload_failed' }),
    );

    state.broken = false;
    expect(await sweepOrphanedBlobs(svd.db, store)).toEqual({ removed: [storageKey], failed: [] });
    expect(await svd.db.$count(schema.orphanedBlob)).toBe(0);
  });
});

describe('text that cannot be extracted', () => {
  const tempDir = useTempDirs();

  it('keeps the document, marks it not indexed with a note, and logs a warning with the document id', async () => {
    const { store } = await storeWithFailingDeletes(tempDir);
    const { log, lines } = requestLogger();
    const { user, upload } = await uploadText(store, log, 'readable the first time');
    const document = await upload();
    expect(document.indexStatus).toBe('indexed');

    const unreadable = new Readable({
      read() {
        this.destroy(new Error('the blob could not be read back'));
      },
    });
    const row = await indexDocument(svd.db, {
      documentId: document.id,
      userId: user.userId,
      source: unreadable,
      status: await getVaultStatus(svd.db, user.userId),
      log,
    });

    expect(row).toMatchObject({
      id: document.id,
      state: 'ready',
      indexStatus: 'not_indexed',
      indexNote: 'The text of this document could not be read.',
      textContent: null,
    });
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 40,
        requestId: REQUEST_ID,
        documentId: document.id,
        err: expect.objectContaining({ message: 'the blob could not be read back' }),
      }),
    );
  });
});
