import { randomUUID } from 'node:crypto';
import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { and, eq } from 'drizzle-orm';
import { editableFoldersOf, foldersOf } from '../folders/folders-of';
import { documentsOf, editableDocumentsOf, isTeam, type TSpace } from '../spaces/space';
import { liveFolder } from '../trash/live';
import { shareExpiry, type TCreateShareLink, type TShareLinkView } from './share-link-view';
import { hashSharePassword } from './share-password';
import { newShareToken } from './share-token';
import { shareableDocument } from './shareable-document';

/**
 * Creates a share link for one live document or folder the user may change (a team's viewers none, its members
 * their own uploads and folders, owners and admins all). Allowed in read-only mode (over the limit, canceled): a link adds no stored
 * data, and handing a document to someone is a way of getting it out, which read-only mode keeps open.
 * The token is returned once; only its hash is stored.
 */
export async function createShareLink(
  db: TDatabase,
  input: TSpace & TCreateShareLink & { now?: Date },
): Promise<{ link: TShareLinkView; token: string }> {
  const now = input.now ?? new Date();
  const target = input.folderId
    ? await shareableFolder(db, input, input.folderId)
    : await shareableDocumentOf(db, input, input.documentId ?? '');
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
      documentId: target.documentId,
      folderId: target.folderId,
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
      kind: target.folderId ? 'folder' : 'document',
      documentId: target.documentId,
      folderId: target.folderId,
      targetName: target.name,
      sizeBytes: target.sizeBytes,
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

interface TShareTarget {
  documentId: string | null;
  folderId: string | null;
  name: string;
  sizeBytes: number | null;
}

async function shareableDocumentOf(db: TDatabase, space: TSpace, documentId: string): Promise<TShareTarget> {
  const d = schema.document;
  const [document] = await db
    .select({ id: d.id, name: d.name, sizeBytes: d.sizeBytes })
    .from(d)
    .where(and(eq(d.id, documentId), editableDocumentsOf(space), shareableDocument()));
  if (document)
    return { documentId: document.id, folderId: null, name: document.name, sizeBytes: document.sizeBytes };
  if (isTeam(space)) {
    const [visible] = await db
      .select({ id: d.id })
      .from(d)
      .where(and(eq(d.id, documentId), documentsOf(space), shareableDocument()));
    if (visible) throw new AppError('FORBIDDEN', 'Members can share only the documents they uploaded.');
  }
  throw new AppError('NOT_FOUND', 'That document does not exist.');
}

async function shareableFolder(db: TDatabase, space: TSpace, folderId: string): Promise<TShareTarget> {
  const f = schema.folder;
  const [folder] = await db
    .select({ id: f.id, name: f.name })
    .from(f)
    .where(and(eq(f.id, folderId), editableFoldersOf(space), liveFolder));
  if (folder) return { documentId: null, folderId: folder.id, name: folder.name, sizeBytes: null };
  if (isTeam(space)) {
    const [visible] = await db
      .select({ id: f.id })
      .from(f)
      .where(and(eq(f.id, folderId), foldersOf(space), liveFolder));
    if (visible) throw new AppError('FORBIDDEN', 'Members can share only the folders they created.');
  }
  throw new AppError('NOT_FOUND', 'That folder does not exist.');
}
