import path from 'node:path';
import { env } from './env';
import { createLocalBlobStore, createS3BlobStore, parseMasterKey, type TBlobStore } from './storage';

export interface TVaultStorage {
  store: TBlobStore;
  masterKey: Buffer;
}

const globalForStorage = globalThis as unknown as { svdStorage?: TVaultStorage };

/** The encrypted document store: an S3-compatible bucket when S3_BUCKET is set, local disk otherwise. */
export function vaultStorage(): TVaultStorage {
  if (!globalForStorage.svdStorage) {
    const e = env();
    const store = e.S3_BUCKET
      ? createS3BlobStore({
          bucket: e.S3_BUCKET,
          region: e.S3_REGION,
          endpoint: e.S3_ENDPOINT,
          accessKeyId: e.S3_ACCESS_KEY_ID,
          secretAccessKey: e.S3_SECRET_ACCESS_KEY,
          forcePathStyle: e.S3_FORCE_PATH_STYLE === 'true',
        })
      : createLocalBlobStore(path.resolve(e.STORAGE_DIR));
    globalForStorage.svdStorage = { store, masterKey: parseMasterKey(e.STORAGE_MASTER_KEY) };
  }
  return globalForStorage.svdStorage;
}
