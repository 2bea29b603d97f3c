import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import { listFiles, readAll, streamOf, useTempDirs } from '@/testing/storage';
import { BlobNotFoundError, type TBlobStore } from './blob-store';
import { createLocalBlobStore } from './local-blob-store';

describe('local blob store', () => {
  const tempDir = useTempDirs();
  let root: string;
  let store: TBlobStore;

  beforeEach(async () => {
    root = await tempDir();
    store = createLocalBlobStore(root);
  });

  it('stores owner-only files fanned out by key prefix', async () => {
    const key = randomBytes(16).toString('hex');
    const data = randomBytes(100_000);
    await store.put(key, streamOf(data));

    const relative = path.join(key.slice(0, 2), key.slice(2, 4), key);
    expect(await listFiles(root)).toEqual([relative]);
    expect((await stat(path.join(root, relative))).mode & 0o777).toBe(0o600);
    expect((await readAll(await store.get(key))).equals(data)).toBe(true);
  });

  it('leaves neither the object nor a temporary file when the body fails', async () => {
    const key = randomBytes(16).toString('hex');
    const body = new PassThrough();
    body.write(randomBytes(50_000));
    setTimeout(() => body.destroy(new Error('upload interrupted')), 20);

    await expect(store.put(key, body)).rejects.toThrow('upload interrupted');
    expect(await store.exists(key)).toBe(false);
    expect(await listFiles(root)).toEqual([]);
  });

  it('rejects, and crashes nothing, when the body fails before its file is open', async () => {
    const key = randomBytes(16).toString('hex');
    const body = new PassThrough();
    const putting = store.put(key, body);
    // Destroyed while put is still making the folder: no pipeline listens to the body yet.
    body.destroy(new Error('upload interrupted early'));

    await expect(putting).rejects.toThrow('upload interrupted early');
    expect(await store.exists(key)).toBe(false);
    expect(await listFiles(root)).toEqual([]);
  });

  it('keeps the previous object readable until a replacement is complete', async () => {
    const key = randomBytes(16).toString('hex');
    await store.put(key, Readable.from([Buffer.from('first')]));
    const replacement = new PassThrough();
    replacement.write('second, partly written');
    const writing = store.put(key, replacement);
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect((await readAll(await store.get(key))).toString()).toBe('first');
    replacement.end();
    await writing;
    expect((await readAll(await store.get(key))).toString()).toBe('second, partly written');
  });

  it('deletes idempotently and reports missing keys', async () => {
    const key = randomBytes(16).toString('hex');
    await store.put(key, Readable.from([Buffer.from('x')]));
    await store.delete(key);
    await store.delete(key);
    expect(await store.exists(key)).toBe(false);
    await expect(store.get(key)).rejects.toBeInstanceOf(BlobNotFoundError);
  });

  it.each(['../../../etc/passwd', 'ab/cd/efgh', 'short', '', '.hidden-key', 'key with spaces'])(
    'refuses the malformed key %j before touching the disk',
    async (key) => {
      await expect(store.put(key, Readable.from([Buffer.from('x')]))).rejects.toThrow('Invalid storage key');
      await expect(store.get(key)).rejects.toThrow('Invalid storage key');
      await expect(store.exists(key)).rejects.toThrow('Invalid storage key');
      await expect(store.delete(key)).rejects.toThrow('Invalid storage key');
      expect(await listFiles(root)).toEqual([]);
    },
  );
});
