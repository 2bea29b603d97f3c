import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { and, eq, isNull } from 'drizzle-orm';
import { requireSpaceAction, type TSpace } from '../spaces/space';
import { shareLinksOf } from './share-links-of';

/**
 * Revokes a link at once (its next request is refused). Revoking a revoked link changes nothing and succeeds, so a
 * double click is harmless; `revoked` says whether this call did it (only then is it logged).
 */
export async function revokeShareLink(
  db: TDatabase,
  input: TSpace & { linkId: string; now?: Date },
): Promise<{ revoked: boolean; documentId: string | null; folderId: string | null; targetName: string }> {
  requireSpaceAction(input, 'write');
  const l = schema.shareLink;
  const [link] = await db
    .select({
      id: l.id,
      documentId: l.documentId,
      folderId: l.folderId,
      documentName: schema.document.name,
      folderName: schema.folder.name,
    })
    .from(l)
    .leftJoin(schema.document, eq(schema.document.id, l.documentId))
    .leftJoin(schema.folder, eq(schema.folder.id, l.folderId))
    .where(and(eq(l.id, input.linkId), shareLinksOf(input)));
  if (!link) throw new AppError('NOT_FOUND', 'That link does not exist.');
  const updated = await db
    .update(l)
    .set({ revokedAt: input.now ?? new Date(), revokedBy: input.userId })
    .where(and(eq(l.id, link.id), isNull(l.revokedAt)))
    .returning({ id: l.id });
  return {
    revoked: updated.length > 0,
    documentId: link.documentId,
    folderId: link.folderId,
    targetName: link.documentName ?? link.folderName ?? '',
  };
}
