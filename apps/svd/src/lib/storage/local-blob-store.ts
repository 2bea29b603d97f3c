import { randomBytes } from 'node:crypto';
import { type FileHandle, mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertStorageKey, BlobNotFoundError, type TBlobStore } from './blob-store';
import { rethrowAfterCleanup } from './rethrow-after-cleanup';

const READ_BYTES = 1024 * 1024;

/**
 * How much is written between two background fdatasyncs of a blob being written. Without them the kernel holds
 * the whole upload dirty (up to a tenth of RAM before it starts writing back by itself), and the fsync before the
 * rename writes all of it while the client waits: about 0.15 s per 256 MB here, seconds for the multi-GB files
 * business plans allow. Synced as it goes, the final fsync finds at most about this much left.
 */
const SYNC_EVERY_BYTES = 32 * 1024 * 1024;

/**
 * Passes the blob's bytes on unchanged and starts an fdatasync of `handle` in the background each time about
 * `every` bytes have gone by (one at a time). Only the final fsync makes the blob durable; these just start the
 * writing early. A failed one fails the blob (Linux reports a writeback error to one fsync only, so the final
 * fsync could otherwise succeed over lost data), and the last one is awaited before the stream ends, so none
 * outlives the upload.
 */
function syncingInBackground(handle: FileHandle, every: number): Transform {
  let sinceSync = 0;
  let syncing: Promise<void> | undefined;
  let failure: Error | undefined;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (failure) return callback(failure);
      sinceSync += chunk.length;
      if (sinceSync >= every && !syncing) {
        sinceSync = 0;
        syncing = handle.datasync().then(
          () => {
            syncing = undefined;
          },
          (error: Error) => {
            failure = error;
            syncing = undefined;
          },
        );
      }
      callback(null, chunk);
    },
    flush(callback) {
      void (syncing ?? Promise.resolve()).then(() => callback(failure ?? null));
    },
  });
}

/** Writes `body` beside `target` and renames it into place (see `put`). */
async function writeBlob(target: string, key: string, body: NodeJS.ReadableStream | Readable): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
  // Written beside the target and renamed into place, so a reader never sees a half-written blob and a
  // failed upload leaves nothing under the real key.
  const temporary = `${path.dirname(target)}/.${key}.${randomBytes(6).toString('hex')}.partial`;
  // Opened before streaming so the file exists by the time any failure needs to remove it.
  const handle = await open(temporary, 'wx', 0o600);
  try {
    // `flush` syncs before the stream closes the file, so a crash cannot leave a renamed but short blob.
    await pipeline(
      body,
      syncingInBackground(handle, SYNC_EVERY_BYTES),
      handle.createWriteStream({ flush: true }),
    );
    await rename(temporary, target);
  } catch (error) {
    await rethrowAfterCleanup(error, () => unlink(temporary), `removing the partial file ${temporary}`);
  }
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}

/**
 * Blobs on local disk under `rootDir`, fanned out as `ab/cd/<key>` so no directory grows to millions of entries.
 * Files are owner-only (0600) because they are the vault's contents, even though they are encrypted.
 */
export function createLocalBlobStore(rootDir: string): TBlobStore {
  const pathFor = (key: string) => {
    assertStorageKey(key);
    return path.join(rootDir, key.slice(0, 2), key.slice(2, 4), key);
  };

  return {
    async put(key, body) {
      const target = pathFor(key);
      // The body may fail while the folder and file are still being made, before `pipeline` listens to it: an
      // 'error' with no listener would crash the process. This listener only keeps it from being unhandled;
      // `pipeline` still rejects with the stream's error, which it reads from the destroyed stream.
      const holdEarlyError = () => undefined;
      body.on('error', holdEarlyError);
      try {
        await writeBlob(target, key, body);
      } finally {
        body.removeListener('error', holdEarlyError);
      }
    },

    async get(key) {
      try {
        // Opened here rather than lazily by the stream so a missing blob rejects this call, not a later read.
        const handle = await open(pathFor(key), 'r');
        // 1 MiB reads: a download decrypts about 16 segments per read, straight from the chunk, instead of
        // gathering each 64 KiB segment from two 64 KiB reads (half the read calls, no copy per segment).
        return handle.createReadStream({ highWaterMark: READ_BYTES });
      } catch (error) {
        if (isNotFound(error)) throw new BlobNotFoundError(key);
        throw error;
      }
    },

    async delete(key) {
      try {
        await unlink(pathFor(key));
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    },

    async exists(key) {
      try {
        return (await stat(pathFor(key))).isFile();
      } catch (error) {
        if (isNotFound(error)) return false;
        throw error;
      }
    },
  };
}
