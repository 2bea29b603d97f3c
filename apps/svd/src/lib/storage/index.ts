export { BlobNotFoundError, FileTooLargeError, IntegrityError, type TBlobStore } from './blob-store';
export {
  deleteStored,
  newStorageKey,
  openDecrypted,
  storeEncrypted,
  streamDecrypted,
  type TStoredObject,
} from './encrypted-storage';
export { generateMasterKey, parseMasterKey } from './envelope';
export { createLocalBlobStore } from './local-blob-store';
export { createS3BlobStore, type TS3BlobStoreOptions } from './s3-blob-store';
