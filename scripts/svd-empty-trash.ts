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
import path from 'node:path';
import { database, expireTrash, logger, vaultStorage } from '@omg/svd/maintenance';
import { REPO_ROOT, readLocalEnv } from './lib/env-file';

async function main(): Promise<number> {
  for (const [name, value] of Object.entries(readLocalEnv())) process.env[name] ||= value;
  process.chdir(path.join(REPO_ROOT, 'apps', 'svd'));
  const handle = database();
  try {
    const report = await expireTrash(handle.db, vaultStorage().store, { log: logger });
    console.log(
      `[svd] trash older than 30 days deleted: ${report.documents} documents, ${report.folders} folders, ${report.bytes} bytes`,
    );
    return 0;
  } finally {
    await handle.pool.end();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(
      `[svd] emptying the expired trash failed: ${error instanceof Error ? error.message : error}`,
    );
    process.exit(2);
  },
);
