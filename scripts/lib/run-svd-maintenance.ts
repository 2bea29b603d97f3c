import path from 'node:path';
import { database, vaultStorage } from '@omg/svd/maintenance';
import { REPO_ROOT, readLocalEnv } from './env-file';

type TSvdDatabase = ReturnType<typeof database>['db'];
type TSvdBlobStore = ReturnType<typeof vaultStorage>['store'];

/**
 * The frame of every `npm run svd:*` maintenance command: SVD's own environment (from the shell, else the
 * .env.local `npm run dev` wrote), apps/svd as the working folder (STORAGE_DIR is relative to it, as for the
 * running app), SVD's database and blob store; the pool is closed whatever happens. The task prints its report
 * and answers the exit code; anything it throws (bad setup, a database error) is printed as
 * `[svd] <what> failed: …` and exits 2.
 */
export function runSvdMaintenance(
  what: string,
  task: (svd: { db: TSvdDatabase; store: TSvdBlobStore }) => Promise<number>,
): void {
  async function main(): Promise<number> {
    for (const [name, value] of Object.entries(readLocalEnv())) process.env[name] ||= value;
    process.chdir(path.join(REPO_ROOT, 'apps', 'svd'));
    const handle = database();
    try {
      return await task({ db: handle.db, store: vaultStorage().store });
    } finally {
      await handle.pool.end();
    }
  }
  main().then(
    (code) => process.exit(code),
    (error) => {
      console.error(`[svd] ${what} failed: ${error instanceof Error ? error.message : error}`);
      process.exit(2);
    },
  );
}
