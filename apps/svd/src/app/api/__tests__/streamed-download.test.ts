import { randomBytes, randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { schema } from '@omg/db';
import { afterAll, describe, expect, it } from 'vitest';
import { storeEncrypted } from '@/lib/storage';
import { HEADER_BYTES, SEALED_SEGMENT_BYTES, SEGMENT_SIZE } from '@/lib/storage/segmented-cipher';
import { vaultStorage } from '@/lib/vault-storage';
import { streamOf } from '@/testing/storage';
import { GET as download } from '../documents/[id]/download/route';
import { GET as listVaults } from '../vaults/route';
import { admin, findBlobFile, hub, launchedUser, SVD, svd, type TVaultUser } from './vault-fixtures';

const SIZE = 16 * SEGMENT_SIZE + 1000;

afterAll(async () => {
  await Promise.all([admin.pool.end(), hub.pool.end(), svd.pool.end()]);
});

const get = (user: TVaultUser, path: string) =>
  new Request(`${SVD}${path}`, { headers: { cookie: user.cookie } });

/** A ready document of SIZE random bytes, stored encrypted as an upload would leave it. */
async function storedDocument(user: TVaultUser): Promise<{ id: string; data: Buffer; blobFile: string }> {
  const { vaults } = await (
    await listVaults(get(user, '/api/vaults'), { params: Promise.resolve({}) })
  ).json();
  const data = randomBytes(SIZE);
  const { store, masterKey } = vaultStorage();
  const object = await storeEncrypted(store, masterKey, streamOf(data), { maxBytes: SIZE });
  const id = randomUUID();
  await svd.db.insert(schema.document).values({
    id,
    userId: user.userId,
    vaultId: vaults[0].id,
    name: 'ledger.bin',
    mimeType: 'application/octet-stream',
    sizeBytes: SIZE,
    state: 'ready',
    storageKey: object.storageKey,
    wrappedKey: object.wrappedKey,
  });
  return { id, data, blobFile: (await findBlobFile(object.storageKey)) ?? '' };
}

async function read(response: Response): Promise<{ bytes: Buffer; error: unknown }> {
  const chunks: Buffer[] = [];
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read())
      chunks.push(Buffer.from(next.value));
    return { bytes: Buffer.concat(chunks), error: null };
  } catch (error) {
    return { bytes: Buffer.concat(chunks), error };
  }
}

describe('GET /api/documents/:id/download streams verified segments', () => {
  it('sends the whole document, byte for byte, with its length announced', async () => {
    const user = await launchedUser();
    const document = await storedDocument(user);
    const response = await download(get(user, `/api/documents/${document.id}/download`), {
      params: Promise.resolve({ id: document.id }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe(String(SIZE));
    const { bytes, error } = await read(response);
    expect(error).toBeNull();
    expect(bytes.equals(document.data)).toBe(true);
  });

  it('cuts the download short at a tampered segment: the client never gets a complete file', async () => {
    const user = await launchedUser();
    const document = await storedDocument(user);
    const blob = await readFile(document.blobFile);
    const tampered = HEADER_BYTES + 7 * SEALED_SEGMENT_BYTES + 3;
    blob[tampered] = (blob[tampered] ?? 0) ^ 0x01;
    await writeFile(document.blobFile, blob);
    const response = await download(get(user, `/api/documents/${document.id}/download`), {
      params: Promise.resolve({ id: document.id }),
    });
    // The first segments were intact and already left; the announced length can no longer be met.
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe(String(SIZE));
    const { bytes, error } = await read(response);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/integrity check/);
    expect(bytes.length).toBe(7 * SEGMENT_SIZE);
    expect(bytes.equals(document.data.subarray(0, 7 * SEGMENT_SIZE))).toBe(true);
  });
});
