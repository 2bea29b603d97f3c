/**
 * SVD's entry point for command-line tools (`scripts/`, as `@omg/svd/maintenance`): they import operations from
 * here, never from lib/ paths, so moving a file inside the app cannot break a script.
 */

export { purgeDeletedUsers, type TPurgeReport } from './lib/account/purge-deleted-users';
export { database } from './lib/db';
export {
  importUserDocuments,
  type TImportUserDocumentsInput,
  type TImportUserDocumentsReport,
} from './lib/documents/import-user-documents';
export { startIndexWorker, type TIndexWorker } from './lib/documents/index-worker';
export { prepareIndexQueue } from './lib/documents/prepare-index-queue';
export { sweepOrphanedBlobs, type TSweepReport } from './lib/documents/sweep-orphaned-blobs';
export { env as svdEnv } from './lib/env';
export { logger } from './lib/logger';
export { expireTrash } from './lib/trash/expire-trash';
export { sweepExpiredUploads, type TUploadSweepReport } from './lib/uploads/sweep-expired-uploads';
export { vaultStorage } from './lib/vault-storage';
