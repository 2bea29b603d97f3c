import { mkdir, open, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PLAN_LIMITS } from '@omg/contract';
import { schema } from '@omg/db';
import { seedUser } from '@omg/db/setup';
import { uniqueEmail } from '@omg/db/testing';
import { and, asc, eq } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, hub, occupyStorage, provision, svd } from '@/app/api/__tests__/vault-fixtures';
import { createTestIndexQueue, settledDocument } from '@/testing/index-queue';
import { readAll, useTempDirs } from '@/testing/storage';
import { createLocalBlobStore, generateMasterKey, openDecrypted, parseMasterKey } from '../storage';
import { buildMinimalPdf } from './fixtures/minimal-pdf';
import { importUserDocuments } from './import-user-documents';
import { startIndexWorker } from './index-worker';
import { DEFAULT_VAULT_NAME } from './list-vaults';

afterAll(async () => {
  await Promise.all([admin.pool.end(), hub.pool.end(), svd.pool.end()]);
});

/** Set inside the describe block (useTempDirs registers its own afterEach there). */
let tempDir: () => Promise<string>;
const log = pino({ level: 'silent' });
const MASTER_KEY = generateMasterKey();
const masterKey = parseMasterKey(MASTER_KEY);
/** The imports' indexing jobs: their documents live in this file's own stores, which no other worker reads. */
let indexQueue: string;
beforeAll(async () => {
  indexQueue = await createTestIndexQueue('import');
});

/** A Hub account that has never opened SVD (as a migrated customer is), with a plan if given. */
async function migratedUser(plan?: string) {
  const userId = await seedUser(hub.db, {
    email: uniqueEmail('import'),
    password: 'import-pw-123',
    name: 'Imp',
  });
  if (plan) await provision(userId, plan);
  return userId;
}

async function storage() {
  const dir = await tempDir();
  return { store: createLocalBlobStore(dir), masterKey, dir };
}

/** Writes `files` (relative path → content) under a fresh customer folder. */
async function customerFolder(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await tempDir();
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return dir;
}

const documentsOf = (userId: string) =>
  svd.db
    .select()
    .from(schema.document)
    .where(eq(schema.document.userId, userId))
    .orderBy(asc(schema.document.name));

const vaultsOf = (userId: string) =>
  svd.db.select().from(schema.vault).where(eq(schema.vault.userId, userId));

describe('importUserDocuments (the migration’s --documents)', () => {
  tempDir = useTempDirs();

  it('stores every file, at any depth, encrypted in "My documents", then skips them all on a second run', async () => {
    const userId = await migratedUser('starter');
    const store = await storage();
    const pdf = buildMinimalPdf([['Lease agreement 2024']]);
    const dir = await customerFolder({
      'notes.txt': 'tax notes for the accountant',
      'Receipts/2024/march.csv': 'date,amount\n2024-03-01,12.50\n',
      'Receipts/lease.pdf': pdf,
      // The same content twice in the export is one document.
      'Receipts/copy of notes.txt': 'tax notes for the accountant',
    });

    const first = await importUserDocuments(svd.db, store, { userId, dir, dryRun: false, log, indexQueue });
    // Path order (code points: capitals first), so the copy under Receipts/ comes first and notes.txt is skipped.
    expect(first).toEqual({
      imported: ['Receipts/2024/march.csv', 'Receipts/copy of notes.txt', 'Receipts/lease.pdf'],
      skipped: ['notes.txt'],
      rejected: [],
    });

    const [vault, ...others] = await vaultsOf(userId);
    expect(others).toEqual([]);
    expect(vault?.name).toBe(DEFAULT_VAULT_NAME);
    const [profile] = await svd.db
      .select()
      .from(schema.userProfile)
      .where(eq(schema.userProfile.userId, userId));
    expect(profile?.name).toBe('Imp');

    const docs = await documentsOf(userId);
    expect(docs.map((d) => [d.name, d.mimeType, d.state, d.vaultId])).toEqual([
      ['copy of notes.txt', 'text/plain', 'ready', vault?.id],
      ['lease.pdf', 'application/pdf', 'ready', vault?.id],
      ['march.csv', 'text/csv', 'ready', vault?.id],
    ]);
    // Indexed like an upload (by the queue's worker, units charged), and encrypted: the stored bytes are not the
    // file, reading gives it back.
    const worker = await startIndexWorker({
      databaseUrl: process.env.SVD_DATABASE_URL ?? '',
      queue: indexQueue,
      pollingIntervalSeconds: 0.5,
      extraction: { env: { STORAGE_DIR: store.dir, STORAGE_MASTER_KEY: MASTER_KEY } },
      log,
    });
    try {
      const indexed = await Promise.all(docs.map((d) => settledDocument(svd.db, d.id, 60_000)));
      expect(indexed.every((d) => d.indexStatus === 'indexed')).toBe(true);
    } finally {
      await worker.stop();
    }
    const lease = docs[1];
    if (!lease?.storageKey || !lease.wrappedKey) throw new Error('lease.pdf not stored');
    const raw = await readAll(await store.store.get(lease.storageKey));
    expect(raw.includes(Buffer.from('Lease agreement'))).toBe(false);
    const plain = await readAll(
      await openDecrypted(store.store, masterKey, {
        storageKey: lease.storageKey,
        wrappedKey: lease.wrappedKey,
      }),
    );
    expect(plain.equals(pdf)).toBe(true);
    const [units] = await svd.db
      .select()
      .from(schema.processingUsage)
      .where(eq(schema.processingUsage.userId, userId));
    expect(units?.unitsUsed).toBeGreaterThan(0);

    const second = await importUserDocuments(svd.db, store, { userId, dir, dryRun: false, log, indexQueue });
    expect(second).toEqual({
      imported: [],
      skipped: ['Receipts/2024/march.csv', 'Receipts/copy of notes.txt', 'Receipts/lease.pdf', 'notes.txt'],
      rejected: [],
    });
    expect(await documentsOf(userId)).toHaveLength(3);
  }, 90_000);

  it('skips content the user already uploaded themselves, whatever its name', async () => {
    const userId = await migratedUser('starter');
    const store = await storage();
    await importUserDocuments(svd.db, store, {
      userId,
      dir: await customerFolder({ 'a.txt': 'same bytes' }),
      dryRun: false,
      log,
      indexQueue,
    });
    const again = await importUserDocuments(svd.db, store, {
      userId,
      dir: await customerFolder({ 'renamed.txt': 'same bytes', 'new.txt': 'other bytes' }),
      dryRun: false,
      log,
      indexQueue,
    });
    expect(again).toEqual({ imported: ['new.txt'], skipped: ['renamed.txt'], rejected: [] });
  });

  it('a dry run reads and hashes, reports what a real run would do, and writes nothing', async () => {
    const userId = await migratedUser('starter');
    const store = await storage();
    const dir = await customerFolder({ 'a.txt': 'alpha', 'b/a-again.txt': 'alpha', 'c.txt': 'gamma' });

    const dry = await importUserDocuments(svd.db, store, { userId, dir, dryRun: true, log, indexQueue });
    expect(dry).toEqual({ imported: ['a.txt', 'c.txt'], skipped: ['b/a-again.txt'], rejected: [] });
    expect(await vaultsOf(userId)).toEqual([]);
    expect(await documentsOf(userId)).toEqual([]);
    expect(
      await svd.db.select().from(schema.userProfile).where(eq(schema.userProfile.userId, userId)),
    ).toEqual([]);

    expect(await importUserDocuments(svd.db, store, { userId, dir, dryRun: false, log, indexQueue })).toEqual(
      dry,
    );
  });

  it('rejects a file over the plan’s size limit and one over the free storage, with the reason, and imports the rest', async () => {
    // No subscription: SVD's own trial, 25 MB per file and 1 GB in all.
    const userId = await migratedUser();
    const store = await storage();
    const dir = await customerFolder({ 'small.txt': 'fits', 'medium.txt': 'x'.repeat(2000) });
    // A sparse file just over the trial's largest-file limit: costs no disk.
    const big = await open(path.join(dir, 'scan.tiff'), 'w');
    await big.truncate(PLAN_LIMITS.trial.maxFileBytes + 1);
    await big.close();

    // Usage that leaves 1000 bytes free: medium.txt (2000 bytes) cannot fit, small.txt can.
    const dryFirst = await importUserDocuments(svd.db, store, { userId, dir, dryRun: true, log, indexQueue });
    await importUserDocuments(svd.db, store, {
      userId,
      dir: await customerFolder({ 'seed.txt': 'makes the vault' }),
      dryRun: false,
      log,
      indexQueue,
    });
    const [vault] = await vaultsOf(userId);
    if (!vault) throw new Error('no vault');
    const [{ used } = { used: 0 }] = await svd.db
      .select({ used: schema.document.sizeBytes })
      .from(schema.document)
      .where(eq(schema.document.userId, userId));
    await occupyStorage(userId, vault.id, PLAN_LIMITS.trial.storageBytes - 1000 - used);

    const dry = await importUserDocuments(svd.db, store, { userId, dir, dryRun: true, log, indexQueue });
    const real = await importUserDocuments(svd.db, store, { userId, dir, dryRun: false, log, indexQueue });
    for (const report of [dry, real]) {
      expect(report.imported).toEqual(['small.txt']);
      expect(report.skipped).toEqual([]);
      expect(report.rejected.map((r) => r.file)).toEqual(['medium.txt', 'scan.tiff']);
      expect(report.rejected[0]?.reason).toMatch(
        /^Not enough storage for “medium\.txt”.*1000 B of your Trial plan/,
      );
      expect(report.rejected[1]?.reason).toMatch(
        /^“scan\.tiff” is 25\.0 MB; the Trial plan allows files up to 25 MB\.$/,
      );
    }
    // Before the storage filled up, only the size limit stood in the way.
    expect(dryFirst.rejected.map((r) => r.file)).toEqual(['scan.tiff']);
    const names = (await documentsOf(userId)).map((d) => d.name);
    expect(names).toContain('small.txt');
    expect(names).not.toContain('medium.txt');
    expect(names).not.toContain('scan.tiff');
    // Nothing was left reserved by the refused files.
    const uploading = await svd.db
      .select()
      .from(schema.document)
      .where(and(eq(schema.document.userId, userId), eq(schema.document.state, 'uploading')));
    expect(uploading).toEqual([]);
  });

  it('keeps names with odd characters as an upload would, and rejects a name with nothing left to show', async () => {
    const userId = await migratedUser('starter');
    const store = await storage();
    const dir = await customerFolder({
      'résumé (final) #1.txt': 'accents',
      '日本語の書類.txt': 'cjk',
      'emoji 📄 note.txt': 'emoji',
      'quote\'s "and" semi;colon %20.txt': 'punctuation',
      ' leading and trailing .txt ': 'spaces',
      'invoice\u202Efdp.exe': 'bidi override',
      'line\nbreak.txt': 'newline',
      '\u200B\u200B': 'invisible only',
    });
    const report = await importUserDocuments(svd.db, store, { userId, dir, dryRun: false, log, indexQueue });
    expect(report.rejected).toEqual([{ file: '\u200B\u200B', reason: 'A document needs a name.' }]);
    expect(report.imported).toHaveLength(7);
    expect((await documentsOf(userId)).map((d) => d.name).sort()).toEqual(
      [
        'emoji 📄 note.txt',
        'invoicefdp.exe',
        'leading and trailing .txt',
        'linebreak.txt',
        'quote\'s "and" semi;colon %20.txt',
        'résumé (final) #1.txt',
        '日本語の書類.txt',
      ].sort(),
    );
  });

  it('rejects a symbolic link instead of following it out of the customer’s folder', async () => {
    const userId = await migratedUser('starter');
    const outside = await customerFolder({ 'secret.txt': 'not theirs' });
    const dir = await customerFolder({ 'mine.txt': 'theirs' });
    await symlink(path.join(outside, 'secret.txt'), path.join(dir, 'link.txt'));
    const report = await importUserDocuments(svd.db, await storage(), {
      userId,
      dir,
      dryRun: false,
      log,
      indexQueue,
    });
    expect(report).toEqual({
      imported: ['mine.txt'],
      skipped: [],
      rejected: [{ file: 'link.txt', reason: 'A symbolic link; only regular files are imported.' }],
    });
  });

  it('an empty folder and a missing folder import nothing and leave the user’s SVD untouched', async () => {
    const userId = await migratedUser('starter');
    const store = await storage();
    const empty = await tempDir();
    await mkdir(path.join(empty, 'empty-subfolder'));
    const nothing = { imported: [], skipped: [], rejected: [] };
    for (const dryRun of [true, false]) {
      expect(
        await importUserDocuments(svd.db, store, { userId, dir: empty, dryRun, log, indexQueue }),
      ).toEqual(nothing);
      expect(
        await importUserDocuments(svd.db, store, {
          userId,
          dir: path.join(empty, 'no-such-customer@example.com'),
          dryRun,
          log,
          indexQueue,
        }),
      ).toEqual(nothing);
    }
    expect(await vaultsOf(userId)).toEqual([]);
    expect(await documentsOf(userId)).toEqual([]);
  });

  it('refuses a path that is a file, not a folder', async () => {
    const userId = await migratedUser('starter');
    const dir = await customerFolder({ 'export.zip': 'not a folder' });
    await expect(
      importUserDocuments(svd.db, await storage(), {
        userId,
        dir: path.join(dir, 'export.zip'),
        dryRun: false,
        log,
        indexQueue,
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
