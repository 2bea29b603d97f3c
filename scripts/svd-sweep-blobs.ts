/**
 * `npm run svd:sweep-blobs`: retries deleting the encrypted blobs SecureVault Docs could not delete when their
 * document went away (listed in securevault."OrphanedBlob" with the reason and the store's last error), and
 * removes each row once its blob is gone. Safe to run at any time, e.g. from cron; those keys belong to no
 * document any more.
 *
 * Settings: SVD's own environment (SVD_DATABASE_URL, STORAGE_DIR or S3_BUCKET and friends), from the shell or
 * else the .env.local `npm run dev` wrote. STORAGE_DIR is relative to apps/svd, as it is for the running app.
 *
 * Exit code: 0 when every recorded blob is gone, 1 when some deletions still fail, 2 on bad setup.
 */
import { sweepOrphanedBlobs } from '@omg/svd/maintenance';
import { runSvdMaintenance } from './lib/run-svd-maintenance';

runSvdMaintenance('orphaned-blob sweep', async ({ db, store }) => {
  const report = await sweepOrphanedBlobs(db, store);
  console.log(`[svd] orphaned blobs removed: ${report.removed.length}`);
  for (const key of report.removed) console.log(`  ${key}`);
  console.log(`[svd] orphaned blobs still failing: ${report.failed.length}`);
  for (const { storageKey, error } of report.failed) console.log(`  ${storageKey}: ${error}`);
  return report.failed.length > 0 ? 1 : 0;
});
