import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { assertStorageKey, BlobNotFoundError, type TBlobStore } from './blob-store';
import { rethrowAfterCleanup } from './rethrow-after-cleanup';

const READ_BYTES = 1024 * 1024;

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
      await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
      // Written beside the target and renamed into place, so a reader never sees a half-written blob and a
      // failed upload leaves nothing under the real key.
      const temporary = `${path.dirname(target)}/.${key}.${randomBytes(6).toString('hex')}.partial`;
      // Opened before streaming so the file exists by the time any failure needs to remove it.
      const handle = await open(temporary, 'wx', 0o600);
      try {
        // `flush` syncs before the stream closes the file, so a crash cannot leave a renamed but short blob.
        await pipeline(body, handle.createWriteStream({ flush: true }));
        await rename(temporary, target);
      } catch (error) {
        await rethrowAfterCleanup(error, () => unlink(temporary), `removing the partial file ${temporary}`);
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
