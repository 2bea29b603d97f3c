import { randomBytes, randomUUID } from 'node:crypto';
import { schema } from '@omg/db';
import { connectAs } from '@omg/db/testing';
import { eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createUploadLeaseLocker, UPLOAD_LOCKED } from './upload-lease-locker';

const svd = connectAs('svd');
afterAll(() => svd.pool.end());

/** A resumable upload's row (and the vault and document it needs), as creation leaves it. */
async function uploadRow(): Promise<string> {
  const userId = randomUUID();
  const vaultId = randomUUID();
  const documentId = randomUUID();
  const id = randomBytes(16).toString('hex');
  await svd.db.insert(schema.vault).values({ id: vaultId, userId, name: 'Lock test' });
  await svd.db.insert(schema.document).values({
    id: documentId,
    userId,
    vaultId,
    name: 'a.bin',
    mimeType: 'application/octet-stream',
    sizeBytes: 10,
    storageKey: randomBytes(16).toString('hex'),
  });
  await svd.db.insert(schema.resumableUpload).values({
    id,
    documentId,
    userId,
    uploadLength: 10,
    metadata: {},
    header: Buffer.alloc(17),
    expiresAt: new Date(Date.now() + 60_000),
  });
  return id;
}

const never = new AbortController().signal;

// Two lockers stand for two instances behind the balancer: all they share is the database.
describe('the tus lock across instances (a lease on securevault."ResumableUpload")', () => {
  it('lets one request in; one on another instance waits, then gets 423; once released it gets in', async () => {
    const id = await uploadRow();
    const instanceA = createUploadLeaseLocker(() => svd.db, { waitMs: 300 });
    const instanceB = createUploadLeaseLocker(() => svd.db, { waitMs: 300 });
    const first = instanceA.newLock(id);
    await first.lock(never, () => {});
    const started = Date.now();
    await expect(instanceB.newLock(id).lock(never, () => {})).rejects.toEqual(UPLOAD_LOCKED);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    await first.unlock();
    const second = instanceB.newLock(id);
    await second.lock(never, () => {});
    const [row] = await svd.db.select().from(schema.resumableUpload).where(eq(schema.resumableUpload.id, id));
    expect(row?.lockToken).toMatch(/^[0-9a-f]{32}$/);
    await second.unlock();
    const [released] = await svd.db
      .select()
      .from(schema.resumableUpload)
      .where(eq(schema.resumableUpload.id, id));
    expect(released).toMatchObject({ lockToken: null, lockedUntil: null });
  });

  it('frees an upload whose instance died: the lease lapses, and the dead holder cannot release the new one', async () => {
    const id = await uploadRow();
    const dead = createUploadLeaseLocker(() => svd.db, { leaseMs: 30_000 }).newLock(id);
    await dead.lock(never, () => {});
    // No renewals any more (the instance is gone): its lease runs out.
    await svd.db
      .update(schema.resumableUpload)
      .set({ lockedUntil: sql`now() - interval '1 second'` })
      .where(eq(schema.resumableUpload.id, id));
    const survivor = createUploadLeaseLocker(() => svd.db, { waitMs: 300 }).newLock(id);
    await survivor.lock(never, () => {});
    await dead.unlock();
    const [row] = await svd.db.select().from(schema.resumableUpload).where(eq(schema.resumableUpload.id, id));
    expect(row?.lockToken).not.toBeNull();
    await expect(
      createUploadLeaseLocker(() => svd.db, { waitMs: 100 })
        .newLock(id)
        .lock(never, () => {}),
    ).rejects.toEqual(UPLOAD_LOCKED);
    await survivor.unlock();
  });

  it('needs no lock for an upload that does not exist (the store answers 404 for it)', async () => {
    const lock = createUploadLeaseLocker(() => svd.db, { waitMs: 100 }).newLock('no-such-upload');
    await lock.lock(never, () => {});
    await lock.unlock();
  });
});
