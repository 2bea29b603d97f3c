import { randomUUID } from 'node:crypto';
import { schema, type TDatabase } from '@omg/db';
import { applyRoleGrants, credentialsFromUrl } from '@omg/db/setup';
import { testDatabaseUrls } from '@omg/db/testing';
import { eq } from 'drizzle-orm';
import { prepareIndexQueue } from '@/lib/documents/prepare-index-queue';

/**
 * Creates an indexing queue of the calling test file's own (as the admin, then SVD's grants on its new table), so
 * no other worker takes its jobs: documents stored somewhere else than the app's storage, or a worker with an
 * injected extractor. `expireInSeconds`: how soon a job whose worker died goes to another worker.
 */
export async function createTestIndexQueue(
  prefix: string,
  overrides: Parameters<typeof prepareIndexQueue>[2] = {},
): Promise<string> {
  const urls = testDatabaseUrls();
  const queue = `test-${prefix}-${randomUUID().slice(0, 8)}`;
  await prepareIndexQueue(urls.DATABASE_URL, queue, overrides);
  await applyRoleGrants(urls.DATABASE_URL, {
    hub: credentialsFromUrl(urls.HUB_DATABASE_URL),
    svd: credentialsFromUrl(urls.SVD_DATABASE_URL),
  });
  return queue;
}

/** Waits until the document's indexing has finished (indexStatus no longer 'pending') and returns its row. */
export async function settledDocument(db: TDatabase, documentId: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await db.select().from(schema.document).where(eq(schema.document.id, documentId));
    if (row && row.indexStatus !== 'pending') return row;
    if (Date.now() > deadline)
      throw new Error(`document ${documentId} still ${row?.indexStatus ?? 'missing'}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
