import { randomBytes } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import { readAll, streamOf, useTempDirs } from '@/testing/storage';
import { unwrapDataKey } from './envelope';
import {
  BlobNotFoundError,
  createLocalBlobStore,
  generateMasterKey,
  IntegrityError,
  parseMasterKey,
  storeEncrypted,
  streamDecrypted,
  type TBlobStore,
  type TStoredObject,
} from './index';
import {
  createSegmentHeader,
  HEADER_BYTES,
  SEALED_SEGMENT_BYTES,
  SEGMENT_SIZE,
  sealSegment,
} from './segmented-cipher';

const masterKey = parseMasterKey(generateMasterKey());
const segmentAt = (index: number) => HEADER_BYTES + index * SEALED_SEGMENT_BYTES;

describe('streamDecrypted (downloads)', () => {
  const tempDir = useTempDirs();
  let store: TBlobStore;

  beforeEach(async () => {
    store = createLocalBlobStore(await tempDir());
  });

  async function stored(size: number): Promise<{ data: Buffer; object: TStoredObject; blob: Buffer }> {
    const data = randomBytes(size);
    const object = await storeEncrypted(store, masterKey, streamOf(data), { maxBytes: size });
    return { data, object, blob: await readAll(await store.get(object.storageKey)) };
  }

  /** The store hands out `blob` instead of what it holds (a blob changed on disk, or a controlled source). */
  const serving = (source: () => Readable): TBlobStore => ({ ...store, get: async () => source() });

  /** Reads the stream to its end or error; what was released before either. */
  async function drain(stream: AsyncIterable<unknown>): Promise<{ delivered: number; error: unknown }> {
    let delivered = 0;
    try {
      for await (const chunk of stream) delivered += (chunk as Buffer).length;
      return { delivered, error: null };
    } catch (error) {
      return { delivered, error };
    }
  }

  it.each([0, 1, SEGMENT_SIZE, 3 * SEGMENT_SIZE + 17])('returns the same %i bytes', async (size) => {
    const { data, object } = await stored(size);
    expect((await readAll(await streamDecrypted(store, masterKey, object))).equals(data)).toBe(true);
  });

  it('reads a blob sealed segment by segment as the format defines (blobs written before batched writes)', async () => {
    const { object } = await stored(0);
    const dataKey = unwrapDataKey(masterKey, object.wrappedKey, object.storageKey);
    const data = randomBytes(3 * SEGMENT_SIZE + 5);
    const header = createSegmentHeader();
    const segments = [0, 1, 2, 3].map((index) =>
      sealSegment(
        dataKey,
        header,
        index,
        index === 3,
        data.subarray(index * SEGMENT_SIZE, (index + 1) * SEGMENT_SIZE),
      ),
    );
    // Handed over in odd pieces, so segments and tags straddle the chunks the store delivers.
    const stream = await streamDecrypted(
      serving(() => streamOf(Buffer.concat([header, ...segments]), 40_000)),
      masterKey,
      object,
    );
    expect((await readAll(stream)).equals(data)).toBe(true);
  });

  it('releases the first segment before the rest of the blob has even arrived', async () => {
    const { data, object, blob } = await stored(64 * SEGMENT_SIZE);
    // The blob arrives as slowly as a far store could send it: two segments now, the rest only when released.
    const source = new PassThrough();
    source.write(blob.subarray(0, segmentAt(2)));
    const stream = await streamDecrypted(
      serving(() => source),
      masterKey,
      object,
    );
    const reader = stream[Symbol.asyncIterator]();
    const first = (await reader.next()).value as Buffer;
    expect(first.equals(data.subarray(0, SEGMENT_SIZE))).toBe(true);
    // Everything after the first two segments is still unsent: the first bytes did not wait for the whole file.
    source.end(blob.subarray(segmentAt(2)));
    const rest: Buffer[] = [];
    for (let next = await reader.next(); !next.done; next = await reader.next())
      rest.push(next.value as Buffer);
    expect(Buffer.concat([first, ...rest]).equals(data)).toBe(true);
  });

  it('ends the stream at a tampered segment, releasing only the intact segments before it', async () => {
    const { object, blob } = await stored(10 * SEGMENT_SIZE);
    blob[segmentAt(5) + 100] = (blob[segmentAt(5) + 100] ?? 0) ^ 0x01;
    const stream = await streamDecrypted(
      serving(() => streamOf(blob)),
      masterKey,
      object,
    );
    const { delivered, error } = await drain(stream);
    expect(error).toBeInstanceOf(IntegrityError);
    expect(delivered).toBe(5 * SEGMENT_SIZE);
  });

  it.each([
    {
      label: 'a missing middle segment',
      cut: (b: Buffer) => Buffer.concat([b.subarray(0, segmentAt(3)), b.subarray(segmentAt(4))]),
    },
    { label: 'the last segment dropped', cut: (b: Buffer) => b.subarray(0, segmentAt(9)) },
    {
      label: 'a segment appended',
      cut: (b: Buffer) => Buffer.concat([b, b.subarray(segmentAt(0), segmentAt(1))]),
    },
  ])('ends the stream with IntegrityError for $label, before the end of the file', async ({ cut }) => {
    const { object, blob } = await stored(9 * SEGMENT_SIZE + 100);
    const stream = await streamDecrypted(
      serving(() => streamOf(cut(blob))),
      masterKey,
      object,
    );
    const { delivered, error } = await drain(stream);
    expect(error).toBeInstanceOf(IntegrityError);
    expect(delivered).toBeLessThan(9 * SEGMENT_SIZE + 100);
  });

  it('refuses before any byte when the header, the first segment or the key is wrong, or the blob is gone', async () => {
    const { object, blob } = await stored(4 * SEGMENT_SIZE);
    const flipped = (offset: number) => {
      const copy = Buffer.from(blob);
      copy[offset] = (copy[offset] ?? 0) ^ 0x80;
      return copy;
    };
    for (const changed of [flipped(0), flipped(HEADER_BYTES + 10)]) {
      await expect(
        streamDecrypted(
          serving(() => streamOf(changed)),
          masterKey,
          object,
        ),
      ).rejects.toThrow(IntegrityError);
    }
    await expect(streamDecrypted(store, parseMasterKey(generateMasterKey()), object)).rejects.toThrow(
      IntegrityError,
    );
    await store.delete(object.storageKey);
    await expect(streamDecrypted(store, masterKey, object)).rejects.toThrow(BlobNotFoundError);
  });
});
