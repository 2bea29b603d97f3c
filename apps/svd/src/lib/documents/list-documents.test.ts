import { randomUUID } from 'node:crypto';
import { schema } from '@omg/db';
import { afterAll, describe, expect, it } from 'vitest';
import { admin, hub, launchedUser, svd } from '@/app/api/__tests__/vault-fixtures';
import { listDocuments, ZListDocumentsSchema } from './list-documents';
import { listVaults } from './list-vaults';

afterAll(async () => {
  await Promise.all([admin.pool.end(), hub.pool.end(), svd.pool.end()]);
});

async function documentIn(userId: string, vaultId: string, name: string) {
  await svd.db.insert(schema.document).values({
    id: randomUUID(),
    userId,
    vaultId,
    name,
    mimeType: 'text/plain',
    sizeBytes: 1,
    state: 'ready',
    storageKey: `placeholder-${randomUUID()}`,
  });
}

describe('listDocuments: the vault page’s choice of vault (vaultOrFirst), made in the same statement', () => {
  it('lists the asked vault when it is the user’s, else the user’s first vault, never another user’s', async () => {
    const [owner, stranger] = [await launchedUser(), await launchedUser()];
    const [first] = await listVaults(svd.db, owner);
    if (!first) throw new Error('listVaults creates the first vault');
    const second = { id: randomUUID() };
    await svd.db
      .insert(schema.vault)
      .values({ id: second.id, userId: owner.userId, name: 'Taxes', createdAt: new Date(Date.now() + 1000) });
    const [theirs] = await listVaults(svd.db, stranger);
    if (!theirs) throw new Error('listVaults creates the first vault');
    await documentIn(owner.userId, first.id, 'in-first.txt');
    await documentIn(owner.userId, second.id, 'in-second.txt');
    await documentIn(stranger.userId, theirs.id, 'theirs.txt');
    const names = async (vaultOrFirst: string | null) =>
      (
        await listDocuments(svd.db, { ...ZListDocumentsSchema.parse({}), userId: owner.userId, vaultOrFirst })
      ).map((d) => d.name);

    expect(await names(second.id)).toEqual(['in-second.txt']);
    expect(await names(first.id)).toEqual(['in-first.txt']);
    // No vault asked, an unknown one, or another user's: the first vault, as the page's sidebar marks it.
    expect(await names(null)).toEqual(['in-first.txt']);
    expect(await names('not-a-vault')).toEqual(['in-first.txt']);
    expect(await names(theirs.id)).toEqual(['in-first.txt']);
  });

  it('lists nothing for a user without a vault', async () => {
    const user = await launchedUser();
    expect(
      await listDocuments(svd.db, {
        ...ZListDocumentsSchema.parse({}),
        userId: user.userId,
        vaultOrFirst: null,
      }),
    ).toEqual([]);
  });
});
