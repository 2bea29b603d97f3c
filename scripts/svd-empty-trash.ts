/**
 * `npm run svd:empty-trash`: deletes for good what SecureVault Docs users put in the trash more than 30 days ago
 * (issue 16 §3) — documents (rows, then encrypted blobs) and folders, across every personal and team space. A blob
 * the store will not delete is recorded in securevault."OrphanedBlob" for `npm run svd:sweep-blobs`. Safe to run
 * at any time and repeatedly; run it daily from the scheduler that runs the other sweeps.
 *
 * Settings: SVD's own environment (SVD_DATABASE_URL, STORAGE_DIR or S3_BUCKET and friends), from the shell or
 * else the .env.local `npm run dev` wrote. STORAGE_DIR is relative to apps/svd, as it is for the running app.
 *
 * Exit code: 0 when done, 2 on bad setup or a database error.
 */
import { expireTrash, logger } from '@omg/svd/maintenance';
import { runSvdMaintenance } from './lib/run-svd-maintenance';

runSvdMaintenance('emptying the expired trash', async ({ db, store }) => {
  const report = await expireTrash(db, store, { log: logger });
  console.log(
    `[svd] trash older than 30 days deleted: ${report.documents} documents, ${report.folders} folders, ${report.bytes} bytes`,
  );
  return 0;
});
