/**
 * `npm run svd:sweep-uploads`: discards SecureVault Docs' resumable (tus) uploads that made no progress for a
 * day — each unfinished one releases its quota reservation (its securevault."Document" row in state
 * 'uploading') and has its stored parts deleted (any the store refuses go to securevault."OrphanedBlob" for
 * `npm run svd:sweep-blobs`); finished ones only lose the row kept for late clients. Safe to run at any time
 * and on any instance, e.g. hourly from cron: an upload a request is writing holds a live lease and is skipped.
 *
 * Settings: SVD's own environment (SVD_DATABASE_URL, STORAGE_DIR or S3_BUCKET and friends), from the shell or
 * else the .env.local `npm run dev` wrote. STORAGE_DIR is relative to apps/svd, as it is for the running app.
 *
 * Exit code: 0 when the sweep ran, 2 on bad setup or a failure.
 */
import { logger, sweepExpiredUploads } from '@omg/svd/maintenance';
import { runSvdMaintenance } from './lib/run-svd-maintenance';

runSvdMaintenance('upload sweep', async ({ db, store }) => {
  const report = await sweepExpiredUploads(db, store, { log: logger });
  console.log(`[svd] expired uploads released: ${report.released.length}`);
  for (const id of report.released) console.log(`  ${id}`);
  console.log(`[svd] finished uploads forgotten: ${report.forgotten}`);
  return 0;
});
