import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { listFiles, readAll, useTempDirs } from '@/testing/storage';
import { BlobNotFoundError, IntegrityError } from './blob-store';
import { composedBlobManifest } from './composed-blob';
import { deleteBlob } from './delete-blob';
import { openDecrypted, streamDecrypted } from './encrypted-storage';
import { generateDataKey, generateMasterKey, parseMasterKey, wrapDataKey } from './envelope';
import { createLocalBlobStore } from './local-blob-store';
import { createSegmentHeader, SEGMENT_SIZE, sealSegment } from './segmented-cipher';

const masterKey = parseMasterKey(generateMasterKey());

/**
 * A resumable upload's blob as completion leaves it: 3½ segments sealed into two parts, and a manifest under
 * the document's key. `order` lists which parts the manifest names, in which order.
 */
async function composed(
  tempDir: () => Promise<string>,
  order: (parts: string[]) => string[] = (parts) => parts,
) {
  const root = await tempDir();
  const store = createLocalBlobStore(root);
  const plaintext = randomBytes(3 * SEGMENT_SIZE + SEGMENT_SIZE / 2);
  const dataKey = generateDataKey();
  const header = createSegmentHeader();
  const segment = (i: number) =>
    sealSegment(dataKey, header, i, i === 3, plaintext.subarray(i * SEGMENT_SIZE, (i + 1) * SEGMENT_SIZE));
  const storageKey = randomBytes(16).toString('hex');
  const parts = [`${storageKey}-pfirst`, `${storageKey}-psecond`];
  await store.put(parts[0] ?? '', Readable.from([segment(0), segment(1)]));
  await store.put(parts[1] ?? '', Readable.from([segment(2), segment(3)]));
  await store.put(storageKey, Readable.from([composedBlobManifest({ header, parts: order(parts) })]));
  const object = { storageKey, wrappedKey: wrapDataKey(masterKey, dataKey, storageKey) };
  return { root, store, plaintext, parts, object };
}

describe('a composed blob (a finished resumable upload’s parts, never copied)', () => {
  const tempDir = useTempDirs();

  it('reads as the one blob: streamed and verified downloads give the plaintext', async () => {
    const { store, plaintext, object } = await composed(tempDir);
    expect((await readAll(await streamDecrypted(store, masterKey, object))).equals(plaintext)).toBe(true);
    expect((await readAll(await openDecrypted(store, masterKey, object))).equals(plaintext)).toBe(true);
  });

  it('fails as a damaged blob does when its parts are out of order, one is missing, or one is left out', async () => {
    const swapped = await composed(tempDir, (parts) => [...parts].reverse());
    await expect(openDecrypted(swapped.store, masterKey, swapped.object)).rejects.toThrow(IntegrityError);
    const shortened = await composed(tempDir, (parts) => parts.slice(0, 1));
    await expect(openDecrypted(shortened.store, masterKey, shortened.object)).rejects.toThrow(IntegrityError);
    const missing = await composed(tempDir);
    await missing.store.delete(missing.parts[1] ?? '');
    await expect(openDecrypted(missing.store, masterKey, missing.object)).rejects.toThrow(BlobNotFoundError);
  });

  it('is deleted with every part (the manifest last), and deleting it again succeeds', async () => {
    const { root, store, parts, object } = await composed(tempDir);
    expect(await listFiles(root)).toHaveLength(3);
    await deleteBlob(store, object.storageKey);
    expect(await listFiles(root)).toEqual([]);
    await deleteBlob(store, object.storageKey);
    // A part that a failed deletion left behind is still found through the manifest on the next try.
    const again = await composed(tempDir);
    await again.store.delete(again.parts[0] ?? '');
    await deleteBlob(again.store, again.object.storageKey);
    expect(await listFiles(again.root)).toEqual([]);
    expect(parts).toHaveLength(2);
  });
});
