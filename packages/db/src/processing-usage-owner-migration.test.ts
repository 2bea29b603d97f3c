import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_FOLDER } from './migrate';
import { testDatabaseUrls } from './testing';

/**
 * The migration that gave securevault."ProcessingUsage" its own `organizationId` (issue 15): before it, a team's
 * pooled units were stored under the organization's id in "userId". Run on a database of its own: every migration
 * before it, the old rows, then the rest — a team's row must come out under `organizationId`, a person's stay.
 */

interface TJournal {
  entries: Array<{ idx: number; tag: string }>;
}

const name = `migration_${randomUUID().replaceAll('-', '')}`;
let adminUrl: URL;
let folder: string;
let client: pg.Client;

/** The migration's tag, found by what it does (the number is whatever was free when it was generated). */
async function ownerMigrationTag(): Promise<string> {
  for (const file of (await readdir(MIGRATIONS_FOLDER)).sort()) {
    if (!file.endsWith('.sql')) continue;
    const text = await readFile(path.join(MIGRATIONS_FOLDER, file), 'utf8');
    if (text.includes('ProcessingUsage_owner_check')) return file.replace(/\.sql$/, '');
  }
  throw new Error('no migration adds ProcessingUsage_owner_check');
}

/** A copy of the migrations folder whose journal stops before `tag`. */
async function migrationsBefore(tag: string): Promise<string> {
  const copy = await mkdtemp(path.join(os.tmpdir(), 'migrations-'));
  await cp(MIGRATIONS_FOLDER, copy, { recursive: true });
  const journalPath = path.join(copy, 'meta', '_journal.json');
  const journal = JSON.parse(await readFile(journalPath, 'utf8')) as TJournal;
  const at = journal.entries.findIndex((entry) => entry.tag === tag);
  journal.entries = journal.entries.slice(0, at);
  await writeFile(journalPath, JSON.stringify(journal));
  return copy;
}

beforeAll(async () => {
  adminUrl = new URL(testDatabaseUrls().DATABASE_URL);
  const server = new pg.Client({ connectionString: adminUrl.href });
  await server.connect();
  await server.query(`CREATE DATABASE "${name}"`);
  await server.end();
  const url = new URL(adminUrl.href);
  url.pathname = `/${name}`;
  client = new pg.Client({ connectionString: url.href });
  await client.connect();
  folder = await migrationsBefore(await ownerMigrationTag());
}, 60_000);

afterAll(async () => {
  await client?.end();
  const server = new pg.Client({ connectionString: adminUrl.href });
  await server.connect();
  await server.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await server.end();
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('securevault."ProcessingUsage" gets an organizationId', () => {
  it('moves a team’s pooled units from "userId" to "organizationId" and leaves a person’s alone', async () => {
    await migrate(drizzle(client), { migrationsFolder: folder });
    const organizationId = randomUUID();
    const userId = randomUUID();
    await client.query(
      `INSERT INTO core."Organization" (id, name, slug, "billingEmail") VALUES ($1, 'Acme', $2, 'billing@example.test')`,
      [organizationId, `acme-${organizationId.slice(0, 8)}`],
    );
    const period = new Date('2026-11-01T00:00:00Z');
    await client.query(
      `INSERT INTO securevault."ProcessingUsage" ("userId", "periodStart", "unitsUsed")
       VALUES ($1, $3, 40), ($2, $3, 7)`,
      [organizationId, userId, period],
    );
    await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
    const { rows } = await client.query(
      `SELECT "userId", "organizationId", "unitsUsed" FROM securevault."ProcessingUsage" ORDER BY "unitsUsed"`,
    );
    expect(rows).toEqual([
      { userId, organizationId: null, unitsUsed: 7 },
      { userId: null, organizationId, unitsUsed: 40 },
    ]);
    // Still one row per owner and period, now for each kind of owner.
    for (const [column, id] of [
      ['userId', userId],
      ['organizationId', organizationId],
    ]) {
      await expect(
        client.query(
          `INSERT INTO securevault."ProcessingUsage" ("${column}", "periodStart") VALUES ($1, $2)`,
          [id, period],
        ),
      ).rejects.toMatchObject({ code: '23505' });
    }
  }, 120_000);
});
