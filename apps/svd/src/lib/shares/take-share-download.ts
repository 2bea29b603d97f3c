import { schema, type TDatabase } from '@omg/db';
import { and, eq, gt, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import { recordShareUse } from './access-share-link';
import { linkNotAvailable, shareLinkStatus } from './share-link-view';
import { shareableDocument } from './shareable-document';

/**
 * Takes one download from a link in a single conditional UPDATE — still unrevoked, unexpired, under its limit,
 * what it shares still live — so two concurrent requests for a link's last download cannot both get it (the row
 * lock makes the second re-check the limit after the first commits). Refused like any dead link otherwise.
 * Returns how to give the download back when what it shares cannot be opened after all.
 */
export async function takeShareDownload(
  db: TDatabase,
  link: typeof schema.shareLink.$inferSelect,
  input: { address: string | null; now: Date },
): Promise<{ giveBack: () => Promise<void> }> {
  const l = schema.shareLink;
  const d = schema.document;
  const f = schema.folder;
  const targetLive: SQL = link.documentId
    ? sql`EXISTS (SELECT 1 FROM ${d} WHERE ${d.id} = ${l.documentId} AND ${shareableDocument()})`
    : sql`EXISTS (SELECT 1 FROM ${f} WHERE ${f.id} = ${l.folderId} AND ${f.trashedAt} IS NULL)`;
  const taken = await db
    .update(l)
    .set({ downloadCount: sql`${l.downloadCount} + 1` })
    .where(
      and(
        eq(l.id, link.id),
        isNull(l.revokedAt),
        gt(l.expiresAt, input.now),
        or(isNull(l.downloadLimit), lt(l.downloadCount, l.downloadLimit)),
        targetLive,
      ),
    )
    .returning({ id: l.id });
  if (taken.length === 0) {
    // Someone else took the last download, or the link died, since the check.
    const [current] = await db.select().from(l).where(eq(l.id, link.id));
    const status = current ? shareLinkStatus(current, false, input.now) : 'active';
    const outcome = status === 'active' || status === 'in_trash' ? 'unavailable' : status;
    await recordShareUse(db, link.id, outcome, input.address);
    throw linkNotAvailable();
  }
  return {
    giveBack: async () => {
      await db
        .update(l)
        .set({ downloadCount: sql`greatest(${l.downloadCount} - 1, 0)` })
        .where(eq(l.id, link.id));
    },
  };
}
