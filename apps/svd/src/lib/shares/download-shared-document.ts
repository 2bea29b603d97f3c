import type { Readable } from 'node:stream';
import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { and, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import { IntegrityError, streamDecrypted, type TBlobStore } from '../storage';
import { accessShareLink, recordShareUse } from './access-share-link';
import { linkNotAvailable, shareLinkStatus } from './share-link-view';
import { shareableDocument } from './shareable-document';

/**
 * One download through a link: the recipient's request is checked (accessShareLink), then one download is taken
 * from the link in a single conditional UPDATE — still unrevoked, unexpired, under its limit, its document still
 * shareable — so two concurrent requests for a link's last download cannot both get it (the row lock makes the
 * second re-check the limit after the first). The document streams decrypted as for its owner (streamDecrypted);
 * if it cannot be opened the download is given back. Works in read-only mode: a download takes nothing in.
 */
export async function downloadSharedDocument(
  db: TDatabase,
  storage: { store: TBlobStore; masterKey: Buffer },
  input: { token: string; password?: string | null; address: string | null; now?: Date },
): Promise<{ name: string; sizeBytes: number; body: Readable; link: typeof schema.shareLink.$inferSelect }> {
  const now = input.now ?? new Date();
  const { link, document } = await accessShareLink(db, { ...input, logUse: true, now });
  const l = schema.shareLink;
  const taken = await db
    .update(l)
    .set({ downloadCount: sql`${l.downloadCount} + 1` })
    .where(
      and(
        eq(l.id, link.id),
        isNull(l.revokedAt),
        gt(l.expiresAt, now),
        or(isNull(l.downloadLimit), lt(l.downloadCount, l.downloadLimit)),
        sql`EXISTS (SELECT 1 FROM ${schema.document} WHERE ${schema.document.id} = ${l.documentId} AND ${shareableDocument()})`,
      ),
    )
    .returning({ downloadCount: l.downloadCount });
  if (taken.length === 0) {
    // Someone else took the last download (or the link died) since the check: refused like any dead link.
    const [current] = await db.select().from(l).where(eq(l.id, link.id));
    const status = current ? shareLinkStatus(current, false, now) : 'active';
    const outcome = status === 'active' || status === 'in_trash' ? 'unavailable' : status;
    await recordShareUse(db, link.id, outcome, input.address);
    throw linkNotAvailable();
  }
  if (!document?.storageKey || !document.wrappedKey) throw linkNotAvailable();
  try {
    const body = await streamDecrypted(storage.store, storage.masterKey, {
      storageKey: document.storageKey,
      wrappedKey: document.wrappedKey,
    });
    await recordShareUse(db, link.id, 'downloaded', input.address);
    return { name: document.name, sizeBytes: document.sizeBytes, body, link };
  } catch (error) {
    await db
      .update(l)
      .set({ downloadCount: sql`greatest(${l.downloadCount} - 1, 0)` })
      .where(eq(l.id, link.id));
    if (error instanceof IntegrityError)
      throw new AppError('INTEGRITY_FAILED', error.message, { cause: error });
    throw error;
  }
}
