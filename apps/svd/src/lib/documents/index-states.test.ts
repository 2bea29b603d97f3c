import { schema } from '@omg/db';
import type { TLogger } from '@omg/platform';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, hub, launchedUser, svd, type TVaultUser } from '@/app/api/__tests__/vault-fixtures';
import { createTestIndexQueue } from '@/testing/index-queue';
import { streamOf } from '@/testing/storage';
import { getVaultStatus } from '../entitlements/get-vault-status';
import { vaultStorage } from '../vault-storage';
import { indexBadge } from './index-badge';
import { indexDocument } from './index-document';
import { listVaults } from './list-vaults';
import { uploadDocument } from './upload-document';

/**
 * What indexDocument records for each badge of issue 16 — with the real extractor in its child process: text is
 * "Indexed", an image or other binary "No text", a file the extractor refuses "Could not be indexed: <reason>",
 * a readable file past the month's units "Not indexed: units spent".
 */

const log: TLogger = pino({ level: 'silent' });
/** Nobody works it: each test runs indexDocument itself, as the worker's job would. */
let idle: string;
let user: TVaultUser;

beforeAll(async () => {
  idle = await createTestIndexQueue('index-states');
  user = await launchedUser();
});

afterAll(async () => {
  await Promise.all([admin.pool.end(), hub.pool.end(), svd.pool.end()]);
});

async function indexed(fileName: string, mimeType: string, body: Buffer) {
  const [vault] = await listVaults(svd.db, user);
  if (!vault) throw new Error('no default vault');
  const document = await uploadDocument(svd.db, vaultStorage(), {
    userId: user.userId,
    vaultId: vault.id,
    fileName,
    mimeType,
    declaredBytes: body.length,
    body: streamOf(body),
    log,
    indexQueue: idle,
  });
  const row = await indexDocument(svd.db, { documentId: document.id, lastAttempt: true, log });
  if (!row) throw new Error('indexDocument recorded nothing');
  return { ...row, badge: indexBadge(row.indexStatus, row.indexNote).label };
}

describe('the badge says the truth', { timeout: 60_000 }, () => {
  it('text: Indexed; an image, or only whitespace: No text; a file the extractor refuses: Could not be indexed', async () => {
    // At once: each extraction is a child process of its own.
    const [text, image, blank, broken] = await Promise.all([
      indexed('notes.txt', 'text/plain', Buffer.from('kangaroo sightings')),
      indexed('kangaroo.png', 'image/png', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex')),
      indexed('blank.txt', 'text/plain', Buffer.from(' \n\t\n')),
      indexed('broken.pdf', 'application/pdf', Buffer.from('not a pdf at all')),
    ]);
    expect(text).toMatchObject({ indexStatus: 'indexed', badge: 'Indexed' });
    // Its name is still searchable; the badge no longer claims its contents were indexed.
    expect(image).toMatchObject({
      indexStatus: 'no_text',
      indexNote: null,
      textContent: null,
      badge: 'No text',
    });
    expect(blank).toMatchObject({ indexStatus: 'no_text', badge: 'No text' });
    expect(broken).toMatchObject({
      indexStatus: 'failed',
      indexNote: 'could not be indexed: File is not a valid PDF',
      processingUnits: 0,
      badge: 'Could not be indexed: File is not a valid PDF',
    });
  });

  it('readable text once the month’s units are spent: Not indexed: units spent', async () => {
    user = await launchedUser();
    const { periodStart } = await getVaultStatus(svd.db, { userId: user.userId, organizationId: null });
    await svd.db
      .insert(schema.processingUsage)
      .values({ userId: user.userId, periodStart, unitsUsed: 1_000_000 });
    expect(await indexed('second.txt', 'text/plain', Buffer.from('second words'))).toMatchObject({
      indexStatus: 'not_indexed',
      processingUnits: 0,
      badge: 'Not indexed: units spent',
    });
  });
});
