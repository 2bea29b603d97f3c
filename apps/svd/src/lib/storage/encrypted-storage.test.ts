import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeS3 } from '@/testing/fake-s3-server';
import { listFiles, readAll, streamOf, useTempDirs } from '@/testing/storage';
import {
  BlobNotFoundError,
  createLocalBlobStore,
  createS3BlobStore,
  deleteStored,
  FileTooLargeError,
  generateMasterKey,
  IntegrityError,
  openDecrypted,
  parseMasterKey,
  storeEncrypted,
  type TBlobStore,
  type TStoredObject,
} from './index';
import { HEADER_BYTES, SEALED_SEGMENT_BYTES, SEGMENT_SIZE } from './segmented-cipher';

const TAG_BYTES = 16;
const MiB = 1024 * 1024;

let fakeS3: Awaited<ReturnType<typeof startFakeS3>>;
beforeAll(async () => {
  fakeS3 = await startFakeS3();
});
afterAll(() => fakeS3.close());

/**
 * The behavioural suite runs once per backend. There is no real S3 server here: the S3 store is driven through the
 * real SDK against a minimal fake of the S3 API (src/testing/fake-s3-server.ts), which checks how the store uses the
 * SDK but not how a real bucket behaves.
 */
const BACKENDS = [
  {
    name: 'local disk',
    open: async (tempDir: () => Promise<string>) => {
      const dir = await tempDir();
      return { store: createLocalBlobStore(dir), listObjects: () => listFiles(dir) };
    },
  },
  {
    name: 'S3 API (fake server)',
    open: async () => {
      const bucket = `bucket-${randomUUID()}`;
      const store = createS3BlobStore({
        bucket,
        endpoint: fakeS3.endpoint,
        forcePathStyle: true,
        accessKeyId: 'test',
        secretAccessKey: 'test',
        prefix: 'documents',
      });
      return { store, listObjects: async () => fakeS3.list(bucket) };
    },
  },
];

describe.each(BACKENDS)('encrypted storage on $name', (backend) => {
  const tempDir = useTempDirs();
  const masterKey = parseMasterKey(generateMasterKey());
  let store: TBlobStore;
  let listObjects: () => Promise<string[]>;

  beforeEach(async () => {
    ({ store, listObjects } = await backend.open(tempDir));
  });

  const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

  async function download(object: TStoredObject, key = masterKey): Promise<Buffer> {
    return readAll(await openDecrypted(store, key, object));
  }

  const flipByte = (blob: Buffer, offset: number, mask: number) => {
    blob.writeUInt8(blob.readUInt8(offset) ^ mask, offset);
  };

  async function rewriteBlob(storageKey: string, change: (blob: Buffer) => Buffer): Promise<void> {
    const blob = await readAll(await store.get(storageKey));
    await store.put(storageKey, streamOf(change(blob)));
  }

  /** Expects openDecrypted to refuse, and counts what a caller would have received anyway. */
  async function expectRefused(object: { storageKey: string; wrappedKey: string }, key = masterKey) {
    let delivered = 0;
    const attempt = openDecrypted(store, key, object).then(async (stream) => {
      for await (const chunk of stream) delivered += (chunk as Buffer).length;
    });
    await expect(attempt).rejects.toThrow(IntegrityError);
    await expect(attempt).rejects.toThrow(
      'This document failed its integrity check: it may have been tampered with or damaged. It was not downloaded.',
    );
    expect(delivered).toBe(0);
  }

  describe('round trip', () => {
    it.each([
      { label: 'an empty file', size: 0, chunkSize: 1024 },
      { label: 'one byte', size: 1, chunkSize: 1024 },
      { label: 'exactly one segment', size: SEGMENT_SIZE, chunkSize: 16 * 1024 },
      { label: 'one segment and one byte', size: SEGMENT_SIZE + 1, chunkSize: 16 * 1024 },
      { label: 'exactly three segments', size: 3 * SEGMENT_SIZE, chunkSize: 1000 },
      {
        label: 'one chunk spanning several segments',
        size: 5 * SEGMENT_SIZE + 7,
        chunkSize: 5 * SEGMENT_SIZE + 7,
      },
    ])('stores and returns $label', async ({ size, chunkSize }) => {
      const data = randomBytes(size);
      const stored = await storeEncrypted(store, masterKey, streamOf(data, chunkSize), { maxBytes: size });

      expect(stored.sizeBytes).toBe(size);
      expect(stored.sha256).toBe(sha256(data));
      expect((await download(stored)).equals(data)).toBe(true);

      const segments = Math.max(1, Math.ceil(size / SEGMENT_SIZE));
      const blob = await readAll(await store.get(stored.storageKey));
      expect(blob.length).toBe(HEADER_BYTES + size + segments * TAG_BYTES);
      expect(blob.subarray(0, 4).toString('ascii')).toBe('SVD1');
      expect(blob[4]).toBe(1);
      expect(blob.readUInt32BE(5)).toBe(SEGMENT_SIZE);
    });

    it('streams 64 MB through without holding the file in memory', async () => {
      const total = 64 * MiB;
      const expected = createHash('sha256');
      let generated = 0;
      let reachedStore = 0;
      let largestBacklog = 0;
      const source = Readable.from(
        (function* () {
          while (generated < total) {
            const chunk = randomBytes(64 * 1024);
            expected.update(chunk);
            generated += chunk.length;
            yield chunk;
          }
        })(),
        { objectMode: false },
      );
      // How far the source runs ahead of what the store has received is what an upload holds in memory.
      const observed: TBlobStore = {
        ...store,
        put: (key, body) =>
          store.put(
            key,
            Readable.from(
              (async function* () {
                for await (const chunk of body) {
                  reachedStore += (chunk as Buffer).length;
                  largestBacklog = Math.max(largestBacklog, generated - reachedStore);
                  yield chunk;
                }
              })(),
              { objectMode: false },
            ),
          ),
      };
      const heapBefore = process.memoryUsage().heapUsed;
      let heapPeak = heapBefore;
      const sampleHeap = () => {
        heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
      };

      const stored = await storeEncrypted(observed, masterKey, source, { maxBytes: total });
      sampleHeap();
      const actual = createHash('sha256');
      let downloaded = 0;
      for await (const chunk of await openDecrypted(store, masterKey, stored)) {
        actual.update(chunk as Buffer);
        downloaded += (chunk as Buffer).length;
        if (downloaded % (4 * MiB) === 0) sampleHeap();
      }

      expect(stored.sizeBytes).toBe(total);
      expect(downloaded).toBe(total);
      const expectedDigest = expected.digest('hex');
      expect(stored.sha256).toBe(expectedDigest);
      expect(actual.digest('hex')).toBe(expectedDigest);
      expect(largestBacklog).toBeLessThan(MiB);
      expect(heapPeak - heapBefore).toBeLessThan(total / 4);
    }, 60_000);
  });

  describe('size limit', () => {
    it('accepts a file of exactly maxBytes', async () => {
      const stored = await storeEncrypted(store, masterKey, streamOf(randomBytes(200_000)), {
        maxBytes: 200_000,
      });
      expect(stored.sizeBytes).toBe(200_000);
    });

    it('throws FileTooLargeError past maxBytes and leaves nothing stored', async () => {
      const error = await storeEncrypted(store, masterKey, streamOf(randomBytes(200_001)), {
        maxBytes: 200_000,
      }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(FileTooLargeError);
      expect((error as FileTooLargeError).limitBytes).toBe(200_000);
      expect(await listObjects()).toEqual([]);
    });

    it('cleans up an upload that is rejected after many megabytes were stored', async () => {
      const error = await storeEncrypted(store, masterKey, streamOf(randomBytes(20 * MiB), MiB), {
        maxBytes: 18 * MiB,
      }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(FileTooLargeError);
      expect(await listObjects()).toEqual([]);
    });

    it('stops reading an endless source soon after the limit', async () => {
      let pulled = 0;
      const endless = Readable.from(
        (function* () {
          for (;;) {
            pulled += 1;
            yield randomBytes(64 * 1024);
          }
        })(),
        { objectMode: false },
      );
      await expect(storeEncrypted(store, masterKey, endless, { maxBytes: MiB })).rejects.toThrow(
        FileTooLargeError,
      );
      expect(pulled).toBeLessThan(32);
      expect(endless.destroyed).toBe(true);
      expect(await listObjects()).toEqual([]);
    });
  });

  describe('failed uploads', () => {
    it('rejects with AbortError when the signal fires, leaving nothing stored', async () => {
      const source = new PassThrough();
      source.write(randomBytes(3 * SEGMENT_SIZE));
      const controller = new AbortController();
      const upload = storeEncrypted(store, masterKey, source, {
        maxBytes: 10 * MiB,
        signal: controller.signal,
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      controller.abort();
      await expect(upload).rejects.toMatchObject({ name: 'AbortError' });
      expect(await listObjects()).toEqual([]);
    });

    it('passes on a source error (a dropped connection), leaving nothing stored', async () => {
      const source = new PassThrough();
      source.write(randomBytes(3 * SEGMENT_SIZE));
      const upload = storeEncrypted(store, masterKey, source, { maxBytes: 10 * MiB });
      setTimeout(() => source.destroy(new Error('connection reset')), 20);
      await expect(upload).rejects.toThrow('connection reset');
      expect(await listObjects()).toEqual([]);
    });

    it('throws a failed cleanup together with the upload error instead of dropping it', async () => {
      const refusingDeletes: TBlobStore = {
        ...store,
        delete: async () => {
          throw new Error('delete refused');
        },
      };
      const error = await storeEncrypted(refusingDeletes, masterKey, streamOf(randomBytes(2000)), {
        maxBytes: 1000,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AggregateError);
      const { errors } = error as AggregateError;
      expect(errors[0]).toBeInstanceOf(FileTooLargeError);
      expect(errors[1]).toMatchObject({ message: 'delete refused' });
    });

    it('hands the cleanup to `discard` when given, and passes on the upload error alone', async () => {
      const discarded: string[] = [];
      const error = await storeEncrypted(store, masterKey, streamOf(randomBytes(2000)), {
        maxBytes: 1000,
        discard: async (key) => {
          discarded.push(key);
          await store.delete(key);
        },
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FileTooLargeError);
      expect(discarded).toHaveLength(1);
      expect(await listObjects()).toEqual([]);
    });
  });

  describe('integrity', () => {
    /** 3½ segments, so there are whole segments to drop, swap and copy, and a short final one. */
    async function storeSample(size = 3 * SEGMENT_SIZE + SEGMENT_SIZE / 2): Promise<TStoredObject> {
      return storeEncrypted(store, masterKey, streamOf(randomBytes(size)), { maxBytes: size });
    }
    const segmentAt = (index: number) => HEADER_BYTES + index * SEALED_SEGMENT_BYTES;

    it('refuses a blob with one byte flipped in the middle', async () => {
      const stored = await storeSample();
      await rewriteBlob(stored.storageKey, (blob) => {
        flipByte(blob, Math.floor(blob.length / 2), 0x01);
        return blob;
      });
      await expectRefused(stored);
    });

    it.each([
      { label: 'the magic', offset: 0 },
      { label: 'the segment size', offset: 6 },
      { label: 'the nonce prefix', offset: 12 },
      { label: 'the last tag', offset: -1 },
    ])('refuses a blob with a byte of $label changed', async ({ offset }) => {
      const stored = await storeSample();
      await rewriteBlob(stored.storageKey, (blob) => {
        flipByte(blob, offset < 0 ? blob.length + offset : offset, 0x80);
        return blob;
      });
      await expectRefused(stored);
    });

    it.each([
      { label: 'the last segment dropped', size: 3 * SEGMENT_SIZE + 100, keep: segmentAt(3) },
      { label: 'the last full segment dropped', size: 3 * SEGMENT_SIZE, keep: segmentAt(2) },
      { label: 'a cut inside a segment', size: 3 * SEGMENT_SIZE, keep: segmentAt(1) + 1000 },
      { label: 'a cut inside the last tag', size: 3 * SEGMENT_SIZE + 100, keep: -1 },
      { label: 'only the header left', size: 1000, keep: HEADER_BYTES },
      { label: 'a partial header', size: 1000, keep: 10 },
      { label: 'nothing left', size: 1000, keep: 0 },
    ])('refuses a truncated blob: $label', async ({ size, keep }) => {
      const stored = await storeSample(size);
      await rewriteBlob(stored.storageKey, (blob) => blob.subarray(0, keep < 0 ? blob.length + keep : keep));
      await expectRefused(stored);
    });

    it('refuses a blob with two segments swapped', async () => {
      const stored = await storeSample();
      await rewriteBlob(stored.storageKey, (blob) =>
        Buffer.concat([
          blob.subarray(0, segmentAt(0)),
          blob.subarray(segmentAt(1), segmentAt(2)),
          blob.subarray(segmentAt(0), segmentAt(1)),
          blob.subarray(segmentAt(2)),
        ]),
      );
      await expectRefused(stored);
    });

    it.each([
      {
        label: 'a copy of its first segment',
        extra: (blob: Buffer) => blob.subarray(segmentAt(0), segmentAt(1)),
      },
      { label: 'one byte', extra: () => Buffer.from([0]) },
      { label: 'an empty segment', extra: () => Buffer.alloc(TAG_BYTES) },
    ])('refuses a blob extended by $label', async ({ extra }) => {
      const stored = await storeSample();
      await rewriteBlob(stored.storageKey, (blob) => Buffer.concat([blob, extra(blob)]));
      await expectRefused(stored);
    });

    it('refuses another document whose blob was copied over this one', async () => {
      const [mine, theirs] = [await storeSample(), await storeSample()];
      const theirBlob = await readAll(await store.get(theirs.storageKey));
      await store.put(mine.storageKey, streamOf(theirBlob));
      await expectRefused(mine);
    });

    it('refuses the wrong master key', async () => {
      const stored = await storeSample();
      await expectRefused(stored, parseMasterKey(generateMasterKey()));
    });

    it("refuses a wrapped key taken from another document's record", async () => {
      const [mine, theirs] = [await storeSample(), await storeSample()];
      await expectRefused({ storageKey: mine.storageKey, wrappedKey: theirs.wrappedKey });
    });

    it.each(['', 'v1', 'v2:a:b:c', 'v1:AAAA:AAAA:AAAA', 'not a wrapped key'])(
      'refuses a malformed wrapped key %j',
      async (wrappedKey) => {
        const stored = await storeSample(10);
        await expectRefused({ storageKey: stored.storageKey, wrappedKey });
      },
    );

    it('ends the download with IntegrityError if the blob changes after it was verified', async () => {
      const stored = await storeSample();
      let reads = 0;
      const changing: TBlobStore = {
        ...store,
        async get(key) {
          reads += 1;
          const blob = await readAll(await store.get(key));
          if (reads === 2) flipByte(blob, segmentAt(2) + 5, 0x01);
          return streamOf(blob);
        },
      };
      const stream = await openDecrypted(changing, masterKey, stored);
      let delivered = 0;
      const reading = (async () => {
        for await (const chunk of stream) delivered += (chunk as Buffer).length;
      })();
      await expect(reading).rejects.toThrow(IntegrityError);
      // Segments 0 and 1 were intact when read; the altered segment 2 was not released.
      expect(delivered).toBe(2 * SEGMENT_SIZE);
    });
  });

  describe('storage keys and deletion', () => {
    it('uses a fresh random key and fresh data key each time, even for the same content', async () => {
      const data = Buffer.from('Quarterly report, strictly confidential. '.repeat(2000));
      const first = await storeEncrypted(store, masterKey, streamOf(data), { maxBytes: data.length });
      const second = await storeEncrypted(store, masterKey, streamOf(data), { maxBytes: data.length });

      expect(first.storageKey).toMatch(/^[0-9a-f]{32}$/);
      expect(second.storageKey).toMatch(/^[0-9a-f]{32}$/);
      expect(second.storageKey).not.toBe(first.storageKey);
      expect(second.wrappedKey).not.toBe(first.wrappedKey);
      const [blobA, blobB] = [await store.get(first.storageKey), await store.get(second.storageKey)].map(
        readAll,
      );
      const [a, b] = await Promise.all([blobA, blobB]);
      expect(a?.equals(b as Buffer)).toBe(false);
      expect(a?.includes('strictly confidential')).toBe(false);
    });

    it('deletes idempotently; a deleted document is not found', async () => {
      const stored = await storeEncrypted(store, masterKey, streamOf(randomBytes(1000)), { maxBytes: 1000 });
      expect(await store.exists(stored.storageKey)).toBe(true);

      await deleteStored(store, stored.storageKey);
      await deleteStored(store, stored.storageKey);

      expect(await store.exists(stored.storageKey)).toBe(false);
      await expect(openDecrypted(store, masterKey, stored)).rejects.toThrow(BlobNotFoundError);
      expect(await listObjects()).toEqual([]);
    });

    it('throws BlobNotFoundError for a key that was never stored', async () => {
      const missing = randomBytes(16).toString('hex');
      await expect(store.get(missing)).rejects.toThrow(BlobNotFoundError);
      expect(await store.exists(missing)).toBe(false);
    });
  });
});
