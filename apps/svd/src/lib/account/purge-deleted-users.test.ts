import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { ACCOUNT_DELETION_GRACE_DAYS } from '@omg/contract';
import { schema } from '@omg/db';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { admin, findBlobFile, hub, launchedUser, svd } from '@/app/api/__tests__/vault-fixtures';
import { logger } from '@/lib/logger';
import { newStorageKey, storeEncrypted } from '@/lib/storage';
import { vaultStorage } from '@/lib/vault-storage';
import { purgeDeletedUsers } from './purge-deleted-users';

afterAll(async () => {
  await Promise.all([admin.pool.end(), hub.pool.end(), svd.pool.end()]);
});

const DAY = 24 * 60 * 60 * 1000;

/** A launched user with one vault and one stored document (a real encrypted blob). */
async function userWithDocument() {
  const user = await launchedUser();
  const vaultId = randomUUID();
  await svd.db.insert(schema.vault).values({ id: vaultId, userId: user.userId, name: 'Taxes' });
  const { store, masterKey } = vaultStorage();
  const storageKey = newStorageKey();
  await storeEncrypted(store, masterKey, Readable.from([Buffer.from('a tax return')]), {
    maxBytes: 100,
    storageKey,
  });
  await svd.db.insert(schema.document).values({
    id: randomUUID(),
    userId: user.userId,
    vaultId,
    name: 'return.pdf',
    mimeType: 'application/pdf',
    sizeBytes: 12,
    state: 'ready',
    storageKey,
  });
  expect(await findBlobFile(storageKey)).not.toBeNull();
  return { ...user, vaultId, storageKey };
}

/** The Hub's deletion, as far as SVD can see it: the user row marked deleted at `at`. */
const markDeleted = (userId: string, at: Date) =>
  hub.db.update(schema.user).set({ deletedAt: at }).where(eq(schema.user.id, userId));

const rowsOf = async (userId: string) => ({
  documents: await svd.db.select().from(schema.document).where(eq(schema.document.userId, userId)),
  vaults: await svd.db.select().from(schema.vault).where(eq(schema.vault.userId, userId)),
  profile: await svd.db.select().from(schema.userProfile).where(eq(schema.userProfile.userId, userId)),
  sessions: await svd.db.select().from(schema.svdSession).where(eq(schema.svdSession.userId, userId)),
});

describe('purgeDeletedUsers (npm run svd:purge-deleted)', () => {
  it(`keeps a deleted account's documents for ${ACCOUNT_DELETION_GRACE_DAYS} days, then deletes rows and blobs; live accounts are never touched`, async () => {
    const now = new Date();
    const due = await userWithDocument();
    const recent = await userWithDocument();
    const live = await userWithDocument();
    // A team vault limited to some members names two of them (issue 15).
    const teamVault = randomUUID();
    const organizationId = randomUUID();
    await svd.db
      .insert(schema.vault)
      .values({ id: teamVault, userId: live.userId, organizationId, name: 'Board' });
    await svd.db.insert(schema.vaultAccess).values({
      vaultId: teamVault,
      organizationId,
      userIds: [due.userId, recent.userId],
      updatedBy: live.userId,
    });
    await markDeleted(due.userId, new Date(now.getTime() - (ACCOUNT_DELETION_GRACE_DAYS + 1) * DAY));
    await markDeleted(recent.userId, new Date(now.getTime() - (ACCOUNT_DELETION_GRACE_DAYS - 1) * DAY));

    const report = await purgeDeletedUsers(svd.db, vaultStorage().store, { now, log: logger });
    expect(report.purgedUsers).toContain(due.userId);
    expect(report.purgedUsers).not.toContain(recent.userId);
    expect(report.purgedUsers).not.toContain(live.userId);
    expect(await rowsOf(due.userId)).toEqual({ documents: [], vaults: [], profile: [], sessions: [] });
    expect(await findBlobFile(due.storageKey)).toBeNull();
    for (const kept of [recent, live]) {
      expect((await rowsOf(kept.userId)).documents).toHaveLength(1);
      expect(await findBlobFile(kept.storageKey)).not.toBeNull();
    }

    const [access] = await svd.db
      .select({ userIds: schema.vaultAccess.userIds })
      .from(schema.vaultAccess)
      .where(eq(schema.vaultAccess.vaultId, teamVault));
    expect(access?.userIds).toEqual([recent.userId]);

    // A second run finds nothing more to do for that user.
    const again = await purgeDeletedUsers(svd.db, vaultStorage().store, { now, log: logger });
    expect(again.purgedUsers).not.toContain(due.userId);
  });
});
