import { randomUUID } from 'node:crypto';
import { schema } from '@omg/db';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { admin, hub, launchedUser, svd } from '@/app/api/__tests__/vault-fixtures';
import { toDocumentView } from '../documents/document-view';
import { listVaults } from '../documents/list-vaults';
import { toFolderView } from './folder-view';
import { listFolder } from './list-folder';

afterAll(async () => {
  await Promise.all([admin.pool.end(), hub.pool.end(), svd.pool.end()]);
});

describe('listFolder: the vault page’s listing in one statement (JSON built by PostgreSQL)', () => {
  it('gives the same views as the rows read with drizzle: dates, sizes, nulls, order, breadcrumbs', async () => {
    const [owner, stranger] = [await launchedUser(), await launchedUser()];
    const [vault] = await listVaults(svd.db, owner);
    const [theirs] = await listVaults(svd.db, stranger);
    if (!vault || !theirs) throw new Error('listVaults creates the first vault');
    const folder = (name: string, parentId: string | null, extra = {}) => ({
      id: randomUUID(),
      vaultId: vault.id,
      parentId,
      name,
      userId: owner.userId,
      createdAt: new Date('2026-03-04T05:06:07.891Z'),
      ...extra,
    });
    const top = folder('taxes', null);
    const inner = folder('2026', top.id);
    await svd.db
      .insert(schema.folder)
      .values([top, inner, folder('Archive', null), folder('gone', null, { trashedAt: new Date() })]);
    const document = (name: string, sizeBytes: number, extra = {}) => ({
      id: randomUUID(),
      userId: owner.userId,
      vaultId: vault.id,
      folderId: inner.id,
      name,
      mimeType: 'application/pdf',
      sizeBytes,
      state: 'ready',
      storageKey: `placeholder-${randomUUID()}`,
      createdAt: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)),
      ...extra,
    });
    const shown = [
      document('big.pdf', 6_000_000_000, { pages: 12, processingUnits: 3, indexNote: 'ok' }),
      document('small.pdf', 10),
    ];
    await svd.db
      .insert(schema.document)
      .values([
        ...shown,
        document('binned.pdf', 5, { trashedAt: new Date() }),
        document('uploading.pdf', 5, { state: 'uploading' }),
        document('at-root.pdf', 5, { folderId: null }),
      ]);
    const input = { userId: owner.userId, organizationId: null, role: null, folderId: inner.id };
    const listing = await listFolder(svd.db, {
      ...input,
      vaultOrFirst: vault.id,
      sort: 'sizeBytes',
      order: 'desc',
    });

    const rows = await svd.db
      .select()
      .from(schema.document)
      .where(
        inArray(
          schema.document.id,
          shown.map((d) => d.id),
        ),
      );
    const byId = new Map(rows.map((row) => [row.id, toDocumentView(row)]));
    expect(listing.documents).toEqual(shown.map((d) => byId.get(d.id)));
    expect(listing.vaultId).toBe(vault.id);
    const folderRows = await svd.db.select().from(schema.folder).where(eq(schema.folder.id, inner.id));
    expect(listing.folder).toEqual(folderRows.map(toFolderView)[0]);
    expect(listing.folderMissing).toBe(false);
    expect(listing.breadcrumbs).toEqual([
      { id: top.id, name: 'taxes' },
      { id: inner.id, name: '2026' },
    ]);
    expect(listing.folders).toEqual([]);

    // The root, by name: live folders only, case-insensitively sorted; the root's own document.
    const root = await listFolder(svd.db, {
      ...input,
      folderId: null,
      vaultOrFirst: null,
      sort: 'name',
      order: 'asc',
    });
    expect(root.folders.map((f) => f.name)).toEqual(['Archive', 'taxes']);
    expect(root.documents.map((d) => d.name)).toEqual(['at-root.pdf']);
    expect(root.breadcrumbs).toEqual([]);
    expect(root.folder).toBeNull();

    // Another user's vault or folder: the user's own first vault, at its root, with the folder reported missing.
    const foreign = await listFolder(svd.db, {
      userId: stranger.userId,
      organizationId: null,
      role: null,
      folderId: inner.id,
      vaultOrFirst: vault.id,
      sort: 'name',
      order: 'asc',
    });
    expect(foreign).toEqual({
      vaultId: theirs.id,
      folder: null,
      folderMissing: true,
      breadcrumbs: [],
      folders: [],
      documents: [],
    });
  });
});
