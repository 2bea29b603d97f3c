/**
 * Database commands: `npm run db:migrate`, `npm run db:seed`, `npm run db:psql`.
 * They use DATABASE_URL when set, else the database `npm run dev` recorded in .env.local (started here for the
 * duration of the command when it is not running).
 */
import { spawnSync } from 'node:child_process';
import { createDatabase } from '@omg/db';
import {
  DEV_EMBEDDED,
  prepareSchema,
  resolveDatabase,
  seedDevData,
  type TDatabaseTarget,
} from './lib/database';
import { readLocalEnv, withGeneratedSecrets, writeLocalEnv } from './lib/env-file';

const command = process.argv[2];
const log = (line: string) => console.log(`[db] ${line}`);

async function connect(): Promise<{ target: TDatabaseTarget; secrets: Record<string, string> }> {
  const stored = readLocalEnv();
  const secrets = withGeneratedSecrets(stored);
  if (!process.env.DATABASE_URL && stored.DATABASE_URL) {
    const probe = createDatabase(stored.DATABASE_URL, { max: 1 });
    const running = await probe.pool.query('SELECT 1').then(
      () => true,
      () => false,
    );
    await probe.pool.end();
    if (running) {
      return {
        secrets,
        target: {
          embedded: null,
          urls: {
            DATABASE_URL: stored.DATABASE_URL,
            HUB_DATABASE_URL: stored.HUB_DATABASE_URL ?? '',
            SVD_DATABASE_URL: stored.SVD_DATABASE_URL ?? '',
          },
        },
      };
    }
  }
  const target = await resolveDatabase({
    env: process.env,
    secrets,
    embedded: DEV_EMBEDDED,
    log,
  });
  writeLocalEnv({ ...stored, ...secrets, ...target.urls });
  return { target, secrets };
}

async function main() {
  if (!['migrate', 'seed', 'psql'].includes(command ?? '')) {
    console.error('usage: tsx scripts/db.ts migrate|seed|psql');
    process.exit(2);
  }
  const { target } = await connect();
  try {
    if (command === 'psql') {
      log(`connecting to ${new URL(target.urls.DATABASE_URL).host} as the admin role (\\q to quit)`);
      const result = spawnSync('psql', [target.urls.DATABASE_URL], { stdio: 'inherit' });
      if (result.error) console.error('psql is not installed: apt-get install postgresql-client');
      return;
    }
    await prepareSchema(target.urls);
    log('migrations applied and roles granted');
    if (command === 'seed') {
      await seedDevData(target.urls, { SVD_URL: 'http://localhost:3001', ...process.env });
      log('catalog and demo account seeded');
    }
  } finally {
    await target.embedded?.stop();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
