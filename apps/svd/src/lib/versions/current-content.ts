import { schema, type TDatabase, type TTransaction } from '@omg/db';
import { desc, eq } from 'drizzle-orm';

/**
 * When a document's current content became current and who uploaded (or restored) it: the newest former
 * version's replacement, or — before any version exists — the document's own creation and owner.
 */
export async function currentContent(
  db: TDatabase | TTransaction,
  document: { id: string; userId: string; createdAt: Date },
): Promise<{ since: Date; by: string }> {
  const v = schema.documentVersion;
  const [newest] = await db
    .select({ since: v.replacedAt, by: v.replacedBy })
    .from(v)
    .where(eq(v.documentId, document.id))
    .orderBy(desc(v.replacedAt), desc(v.id))
    .limit(1);
  return newest ?? { since: document.createdAt, by: document.userId };
}
