import { randomUUID } from 'node:crypto';
import { schema } from '@omg/db';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { admin, hub, launchedUser, occupyStorage, SVD, svd } from '../../__tests__/vault-fixtures';
import { GET } from './route';

afterAll(async () => {
  await Promise.all([admin.pool.end(), hub.pool.end(), svd.pool.end()]);
});

const download = (cookie?: string) =>
  GET(
    new Request(`${SVD}/api/account/export`, { headers: cookie ? { cookie, origin: SVD } : { origin: SVD } }),
    { params: Promise.resolve({}) },
  );

async function vaultOf(userId: string, name: string) {
  const id = randomUUID();
  await svd.db.insert(schema.vault).values({ id, userId, name });
  return id;
}

describe('SVD GET /api/account/export', { timeout: 30_000 }, () => {
  it('streams the user’s vaults and document metadata as a named JSON attachment, never another user’s', async () => {
    const user = await launchedUser();
    const other = await launchedUser();
    const vaultId = await vaultOf(user.userId, 'Taxes');
    await occupyStorage(user.userId, vaultId, 1234);
    const otherVault = await vaultOf(other.userId, 'Not yours');
    await occupyStorage(other.userId, otherVault, 99);
    // A former version of each one's document (issue 16 §4): the user's is exported, the other's is not.
    for (const owner of [user.userId, other.userId]) {
      const [document] = await svd.db
        .select({ id: schema.document.id })
        .from(schema.document)
        .where(eq(schema.document.userId, owner));
      await svd.db.insert(schema.documentVersion).values({
        id: randomUUID(),
        documentId: document?.id ?? '',
        storageKey: `placeholder-${randomUUID()}`,
        wrappedKey: 'unused',
        sizeBytes: owner === user.userId ? 77 : 88,
        mimeType: 'application/octet-stream',
        uploadedBy: owner,
        createdAt: new Date(),
        replacedBy: owner,
      });
    }

    const response = await download(user.cookie);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="securevault-docs-data-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    const text = await response.text();
    const data = JSON.parse(text);
    expect(data.profile).toMatchObject({ userId: user.userId, name: 'Vault User' });
    expect(data.vaults).toEqual([expect.objectContaining({ id: vaultId, name: 'Taxes' })]);
    expect(data.documents).toEqual([
      expect.objectContaining({ vaultId, name: 'existing.bin', sizeBytes: 1234, state: 'ready' }),
    ]);
    expect(data.documentVersions).toEqual([
      expect.objectContaining({ documentId: data.documents[0].id, sizeBytes: 77 }),
    ]);
    expect(data.sessions).toHaveLength(1);
    expect(text).not.toContain(other.userId);
    expect(text).not.toContain('Not yours');
    expect(text).not.toMatch(/storageKey|wrappedKey|tokenHash/);
  });

  it('answers 401 without an SVD session', async () => {
    expect((await download()).status).toBe(401);
    expect((await download('svd_session=forged')).status).toBe(401);
  });
});
