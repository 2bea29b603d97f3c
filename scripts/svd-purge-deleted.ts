/**
 * `npm run svd:purge-deleted`: SecureVault Docs deletes the data of accounts deleted in the Hub once the grace
 * period (ACCOUNT_DELETION_GRACE_DAYS in packages/contract) has passed — documents (rows and encrypted blobs),
 * vaults, usage, sessions, profile. SVD owns this data, so SVD deletes it: it sees core."User".deletedAt. Safe to
 * run at any time and any number of times; run it daily (cron). A blob the store refuses is left to
 * `npm run svd:sweep-blobs`.
 *
 * Settings: SVD's own environment (SVD_DATABASE_URL, STORAGE_DIR or S3_BUCKET and friends), from the shell or
 * else the .env.local `npm run dev` wrote. STORAGE_DIR is relative to apps/svd, as it is for the running app.
 *
 * Exit code: 0 when done, 1 when some blobs were left for the sweep, 2 on bad setup.
 */
import { logger, purgeDeletedUsers } from '@omg/svd/maintenance';
import { runSvdMaintenance } from './lib/run-svd-maintenance';

runSvdMaintenance('purge of deleted accounts', async ({ db, store }) => {
  const report = await purgeDeletedUsers(db, store, { log: logger });
  console.log(`[svd] deleted accounts purged: ${report.purgedUsers.length} (${report.documents} documents)`);
  for (const id of report.purgedUsers) console.log(`  ${id}`);
  if (report.blobsLeftForSweep > 0)
    console.log(`[svd] blobs left for svd:sweep-blobs: ${report.blobsLeftForSweep}`);
  return report.blobsLeftForSweep > 0 ? 1 : 0;
});
