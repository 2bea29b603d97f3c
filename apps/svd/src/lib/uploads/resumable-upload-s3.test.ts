import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { schema } from '@omg/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, hub, launchedUser, svd } from '@/app/api/__tests__/vault-fixtures';
import { listVaults } from '@/lib/documents/list-vaults';
import { logger } from '@/lib/logger';
import { createS3BlobStore, generateMasterKey, parseMasterKey, streamDecrypted } from '@/lib/storage';
import { readComposedBlob } from '@/lib/storage/composed-blob';
import { deleteBlob } from '@/lib/storage/delete-blob';
import { SEGMENT_SIZE } from '@/lib/storage/segmented-cipher';
import { startFakeS3 } from '@/testing/fake-s3-server';
import { readAll } from '@/testing/storage';
import { appendToResumableUpload } from './append-to-resumable-upload';
import { createResumableUpload } from './create-resumable-upload';
import { PART_SEGMENTS } from './resumable-upload.types';

let fakeS3: Awaited<ReturnType<typeof startFakeS3>>;
beforeAll(async () => {
  fakeS3 = await startFakeS3();
});
afterAll(async () => {
  await fakeS3.close();
  await Promise.all([admin.pool.end(), hub.pool.end(), svd.pool.end()]);
});

/** `data` in 64 KiB pieces, then — after `failAfter` bytes, if given — the connection's failure. */
async function* body(data: Buffer, failAfter?: number): AsyncGenerator<Buffer> {
  const end = failAfter ?? data.length;
  for (let at = 0; at < end; at += 65_536) yield data.subarray(at, Math.min(end, at + 65_536));
  if (failAfter !== undefined) throw Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
}

// The same operations the tus endpoint runs, on the S3 store (through the real SDK against the fake S3 API):
// parts are objects of their own, each one PutObject, and they become the document's blob as they are.
describe('a resumable upload on the S3 store', () => {
  it('keeps what arrived before the connection failed, continues from there, and makes the parts the document’s blob, nothing copied', async () => {
    const bucket = `tus-${randomUUID()}`;
    const store = createS3BlobStore({
      bucket,
      endpoint: fakeS3.endpoint,
      forcePathStyle: true,
      accessKeyId: 'test',
      secretAccessKey: 'test',
    });
    const storage = { store, masterKey: parseMasterKey(generateMasterKey()) };
    const user = await launchedUser();
    const [vault] = await listVaults(svd.db, { userId: user.userId });
    // Two parts and a bit: the second part ends inside a segment.
    const data = randomBytes((PART_SEGMENTS + 3) * SEGMENT_SIZE + 100);
    const uploadId = randomBytes(16).toString('hex');
    const { documentId } = await createResumableUpload(svd.db, storage, {
      uploadId,
      userId: user.userId,
      uploadLength: data.length,
      metadata: { vaultId: vault?.id ?? '', filename: 'scan.tiff', filetype: 'image/tiff' },
      log: logger,
    });

    const cutAt = PART_SEGMENTS * SEGMENT_SIZE + SEGMENT_SIZE + 4321;
    await expect(
      appendToResumableUpload(svd.db, storage, { uploadId, offset: 0, body: body(data, cutAt), log: logger }),
    ).rejects.toThrow('aborted');
    const [cut] = await svd.db
      .select()
      .from(schema.resumableUpload)
      .where(eq(schema.resumableUpload.id, uploadId));
    expect(cut?.receivedBytes).toBe(cutAt);
    expect(cut?.parts).toHaveLength(2);
    const objects = () => fakeS3.list(bucket).map((path) => path.split('/').at(-1));
    expect(objects().sort()).toEqual([...(cut?.parts ?? [])].sort());

    await expect(
      appendToResumableUpload(svd.db, storage, { uploadId, offset: 0, body: body(data), log: logger }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    const offset = await appendToResumableUpload(svd.db, storage, {
      uploadId,
      offset: cutAt,
      body: body(data.subarray(cutAt)),
      log: logger,
    });
    expect(offset).toBe(data.length);

    const [document] = await svd.db.select().from(schema.document).where(eq(schema.document.id, documentId));
    expect(document).toMatchObject({ state: 'ready', sizeBytes: data.length, mimeType: 'image/tiff' });
    // Nothing copied: the document's key holds a manifest of the three parts, and they are all that is stored.
    const manifest = await readComposedBlob(await store.get(document?.storageKey ?? ''));
    const parts = 'composed' in manifest ? manifest.composed.parts : [];
    expect(parts).toHaveLength(3);
    expect(parts.slice(0, 2)).toEqual(cut?.parts);
    expect(objects().sort()).toEqual([document?.storageKey, ...parts].sort());
    const plaintext = await readAll(
      await streamDecrypted(store, storage.masterKey, {
        storageKey: document?.storageKey ?? '',
        wrappedKey: document?.wrappedKey ?? '',
      }),
    );
    expect(plaintext.equals(data)).toBe(true);
    expect(document?.sha256).toBe(createHash('sha256').update(data).digest('hex'));
    // Deleting the document's blob deletes its parts, the manifest last.
    await deleteBlob(store, document?.storageKey ?? '');
    expect(objects()).toEqual([]);
  }, 60_000);

  it('hashes the parts at completion for an upload begun before hash states were kept', async () => {
    const bucket = `tus-${randomUUID()}`;
    const store = createS3BlobStore({
      bucket,
      endpoint: fakeS3.endpoint,
      forcePathStyle: true,
      accessKeyId: 'test',
      secretAccessKey: 'test',
    });
    const storage = { store, masterKey: parseMasterKey(generateMasterKey()) };
    const user = await launchedUser();
    const [vault] = await listVaults(svd.db, { userId: user.userId });
    const data = randomBytes(3 * SEGMENT_SIZE + 10);
    const uploadId = randomBytes(16).toString('hex');
    const { documentId } = await createResumableUpload(svd.db, storage, {
      uploadId,
      userId: user.userId,
      uploadLength: data.length,
      metadata: { vaultId: vault?.id ?? '', filename: 'old.bin' },
      log: logger,
    });
    const cutAt = 2 * SEGMENT_SIZE + 7;
    await expect(
      appendToResumableUpload(svd.db, storage, { uploadId, offset: 0, body: body(data, cutAt), log: logger }),
    ).rejects.toThrow('aborted');
    // As a row written before the hash state existed: parts stored, no state.
    await svd.db
      .update(schema.resumableUpload)
      .set({ hashState: null })
      .where(eq(schema.resumableUpload.id, uploadId));
    await appendToResumableUpload(svd.db, storage, {
      uploadId,
      offset: cutAt,
      body: body(data.subarray(cutAt)),
      log: logger,
    });
    const [document] = await svd.db.select().from(schema.document).where(eq(schema.document.id, documentId));
    expect(document).toMatchObject({
      state: 'ready',
      sizeBytes: data.length,
      sha256: createHash('sha256').update(data).digest('hex'),
    });
  }, 60_000);
});
