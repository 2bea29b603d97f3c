import { randomUUID } from 'node:crypto';
import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { and, eq } from 'drizzle-orm';
import { documentsOf, editableDocumentsOf, isTeam, type TSpace } from '../spaces/space';
import { shareExpiry, type TCreateShareLink, type TShareLinkView } from './share-link-view';
import { hashSharePassword } from './share-password';
import { newShareToken } from './share-token';
import { shareableDocument } from './shareable-document';

/**
 * Creates a share link for one live document the user may change (a team's viewers none, its members their own
 * uploads, owners and admins all). Allowed in read-only mode (over the limit, canceled): a link adds no stored
 * data, and handing a document to someone is a way of getting it out, which read-only mode keeps open.
 * The token is returned once; only its hash is stored.
 */
export async function createShareLink(
  db: TDatabase,
  input: TSpace & TCreateShareLink & { now?: Date },
): Promise<{ link: TShareLinkView; token: string }> {
  const now = input.now ?? new Date();
  const editable = editableDocumentsOf(input);
  const documentId = input.documentId ?? '';
  const [document] = await db
    .select({ id: schema.document.id, name: schema.document.name, sizeBytes: schema.document.sizeBytes })
    .from(schema.document)
    .where(and(eq(schema.document.id, documentId), editable, shareableDocument()));
  if (!document) {
    if (isTeam(input)) {
      const [visible] = await db
        .select({ id: schema.document.id })
        .from(schema.document)
        .where(and(eq(schema.document.id, documentId), documentsOf(input), shareableDocument()));
      if (visible) throw new AppError('FORBIDDEN', 'Members can share only the documents they uploaded.');
    }
    throw new AppError('NOT_FOUND', 'That document does not exist.');
  }
  const expiresAt = shareExpiry(input.expiresAt, now);
  const password = input.password ? input.password : null;
  const { token, tokenHash } = newShareToken();
  const [row] = await db
    .insert(schema.shareLink)
    .values({
      id: randomUUID(),
      tokenHash,
      userId: input.userId,
      organizationId: input.organizationId ?? null,
      documentId: document.id,
      passwordHash: password === null ? null : await hashSharePassword(password),
      expiresAt,
      downloadLimit: input.downloadLimit ?? null,
      createdAt: now,
    })
    .returning();
  if (!row) throw new AppError('INTERNAL', 'The link could not be created.');
  return {
    token,
    link: {
      id: row.id,
      kind: 'document',
      documentId: document.id,
      folderId: null,
      targetName: document.name,
      sizeBytes: document.sizeBytes,
      createdBy: row.userId,
      createdByEmail: null,
      createdAt: row.createdAt.toISOString(),
      expiresAt: row.expiresAt.toISOString(),
      hasPassword: row.passwordHash !== null,
      downloadLimit: row.downloadLimit,
      downloadCount: row.downloadCount,
      revokedAt: null,
      status: 'active',
    },
  };
}
