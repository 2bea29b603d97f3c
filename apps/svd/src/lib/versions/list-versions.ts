import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { and, desc, eq } from 'drizzle-orm';
import { documentsOf, requireSpaceAction, type TSpace, usageKey } from '../spaces/space';
import { liveDocument } from '../trash/live';
import { currentContent } from './current-content';
import { keepVersionsFor } from './prune-versions';
import type { TVersionView } from './versions.types';

/**
 * A document's versions, newest first: the current one (the document itself), then its former versions, with
 * who uploaded each and when, and how many the space keeps. Anyone who may read the document may see them
 * (viewers included); another space's or a trashed document is missing (404).
 */
export async function listVersions(
  db: TDatabase,
  input: TSpace & { documentId: string },
): Promise<{ documentId: string; name: string; keepVersions: number; versions: TVersionView[] }> {
  requireSpaceAction(input, 'read');
  const d = schema.document;
  const v = schema.documentVersion;
  const u = schema.user;
  const [document] = await db
    .select()
    .from(d)
    .where(and(eq(d.id, input.documentId), documentsOf(input), eq(d.state, 'ready'), liveDocument));
  if (!document) throw new AppError('NOT_FOUND', 'That document does not exist.');
  const former = await db
    .select({ version: v, email: u.email })
    .from(v)
    .leftJoin(u, eq(u.id, v.uploadedBy))
    .where(eq(v.documentId, document.id))
    .orderBy(desc(v.replacedAt), desc(v.id));
  const current = await currentContent(db, document);
  const [currentUser] = await db.select({ email: u.email }).from(u).where(eq(u.id, current.by));
  return {
    documentId: document.id,
    name: document.name,
    keepVersions: await keepVersionsFor(db, usageKey(input)),
    versions: [
      {
        id: null,
        current: true,
        sizeBytes: document.sizeBytes,
        mimeType: document.mimeType,
        sha256: document.sha256,
        uploadedBy: current.by,
        uploadedByEmail: currentUser?.email ?? null,
        createdAt: current.since.toISOString(),
        replacedAt: null,
      },
      ...former.map(({ version, email }) => ({
        id: version.id,
        current: false,
        sizeBytes: version.sizeBytes,
        mimeType: version.mimeType,
        sha256: version.sha256,
        uploadedBy: version.uploadedBy,
        uploadedByEmail: email,
        createdAt: version.createdAt.toISOString(),
        replacedAt: version.replacedAt.toISOString(),
      })),
    ],
  };
}
