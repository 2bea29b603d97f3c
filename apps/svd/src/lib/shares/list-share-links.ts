import { schema, type TDatabase } from '@omg/db';
import { desc, eq } from 'drizzle-orm';
import { requireSpaceAction, type TSpace } from '../spaces/space';
import { shareLinkStatus, type TShareLinkView } from './share-link-view';
import { shareLinksOf } from './share-links-of';

/** Every link the user sees in the space (shareLinksOf), newest first, with its status now. */
export async function listShareLinks(
  db: TDatabase,
  space: TSpace,
  now = new Date(),
): Promise<TShareLinkView[]> {
  requireSpaceAction(space, 'read');
  const l = schema.shareLink;
  const d = schema.document;
  const f = schema.folder;
  const rows = await db
    .select({
      link: l,
      documentName: d.name,
      sizeBytes: d.sizeBytes,
      documentTrashedAt: d.trashedAt,
      folderName: f.name,
      folderTrashedAt: f.trashedAt,
      email: schema.userProfile.email,
    })
    .from(l)
    .leftJoin(d, eq(d.id, l.documentId))
    .leftJoin(f, eq(f.id, l.folderId))
    .leftJoin(schema.userProfile, eq(schema.userProfile.userId, l.userId))
    .where(shareLinksOf(space))
    .orderBy(desc(l.createdAt), desc(l.id))
    .limit(1000);
  return rows.map((row) => ({
    id: row.link.id,
    kind: row.link.folderId ? 'folder' : 'document',
    documentId: row.link.documentId,
    folderId: row.link.folderId,
    targetName: row.documentName ?? row.folderName ?? '',
    sizeBytes: row.link.documentId ? row.sizeBytes : null,
    createdBy: row.link.userId,
    createdByEmail: row.email,
    createdAt: row.link.createdAt.toISOString(),
    expiresAt: row.link.expiresAt.toISOString(),
    hasPassword: row.link.passwordHash !== null,
    downloadLimit: row.link.downloadLimit,
    downloadCount: row.link.downloadCount,
    revokedAt: row.link.revokedAt?.toISOString() ?? null,
    status: shareLinkStatus(row.link, Boolean(row.documentTrashedAt ?? row.folderTrashedAt), now),
  }));
}
