import { schema } from '@omg/db';
import type { TLogger } from '@omg/platform';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import {
  admin,
  hub,
  launchedUser,
  provision,
  SVD,
  svd,
  type TVaultUser,
} from '@/app/api/__tests__/vault-fixtures';
import { GET as thumbnailRoute } from '@/app/api/documents/[id]/thumbnail/route';
import { createTestIndexQueue } from '@/testing/index-queue';
import { readAll, streamOf } from '@/testing/storage';
import { listVaults } from '../documents/list-vaults';
import { uploadDocument } from '../documents/upload-document';
import { openDecrypted, type TBlobStore } from '../storage';
import { vaultStorage } from '../vault-storage';
import { makeThumbnail } from './make-thumbnail';
import { THUMBNAIL_QUEUE } from './thumbnail-queue';

const log: TLogger = pino({ level: 'silent' });

afterAll(async () => {
  await Promise.all([admin.pool.end(), hub.pool.end(), svd.pool.end()]);
});

/** A PNG in a fresh vault; its queued thumbnail job is taken off the queue: the test runs the jobs itself. */
async function uploadedImage(): Promise<{ documentId: string; user: TVaultUser }> {
  const user = await launchedUser();
  const [vault] = await listVaults(svd.db, user);
  if (!vault) throw new Error('no default vault');
  const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3366aa' } })
    .png()
    .toBuffer();
  const document = await uploadDocument(svd.db, vaultStorage(), {
    userId: user.userId,
    vaultId: vault.id,
    fileName: 'photo.png',
    mimeType: 'image/png',
    declaredBytes: png.length,
    body: streamOf(png),
    log,
    indexQueue: await createTestIndexQueue('thumbnail-race'),
  });
  await admin.pool.query('DELETE FROM svd_queue.job WHERE name = $1 AND singleton_key = $2', [
    THUMBNAIL_QUEUE,
    document.id,
  ]);
  return { documentId: document.id, user };
}

/**
 * The store, except that a put of a thumbnail waits for `go` (before or after writing, as `when` says) and then
 * calls `then` (which may throw, as a failed write would); `reached` resolves when a put gets there.
 */
function heldStore(store: TBlobStore, when: 'before' | 'after', then: () => void = () => {}) {
  let go: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    go = resolve;
  });
  let arrived: () => void = () => {};
  const reached = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  const held: TBlobStore = {
    get: (key) => store.get(key),
    delete: (key) => store.delete(key),
    exists: (key) => store.exists(key),
    async put(key, body) {
      if (when === 'after') await store.put(key, body);
      arrived();
      await released;
      then();
      if (when === 'before') await store.put(key, body);
    },
  };
  return { held, reached, go };
}

/** The recorded thumbnail decrypted: it throws when the blob kept and the recorded key do not belong together. */
async function openRecorded(documentId: string): Promise<Buffer> {
  const [row] = await svd.db
    .select()
    .from(schema.thumbnail)
    .where(eq(schema.thumbnail.documentId, documentId));
  expect(row?.status).toBe('ready');
  const object = { storageKey: row?.storageKey ?? '', wrappedKey: row?.wrappedKey ?? '' };
  const { store, masterKey } = vaultStorage();
  return readAll(await openDecrypted(store, masterKey, object));
}

describe('two thumbnail jobs for one document at the same instant (issue 16 previews)', () => {
  it('leave a thumbnail that opens, whichever write lands last and whichever record is kept', async () => {
    const { documentId } = await uploadedImage();
    const { store, masterKey } = vaultStorage();
    // Job A writes its blob and stalls before recording; job B writes over it and records; then A records.
    // The blob kept is B's and the record A's: with a data key of its own per job, nobody could open it.
    const a = heldStore(store, 'after');
    const first = makeThumbnail(svd.db, { store: a.held, masterKey }, { documentId, lastAttempt: true, log });
    await a.reached;
    expect(await makeThumbnail(svd.db, { store, masterKey }, { documentId, lastAttempt: true, log })).toBe(
      'ready',
    );
    a.go();
    expect(await first).toBe('ready');
    const webp = await openRecorded(documentId);
    expect(await sharp(webp).metadata()).toMatchObject({ format: 'webp', width: 64, height: 48 });
  }, 60_000);

  it('a write that fails does not take away the thumbnail the other job finished', async () => {
    const { documentId } = await uploadedImage();
    const { store, masterKey } = vaultStorage();
    // Job B is past its check (no thumbnail yet) when job A finishes and records; then B's write fails.
    const b = heldStore(store, 'before', () => {
      throw new Error('the store went away');
    });
    const second = makeThumbnail(
      svd.db,
      { store: b.held, masterKey },
      { documentId, lastAttempt: true, log },
    );
    await b.reached;
    expect(await makeThumbnail(svd.db, { store, masterKey }, { documentId, lastAttempt: true, log })).toBe(
      'ready',
    );
    b.go();
    await expect(second).rejects.toThrow('the store went away');
    const webp = await openRecorded(documentId);
    expect((await sharp(webp).metadata()).format).toBe('webp');
  }, 60_000);
});

describe('a thumbnail in read-only mode (issue 16: getting documents out keeps working)', () => {
  it('is still served once the plan is canceled', async () => {
    const { documentId, user } = await uploadedImage();
    const { store, masterKey } = vaultStorage();
    expect(await makeThumbnail(svd.db, { store, masterKey }, { documentId, lastAttempt: true, log })).toBe(
      'ready',
    );
    await provision(user.userId, 'starter', 'canceled');
    const response = await thumbnailRoute(
      new Request(`${SVD}/api/documents/${documentId}/thumbnail`, { headers: { cookie: user.cookie } }),
      { params: Promise.resolve({ id: documentId }) },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/webp');
    expect((await sharp(Buffer.from(await response.arrayBuffer())).metadata()).format).toBe('webp');
  }, 60_000);
});
