import { Readable } from 'node:stream';
import { schema } from '@omg/db';
import type { TLogger } from '@omg/platform';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { admin, hub, launchedUser, svd } from '@/app/api/__tests__/vault-fixtures';
import { createTestIndexQueue } from '@/testing/index-queue';
import { readAll, streamOf, useTempDirs } from '@/testing/storage';
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
const MASTER_KEY = generateMasterKey();
const masterKey = parseMasterKey(MASTER_KEY);
/** Its documents live in this file's own stores, so their indexing jobs go to a queue no other worker takes. */
let indexQueue: string;
beforeAll(async () => {
  indexQueue = await createTestIndexQueue('orphans');
});

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
  const dir = await tempDir();
  const real = createLocalBlobStore(dir);
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
  return { store, state, dir };
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
        indexQueue,
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

  it('keeps the document, marks it failed with a note saying why, and logs a warning with the document id', async () => {
    const { store, dir } = await storeWithFailingDeletes(tempDir);
    const { log, lines } = requestLogger();
    // The indexing job's child process reads this test's store.
    const extraction = { env: { STORAGE_DIR: dir, STORAGE_MASTER_KEY: MASTER_KEY } };
    const readable = await (await uploadText(store, log, 'readable the first time')).upload();
    expect(readable.indexStatus).toBe('pending');
    const indexed = await indexDocument(svd.db, {
      documentId: readable.id,
      lastAttempt: false,
      log,
      extraction,
    });
    expect(indexed?.indexStatus).toBe('indexed');

    const document = await (await uploadText(store, log, 'damaged before it was read')).upload();
    const [stored] = await svd.db.select().from(schema.document).where(eq(schema.document.id, document.id));
    const key = stored?.storageKey ?? '';
    const blob = await readAll(await store.get(key));
    blob[blob.length - 1] = (blob[blob.length - 1] ?? 0) ^ 0xff;
    await store.put(key, Readable.from([blob]));
    const row = await indexDocument(svd.db, { documentId: document.id, lastAttempt: false, log, extraction });

    expect(row).toMatchObject({
      id: document.id,
      state: 'ready',
      indexStatus: 'failed',
      indexNote: 'could not be indexed: the file could not be read',
      processingUnits: 0,
      textContent: null,
    });
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 40,
        requestId: REQUEST_ID,
        documentId: document.id,
        err: expect.objectContaining({
          message: expect.stringMatching(
            /^the file could not be read \(This document failed its integrity check/,
          ),
        }),
      }),
    );
  }, 30_000);
});
