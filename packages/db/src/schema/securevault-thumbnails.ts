import { sql } from 'drizzle-orm';
import { check, integer, pgSchema, text, timestamp } from 'drizzle-orm/pg-core';
import { document } from './securevault';

// Its own handle on the schema (as securevault-folders.ts): only the lazy reference to Document crosses files.
const securevault = pgSchema('securevault');

/**
 * A document's thumbnail (issue 16 §2): a small WebP of an image or of a PDF's first page, made by the
 * `svd.make-thumbnail` job and stored ENCRYPTED like the document itself — its own blob under its own data key,
 * wrapped under the master key. One row per document, gone with it (cascade); the blob's key is derived from the
 * document blob's key (apps/svd lib/thumbnails/thumbnail-storage-key.ts), so every path that discards a deleted
 * document's blob discards the thumbnail's too, even after the cascade removed this row.
 *
 * status 'ready' (storageKey and wrappedKey set) | 'failed' (note says why; nothing stored). Thumbnails do not
 * count against storage: they are ours, a few KB each, and only made from documents that already count.
 */
export const thumbnail = securevault.table(
  'Thumbnail',
  {
    documentId: text('documentId')
      .primaryKey()
      .references(() => document.id, { onDelete: 'cascade' }),
    /**
     * The document blob it was made from. A new version (issue 16 §4) gives the document another blob; a thumbnail
     * of an older one is then stale, is not served, and is replaced by the next job.
     */
    sourceStorageKey: text('sourceStorageKey').notNull(),
    status: text('status').notNull(),
    storageKey: text('storageKey').unique(),
    wrappedKey: text('wrappedKey'),
    sizeBytes: integer('sizeBytes'),
    width: integer('width'),
    height: integer('height'),
    note: text('note'),
    createdAt: timestamp('createdAt').notNull().defaultNow(),
    updatedAt: timestamp('updatedAt').notNull().defaultNow(),
  },
  (t) => [
    check('Thumbnail_status_check', sql`${t.status} IN ('ready', 'failed')`),
    check(
      'Thumbnail_ready_check',
      sql`${t.status} <> 'ready' OR (${t.storageKey} IS NOT NULL AND ${t.wrappedKey} IS NOT NULL)`,
    ),
  ],
);
