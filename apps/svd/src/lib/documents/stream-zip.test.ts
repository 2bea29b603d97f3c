import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { beforeEach, describe, expect, it } from 'vitest';
import { listFiles, readAll, streamOf, useTempDirs } from '@/testing/storage';
import {
  BlobNotFoundError,
  createLocalBlobStore,
  generateMasterKey,
  parseMasterKey,
  storeEncrypted,
  type TBlobStore,
} from '../storage';
import { HEADER_BYTES, SEALED_SEGMENT_BYTES } from '../storage/segmented-cipher';
import { streamZip, type TZipItem, zipEntryNames } from './stream-zip';

const run = promisify(execFile);
const masterKey = parseMasterKey(generateMasterKey());
const web = (stream: ReadableStream<Uint8Array>) =>
  Readable.fromWeb(stream as import('node:stream/web').ReadableStream);

describe('zipEntryNames', () => {
  it('numbers duplicates the way file managers do, case-insensitively and per folder', () => {
    expect(zipEntryNames(['a.pdf', 'A.pdf', 'a.pdf', 'x/a.pdf', 'README', 'README', '.env', '.env'])).toEqual(
      ['a.pdf', 'A (2).pdf', 'a (3).pdf', 'x/a.pdf', 'README', 'README (2)', '.env', '.env (2)'],
    );
  });

  it('never leaves the folder it is unpacked into, and drops what cannot be a file name', () => {
    expect(
      zipEntryNames([
        '../../etc/passwd',
        '/abs/olute.txt',
        'a/./b/../c.txt',
        'con\u0000trol\u0007\u202e.txt',
        'win:do<ws>?.txt',
        'back\\slash.txt',
        '',
        '//',
      ]),
    ).toEqual([
      '_/_/etc/passwd',
      'abs/olute.txt',
      'a/_/b/_/c.txt',
      'control.txt',
      'win_do_ws__.txt',
      'back_slash.txt',
      'file',
      'file (2)',
    ]);
  });

  it('never names a file like a folder of the archive', () => {
    expect(zipEntryNames(['docs/a.txt', 'docs', 'Docs'])).toEqual(['docs/a.txt', 'docs (2)', 'Docs (3)']);
  });
});

describe('streamZip', () => {
  const tempDir = useTempDirs();
  let store: TBlobStore;

  beforeEach(async () => {
    store = createLocalBlobStore(await tempDir());
  });

  async function stored(data: Buffer, pathInZip: string): Promise<TZipItem> {
    const object = await storeEncrypted(store, masterKey, streamOf(data, 256 * 1024), {
      maxBytes: data.length,
    });
    return { document: { storageKey: object.storageKey, wrappedKey: object.wrappedKey }, pathInZip };
  }

  async function unzip(zip: Buffer): Promise<Map<string, Buffer>> {
    const dir = await tempDir();
    const file = path.join(dir, 'download.zip');
    await writeFile(file, zip);
    await run('unzip', ['-q', file, '-d', path.join(dir, 'out')]);
    const files = new Map<string, Buffer>();
    for (const name of await listFiles(path.join(dir, 'out')))
      files.set(name, await readFile(path.join(dir, 'out', name)));
    return files;
  }

  it('unzips (with the real unzip) to exactly the documents, under unique names', async () => {
    const a = randomBytes(200_000);
    const b = Buffer.from('plain text\n');
    const empty = Buffer.alloc(0);
    const items = [
      await stored(a, 'Reports/a.pdf'),
      await stored(b, 'a.pdf'),
      await stored(b, 'A.pdf'),
      await stored(empty, 'empty.txt'),
    ];
    const files = await unzip(await readAll(web(await streamZip({ store, masterKey }, items))));
    expect([...files.keys()].sort()).toEqual(['A (2).pdf', 'Reports/a.pdf', 'a.pdf', 'empty.txt']);
    expect(files.get('Reports/a.pdf')?.equals(a)).toBe(true);
    expect(files.get('a.pdf')?.equals(b)).toBe(true);
    expect(files.get('A (2).pdf')?.equals(b)).toBe(true);
    expect(files.get('empty.txt')?.length).toBe(0);
  });

  it('an empty selection is an empty, valid archive', async () => {
    const zip = await readAll(web(await streamZip({ store, masterKey }, [])));
    expect(zip.subarray(0, 4).toString('hex')).toBe('504b0506');
  });

  it('reads only as fast as the client takes the archive: 24 MB with a few MB in flight', {
    timeout: 30_000,
  }, async () => {
    const sizes = [8, 8, 8].map((mb) => mb * 1024 * 1024);
    const datas = sizes.map((size) => randomBytes(size));
    const items = await Promise.all(datas.map((data, i) => stored(data, `file-${i}.bin`)));
    // Counts the ciphertext bytes the archive has pulled out of the store so far.
    let pulled = 0;
    const counting: TBlobStore = {
      ...store,
      get: async (key) =>
        (await store.get(key)).pipe(
          new Transform({
            transform(chunk: Buffer, _encoding, done) {
              pulled += chunk.length;
              done(null, chunk);
            },
          }),
        ),
    };
    const zip = await streamZip({ store: counting, masterKey }, items);
    let delivered = 0;
    let mostAhead = 0;
    const chunks: Buffer[] = [];
    for await (const chunk of web(zip)) {
      const bytes = chunk as Buffer;
      delivered += bytes.length;
      chunks.push(bytes);
      mostAhead = Math.max(mostAhead, pulled - delivered);
      // A slow client: every few chunks it pauses, and the server must not read ahead meanwhile.
      if (chunks.length % 16 === 0) await sleep(1);
    }
    const total = sizes.reduce((sum, size) => sum + size, 0);
    expect(delivered).toBeGreaterThan(total);
    // The store reads up to 1 MiB at a time (local-blob-store), so a chunk or two of it and the stream buffers
    // may be ahead of the client — never a whole file (8 MiB), let alone the archive.
    expect(mostAhead).toBeLessThan(4 * 1024 * 1024);
    const files = await unzip(Buffer.concat(chunks));
    datas.forEach((data, i) => {
      expect(files.get(`file-${i}.bin`)?.equals(data)).toBe(true);
    });
  });

  async function failure(stream: ReadableStream<Uint8Array>): Promise<{ bytes: Buffer; error: unknown }> {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of web(stream)) chunks.push(chunk as Buffer);
      return { bytes: Buffer.concat(chunks), error: null };
    } catch (error) {
      return { bytes: Buffer.concat(chunks), error };
    }
  }

  it('a damaged segment in a later document fails the stream; what arrived is no valid ZIP', async () => {
    const first = await stored(randomBytes(300_000), 'first.bin');
    const second = await stored(randomBytes(5 * 65_536), 'second.bin');
    const blob = await readAll(await store.get(second.document.storageKey));
    const at = HEADER_BYTES + 2 * SEALED_SEGMENT_BYTES + 100;
    blob[at] = (blob[at] ?? 0) ^ 0xff;
    await store.put(second.document.storageKey, Readable.from([blob]));
    const { bytes, error } = await failure(await streamZip({ store, masterKey }, [first, second]));
    expect(error).toBeInstanceOf(Error);
    const dir = await tempDir();
    await writeFile(path.join(dir, 'cut.zip'), bytes);
    await expect(run('unzip', ['-t', path.join(dir, 'cut.zip')])).rejects.toThrow();
  });

  it('a later document whose blob is gone fails the stream', async () => {
    const first = await stored(randomBytes(1000), 'first.bin');
    const second = await stored(randomBytes(1000), 'second.bin');
    await store.delete(second.document.storageKey);
    const { error } = await failure(await streamZip({ store, masterKey }, [first, second]));
    expect(error).toBeInstanceOf(Error);
  });

  it('the first document missing is refused before any byte (the route answers with an error)', async () => {
    const first = await stored(randomBytes(1000), 'first.bin');
    await store.delete(first.document.storageKey);
    await expect(streamZip({ store, masterKey }, [first])).rejects.toBeInstanceOf(BlobNotFoundError);
  });
});
