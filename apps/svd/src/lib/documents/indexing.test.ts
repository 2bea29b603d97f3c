import { type ChildProcess, spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { schema } from '@omg/db';
import type { TLogger } from '@omg/platform';
import { eq } from 'drizzle-orm';
import PgBoss from 'pg-boss';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, hub, launchedUser, svd, type TVaultUser } from '@/app/api/__tests__/vault-fixtures';
import { createTestIndexQueue, settledDocument } from '@/testing/index-queue';
import { streamOf } from '@/testing/storage';
import { vaultStorage } from '../vault-storage';
import { enqueueIndexing } from './enqueue-indexing';
import { indexDocument } from './index-document';
import { INDEX_QUEUE_SCHEMA } from './index-queue';
import { startIndexWorker, type TIndexWorker } from './index-worker';
import { listDocuments, ZListDocumentsSchema } from './list-documents';
import { listVaults } from './list-vaults';
import { uploadDocument } from './upload-document';

const HOSTILE_EXTRACTOR = fileURLToPath(new URL('./fixtures/hostile-extractor.ts', import.meta.url));
const WORKER_PROCESS = fileURLToPath(new URL('../../testing/index-worker-process.ts', import.meta.url));
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const SVD_DATABASE_URL = process.env.SVD_DATABASE_URL ?? '';
const log: TLogger = pino({ level: 'silent' });

/** Worked by an in-process worker whose extractor takes 3 s for `slow…` files. */
let worked: string;
/** Nobody works it: tests run indexDocument themselves, as a worker's job would. */
let idle: string;
/** The worker-kill drill's: a job whose worker died goes to another after 8 s. */
let drill: string;
let worker: TIndexWorker | undefined;

beforeAll(async () => {
  // One after the other: creating pg-boss queues (partitions of one table) at once can deadlock.
  worked = await createTestIndexQueue('indexing');
  idle = await createTestIndexQueue('idle');
  drill = await createTestIndexQueue('kill-drill', { expireInSeconds: 8, retryDelay: 1 });
  worker = await startIndexWorker({
    databaseUrl: SVD_DATABASE_URL,
    queue: worked,
    pollingIntervalSeconds: 0.5,
    extraction: { extractorModule: HOSTILE_EXTRACTOR, env: { SLOW_EXTRACTION_MS: '3000' } },
    log,
  });
});

afterAll(async () => {
  await worker?.stop();
  await Promise.all([admin.pool.end(), hub.pool.end(), svd.pool.end()]);
});

async function upload(user: TVaultUser, queue: string, fileName: string, text: string) {
  const [vault] = await listVaults(svd.db, user);
  if (!vault) throw new Error('no default vault');
  return uploadDocument(svd.db, vaultStorage(), {
    userId: user.userId,
    vaultId: vault.id,
    fileName,
    mimeType: 'text/plain',
    declaredBytes: Buffer.byteLength(text),
    body: streamOf(Buffer.from(text)),
    log,
    indexQueue: queue,
  });
}

async function unitsUsed(userId: string): Promise<number> {
  const rows = await svd.db
    .select({ used: schema.processingUsage.unitsUsed })
    .from(schema.processingUsage)
    .where(eq(schema.processingUsage.userId, userId));
  return rows.reduce((sum, row) => sum + row.used, 0);
}

const search = async (userId: string, q: string) =>
  (await listDocuments(svd.db, { ...ZListDocumentsSchema.parse({ q }), userId })).map((d) => d.id);

async function jobsOf(queue: string, documentId: string) {
  const { rows } = await admin.pool.query<{ state: string; retry_count: number }>(
    'SELECT state, retry_count FROM svd_queue.job WHERE name = $1 AND singleton_key = $2',
    [queue, documentId],
  );
  return rows;
}

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Processes running the extraction child (Linux /proc): none may outlive its worker. */
async function extractionChildren(): Promise<number> {
  let count = 0;
  for (const pid of await readdir('/proc').catch(() => [])) {
    if (!/^\d+$/.test(pid)) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes('extraction-child.ts')) count += 1;
  }
  return count;
}

describe('who may do what in the indexing queue (least privilege)', () => {
  it('SVD reads and writes its queue rows but cannot create tables or queues; the Hub cannot see it at all', async () => {
    await expect(svd.pool.query('SELECT count(*) FROM svd_queue.job')).resolves.toBeDefined();
    await expect(svd.pool.query('CREATE TABLE svd_queue.intruder (id int)')).rejects.toMatchObject({
      code: '42501',
    });
    await expect(
      svd.pool.query(`SELECT svd_queue.create_queue('intruder', '{}'::json)`),
    ).rejects.toMatchObject({ code: '42501' });
    await expect(hub.pool.query('SELECT count(*) FROM svd_queue.job')).rejects.toMatchObject({
      code: '42501',
    });
  });
});

describe('indexing after the upload (queue svd.index-document, real pg-boss, a real child process)', () => {
  it('answers the upload before extracting: pending at first, then indexed, charged and found by search', async () => {
    const user = await launchedUser();
    const started = Date.now();
    const document = await upload(user, worked, 'slow-minutes.txt', 'minutes of the wombat society');
    // The extractor takes 3 s for this file, after a child process starts: the upload did not wait for it.
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(document).toMatchObject({ indexStatus: 'pending', processingUnits: 0 });
    expect(await search(user.userId, 'wombat')).toEqual([]);
    expect((await jobsOf(worked, document.id)).length).toBe(1);

    const row = await settledDocument(svd.db, document.id);
    expect(row).toMatchObject({ indexStatus: 'indexed', indexNote: null, processingUnits: 1 });
    expect(row.textContent).toBe('minutes of the wombat society');
    expect(await search(user.userId, 'wombat')).toEqual([document.id]);
    expect(await unitsUsed(user.userId)).toBe(1);
    await until(async () =>
      (await jobsOf(worked, document.id))[0]?.state === 'completed' ? true : undefined,
    );
  }, 60_000);

  it('queues one job per document: enqueueing it again while it waits writes nothing', async () => {
    const user = await launchedUser();
    const document = await upload(user, idle, 'twice.txt', 'queued once');
    await svd.db.transaction((tx) => enqueueIndexing(tx, document.id, { queue: idle }));
    await svd.db.transaction((tx) => enqueueIndexing(tx, document.id, { queue: idle }));
    expect(await jobsOf(idle, document.id)).toEqual([{ state: 'created', retry_count: 0 }]);
  });

  it('a document made ready by a transaction that rolls back has no job either', async () => {
    const user = await launchedUser();
    const document = await upload(user, idle, 'rolled-back.txt', 'x');
    const other = crypto.randomUUID();
    await expect(
      svd.db.transaction(async (tx) => {
        await enqueueIndexing(tx, other, { queue: idle });
        throw new Error('the upload failed after all');
      }),
    ).rejects.toThrow('the upload failed after all');
    expect(await jobsOf(idle, other)).toEqual([]);
    expect(await jobsOf(idle, document.id)).toHaveLength(1);
  });
});

describe('a parser that hangs or runs out of memory is stopped, and the document says why', () => {
  it('stops a parser that never returns at the time limit: failed, with the reason, nothing charged', async () => {
    const user = await launchedUser();
    const document = await upload(user, idle, 'hang.txt', 'never read');
    const started = Date.now();
    const row = await indexDocument(svd.db, {
      documentId: document.id,
      lastAttempt: false,
      log,
      extraction: { extractorModule: HOSTILE_EXTRACTOR, limits: { timeoutMs: 4_000 } },
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(row).toMatchObject({
      state: 'ready',
      indexStatus: 'failed',
      indexNote: 'could not be indexed: reading its text took longer than 4 s',
      processingUnits: 0,
      textContent: null,
    });
    expect(await unitsUsed(user.userId)).toBe(0);
    expect(await extractionChildren()).toBe(0);
  }, 30_000);

  it('stops a parser that swallows memory at the heap limit: failed, with the reason, nothing charged', async () => {
    const user = await launchedUser();
    const document = await upload(user, idle, 'bloat.txt', 'never read either');
    const row = await indexDocument(svd.db, {
      documentId: document.id,
      lastAttempt: false,
      log,
      extraction: {
        extractorModule: HOSTILE_EXTRACTOR,
        limits: { timeoutMs: 60_000, maxOldGenerationMb: 128 },
      },
    });
    expect(row).toMatchObject({
      indexStatus: 'failed',
      indexNote: 'could not be indexed: reading its text needed too much memory',
      processingUnits: 0,
    });
    expect(await unitsUsed(user.userId)).toBe(0);
  }, 90_000);

  it('a document whose stored file is gone fails at once with the reason, and is charged nothing', async () => {
    const user = await launchedUser();
    const document = await upload(user, idle, 'gone.txt', 'deleted under us');
    const [stored] = await svd.db.select().from(schema.document).where(eq(schema.document.id, document.id));
    await vaultStorage().store.delete(stored?.storageKey ?? '');
    const row = await indexDocument(svd.db, { documentId: document.id, lastAttempt: false, log });
    expect(row).toMatchObject({
      indexStatus: 'failed',
      indexNote: 'could not be indexed: the file could not be read',
      processingUnits: 0,
    });
    expect(await unitsUsed(user.userId)).toBe(0);
  }, 30_000);
});

describe('units are charged once per document', () => {
  it('two workers running the same job at once: one records and charges, the other finds it done', async () => {
    const user = await launchedUser();
    const document = await upload(user, idle, 'race.txt', 'raced by two workers');
    const run = () => indexDocument(svd.db, { documentId: document.id, lastAttempt: false, log });
    const results = await Promise.all([run(), run()]);
    expect(results.filter((row) => row !== null)).toHaveLength(1);
    const [row] = await svd.db.select().from(schema.document).where(eq(schema.document.id, document.id));
    expect(row).toMatchObject({ indexStatus: 'indexed', processingUnits: 1 });
    expect(await unitsUsed(user.userId)).toBe(1);
    // A late retry of the job changes nothing either.
    expect(await run()).toBeNull();
    expect(await unitsUsed(user.userId)).toBe(1);
  }, 60_000);

  it('a worker killed with -9 mid-job: the job goes to another worker, the document is indexed once, charged once', async () => {
    const user = await launchedUser();
    let first: ChildProcess | undefined;
    let second: TIndexWorker | undefined;
    try {
      first = spawn(process.execPath, ['--import', TSX_LOADER, WORKER_PROCESS, drill, HOSTILE_EXTRACTOR], {
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, SLOW_EXTRACTION_MS: '6000' },
      });
      const ready = new Promise<void>((resolve, reject) => {
        first?.stdout?.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('ready')) resolve();
        });
        first?.once('exit', (code) => reject(new Error(`the worker exited (${code}) before it was ready`)));
      });
      await ready;
      const document = await upload(user, drill, 'slow-ledger.txt', 'the ledger of the platypus fund');
      // The first worker has the job and its child is extracting (the extractor takes 6 s): kill it.
      await until(async () => ((await jobsOf(drill, document.id))[0]?.state === 'active' ? true : undefined));
      await until(async () => ((await extractionChildren()) > 0 ? true : undefined));
      first.kill('SIGKILL');
      await new Promise((resolve) => first?.once('exit', resolve));
      // Its extraction child noticed the parent was gone and stopped; the document is still waiting.
      await until(async () => ((await extractionChildren()) === 0 ? true : undefined), 5_000);
      expect((await settledDocumentNow(document.id))?.indexStatus).toBe('pending');
      expect(await unitsUsed(user.userId)).toBe(0);

      second = await startIndexWorker({
        databaseUrl: SVD_DATABASE_URL,
        queue: drill,
        pollingIntervalSeconds: 0.5,
        maintenanceIntervalSeconds: 1,
        extraction: { extractorModule: HOSTILE_EXTRACTOR, env: { SLOW_EXTRACTION_MS: '500' } },
        log,
      });
      const row = await settledDocument(svd.db, document.id, 45_000);
      expect(row).toMatchObject({ indexStatus: 'indexed', processingUnits: 1 });
      expect(await search(user.userId, 'platypus')).toEqual([document.id]);
      expect(await unitsUsed(user.userId)).toBe(1);
      const [job] = await until(async () => {
        const jobs = await jobsOf(drill, document.id);
        return jobs[0]?.state === 'completed' ? jobs : undefined;
      });
      expect(job?.retry_count).toBeGreaterThanOrEqual(1);
    } finally {
      if (first && first.exitCode === null && first.signalCode === null) first.kill('SIGKILL');
      await second?.stop();
    }
  }, 90_000);
});

describe('a job that never finishes', () => {
  it('ends the document as failed, not "Indexing…" for ever, when every attempt dies with its worker', async () => {
    const queue = await createTestIndexQueue('abandoned', { retryLimit: 0, expireInSeconds: 1 });
    const user = await launchedUser();
    const document = await upload(user, queue, 'abandoned.txt', 'never finished');
    // A worker takes the job and dies holding it: fetched (active), never completed.
    const dying = new PgBoss({
      connectionString: SVD_DATABASE_URL,
      schema: INDEX_QUEUE_SCHEMA,
      migrate: false,
      supervise: false,
      schedule: false,
      max: 1,
    });
    await dying.start();
    expect(await dying.fetch(queue)).toHaveLength(1);
    await dying.stop({ graceful: false });

    const survivor = await startIndexWorker({
      databaseUrl: SVD_DATABASE_URL,
      queue,
      pollingIntervalSeconds: 0.5,
      maintenanceIntervalSeconds: 1,
      log,
    });
    try {
      const row = await settledDocument(svd.db, document.id, 30_000);
      expect(row).toMatchObject({
        indexStatus: 'failed',
        indexNote: 'could not be indexed: its indexing was interrupted too many times',
        processingUnits: 0,
      });
      expect(await unitsUsed(user.userId)).toBe(0);
    } finally {
      await survivor.stop();
    }
  }, 60_000);
});

async function settledDocumentNow(documentId: string) {
  const [row] = await svd.db.select().from(schema.document).where(eq(schema.document.id, documentId));
  return row;
}
