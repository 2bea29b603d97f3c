import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { schema } from '@omg/db';
import type { TLogger } from '@omg/platform';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, hub, launchedUser, svd } from '@/app/api/__tests__/vault-fixtures';
import { createTestIndexQueue } from '@/testing/index-queue';
import { streamOf } from '@/testing/storage';
import { vaultStorage } from '../vault-storage';
import { indexDocument } from './index-document';
import { listVaults } from './list-vaults';
import { uploadDocument } from './upload-document';

const HOSTILE_EXTRACTOR = fileURLToPath(new URL('./fixtures/hostile-extractor.ts', import.meta.url));
const log: TLogger = pino({ level: 'silent' });
/** Nobody works it: the test runs indexDocument itself, as a worker's job would. */
let queue: string;

beforeAll(async () => {
  queue = await createTestIndexQueue('replaced');
});

afterAll(async () => {
  await Promise.all([admin.pool.end(), hub.pool.end(), svd.pool.end()]);
});

/** Whether this machine runs an extraction child now (Linux /proc): the indexing run has read its row by then. */
async function extracting(): Promise<boolean> {
  for (const pid of await readdir('/proc').catch(() => [])) {
    if (!/^\d+$/.test(pid)) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes('extraction-child.ts')) return true;
  }
  return false;
}

const row = async (id: string) =>
  (await svd.db.select().from(schema.document).where(eq(schema.document.id, id)))[0];

describe('a document whose content is replaced while its text is being read (issue 16 versions)', () => {
  it('records nothing of the former content; the next run indexes the content it has now', async () => {
    const user = await launchedUser();
    const [vault] = await listVaults(svd.db, user);
    if (!vault) throw new Error('no default vault');
    const upload = (fileName: string, text: string) =>
      uploadDocument(svd.db, vaultStorage(), {
        userId: user.userId,
        vaultId: vault.id,
        fileName,
        mimeType: 'text/plain',
        declaredBytes: Buffer.byteLength(text),
        body: streamOf(Buffer.from(text)),
        log,
        indexQueue: queue,
      });
    const document = await upload('slow-notes.txt', 'aardvark alpha');
    const other = await upload('bravo.txt', 'buffalo bravo');

    // The slow extractor reads the first content for 2 s; meanwhile the document gets other content, as a new
    // version swaps its blob in (here the second upload's blob, which that row gives up: storage keys are unique).
    const running = indexDocument(svd.db, {
      documentId: document.id,
      lastAttempt: false,
      log,
      extraction: { extractorModule: HOSTILE_EXTRACTOR, env: { SLOW_EXTRACTION_MS: '2000' } },
    });
    const deadline = Date.now() + 20_000;
    while (!(await extracting())) {
      if (Date.now() > deadline) throw new Error('the extraction child never started');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const donor = await row(other.id);
    await svd.db.transaction(async (tx) => {
      await tx
        .update(schema.document)
        .set({ storageKey: `given-away-${other.id}` })
        .where(eq(schema.document.id, other.id));
      await tx
        .update(schema.document)
        .set({
          storageKey: donor?.storageKey,
          wrappedKey: donor?.wrappedKey,
          sizeBytes: donor?.sizeBytes,
          sha256: donor?.sha256,
        })
        .where(eq(schema.document.id, document.id));
    });

    expect(await running).toBeNull();
    expect(await row(document.id)).toMatchObject({
      indexStatus: 'pending',
      textContent: null,
      processingUnits: 0,
    });

    const indexed = await indexDocument(svd.db, { documentId: document.id, lastAttempt: false, log });
    expect(indexed).toMatchObject({ indexStatus: 'indexed' });
    expect(indexed?.textContent).toContain('buffalo bravo');
    expect(indexed?.textContent).not.toContain('aardvark');
  }, 60_000);
});
