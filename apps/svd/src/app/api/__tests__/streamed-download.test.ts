import { randomBytes, randomUUID } from 'node:crypto';
import type { ReadStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { schema } from '@omg/db';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { storeEncrypted } from '@/lib/storage';
import { HEADER_BYTES, SEALED_SEGMENT_BYTES, SEGMENT_SIZE } from '@/lib/storage/segmented-cipher';
import { vaultStorage } from '@/lib/vault-storage';
import { serveRoutes, type TRouteServer } from '@/testing/route-server';
import { streamOf } from '@/testing/storage';
import { GET as download } from '../documents/[id]/download/route';
import { GET as listVaults } from '../vaults/route';
import { admin, findBlobFile, hub, launchedUser, SVD, svd, type TVaultUser } from './vault-fixtures';

const SIZE = 16 * SEGMENT_SIZE + 1000;

let server: TRouteServer;
beforeAll(async () => {
  // The route over real HTTP, as `next start` serves it: an errored body destroys the response (Next.js's
  // pipeToNodeResponse aborts its writer with res.destroy), so the client's read fails.
  server = await serveRoutes((method, pathname) => {
    const id = /^\/api\/documents\/([^/]+)\/download$/.exec(pathname)?.[1];
    return id && method === 'GET' ? { handler: download, params: { id } } : null;
  }, SVD);
});

afterAll(async () => {
  await server?.close();
  await Promise.all([admin.pool.end(), hub.pool.end(), svd.pool.end()]);
});

const get = (user: TVaultUser, path: string) =>
  new Request(`${SVD}${path}`, { headers: { cookie: user.cookie } });

/** A ready document of SIZE random bytes, stored encrypted as an upload would leave it. */
async function storedDocument(
  user: TVaultUser,
  size = SIZE,
): Promise<{ id: string; data: Buffer; blobFile: string }> {
  const { vaults } = await (
    await listVaults(get(user, '/api/vaults'), { params: Promise.resolve({}) })
  ).json();
  const data = randomBytes(size);
  const { store, masterKey } = vaultStorage();
  const object = await storeEncrypted(store, masterKey, streamOf(data, 1024 * 1024), { maxBytes: size });
  const id = randomUUID();
  await svd.db.insert(schema.document).values({
    id,
    userId: user.userId,
    vaultId: vaults[0].id,
    name: 'ledger.bin',
    mimeType: 'application/octet-stream',
    sizeBytes: size,
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

// Real HTTP and real encryption on a shared 2-core machine: more than Vitest's default 5 s each.
describe('GET /api/documents/:id/download over HTTP: a damaged blob is a failed transfer, never a short file', {
  timeout: 30_000,
}, () => {
  const fetchDownload = (user: TVaultUser, id: string) =>
    fetch(`${server.url}/api/documents/${id}/download`, { headers: { cookie: user.cookie } });

  /** Stores the document, rewrites its blob on disk with `damage`, downloads it with fetch. */
  async function downloadDamaged(damage: (blob: Buffer) => Buffer) {
    const user = await launchedUser();
    const document = await storedDocument(user);
    await writeFile(document.blobFile, damage(await readFile(document.blobFile)));
    const response = await fetchDownload(user, document.id);
    return { response, document, ...(await read(response)) };
  }

  const segmentAt = (index: number) => HEADER_BYTES + index * SEALED_SEGMENT_BYTES;

  it('delivers the intact document to fetch, byte for byte', async () => {
    const user = await launchedUser();
    const document = await storedDocument(user);
    const response = await fetchDownload(user, document.id);
    expect(response.status).toBe(200);
    const { bytes, error } = await read(response);
    expect(error).toBeNull();
    expect(bytes.equals(document.data)).toBe(true);
  });

  it.each([
    {
      label: 'a tampered segment in the middle',
      damage: (blob: Buffer) => {
        const copy = Buffer.from(blob);
        copy[segmentAt(8) + 5] = (copy[segmentAt(8) + 5] ?? 0) ^ 0x01;
        return copy;
      },
      intact: 8 * SEGMENT_SIZE,
    },
    // The 17th (last, partial) segment gone: the 16th, sealed as not final, cannot end the file.
    {
      label: 'the last segment missing',
      damage: (blob: Buffer) => blob.subarray(0, segmentAt(16)),
      intact: 16 * SEGMENT_SIZE,
    },
    {
      label: 'truncation at a segment boundary',
      damage: (blob: Buffer) => blob.subarray(0, segmentAt(5)),
      intact: 5 * SEGMENT_SIZE,
    },
  ])("fails the client's read for $label", async ({ damage, intact }) => {
    const { response, document, bytes, error } = await downloadDamaged(damage);
    // Headers left with the first verified segment; what follows is the transfer failing, not ending.
    expect(response.status).toBe(200);
    expect(error).toBeInstanceOf(Error);
    expect(bytes.length).toBeLessThanOrEqual(intact);
    expect(bytes.equals(document.data.subarray(0, bytes.length))).toBe(true);
  });

  it('sends the first bytes before the blob has been read from disk', async () => {
    const size = 256 * SEGMENT_SIZE; // 16 MiB
    const user = await launchedUser();
    const document = await storedDocument(user, size);
    const { store } = vaultStorage();
    const opened: ReadStream[] = [];
    const realGet = store.get.bind(store);
    // The real store on the real file, only watched: every stream it opens is kept to count its bytes read.
    const watch = vi.spyOn(store, 'get').mockImplementation(async (key) => {
      const stream = await realGet(key);
      opened.push(stream as ReadStream);
      return stream;
    });
    try {
      const response = await fetchDownload(user, document.id);
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      const first = await reader.read();
      const readFromDisk = opened.reduce((sum, stream) => sum + stream.bytesRead, 0);
      expect(first.value?.length).toBeGreaterThan(0);
      expect(Buffer.from(first.value ?? []).equals(document.data.subarray(0, first.value?.length))).toBe(
        true,
      );
      // Verifying the whole blob first (as downloads once did) would have read all of it, twice.
      expect(readFromDisk).toBeLessThan(size / 4);
      await reader.cancel();
    } finally {
      watch.mockRestore();
    }
  });
});
