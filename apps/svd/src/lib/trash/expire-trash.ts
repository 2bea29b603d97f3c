import { schema, type TDatabase } from '@omg/db';
import type { TLogger } from '@omg/platform';
import { and, inArray, isNotNull, lt } from 'drizzle-orm';
import type { TBlobStore } from '../storage';
import { TRASH_RETENTION_MS } from './live';
import { purgeTrashed } from './purge-trashed';

const BATCH = 200;

/**
 * `npm run svd:empty-trash`: deletes for good, across every user and team, what was put in the trash more than
 * 30 days ago (rows, then blobs; see purgeTrashed), a batch at a time so one run never holds a long transaction.
 * Whatever is below an expired folder went into the trash no later than it, so it goes with it.
 */
export async function expireTrash(
  db: TDatabase,
  store: TBlobStore,
  input: { log: TLogger; now?: Date },
): Promise<{ documents: number; folders: number; bytes: number }> {
  const cutoff = new Date((input.now ?? new Date()).getTime() - TRASH_RETENTION_MS);
  const d = schema.document;
  const f = schema.folder;
  const total = { documents: 0, folders: 0, bytes: 0 };
  for (;;) {
    const folders = await db
      .select({ id: f.id })
      .from(f)
      .where(and(isNotNull(f.trashedAt), lt(f.trashedAt, cutoff)))
      .limit(BATCH);
    const documents = await db
      .select({ id: d.id })
      .from(d)
      .where(and(isNotNull(d.trashedAt), lt(d.trashedAt, cutoff)))
      .limit(BATCH);
    if (folders.length === 0 && documents.length === 0) break;
    const purged = await purgeTrashed(db, store, {
      documents:
        documents.length > 0
          ? inArray(
              d.id,
              documents.map((row) => row.id),
            )
          : null,
      folders:
        folders.length > 0
          ? inArray(
              f.id,
              folders.map((row) => row.id),
            )
          : null,
      log: input.log,
    });
    total.documents += purged.documents;
    total.folders += purged.folders;
    total.bytes += purged.bytes;
    if (purged.documents === 0 && purged.folders === 0) break;
  }
  input.log.info(total, 'expired trash deleted');
  return total;
}
