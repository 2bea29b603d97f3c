import { schema, type TDatabase, type TTransaction } from '@omg/db';
import { eq, inArray, type SQL, sql } from 'drizzle-orm';
import { DEFAULT_KEEP_VERSIONS } from './versions.types';

/** How many former versions the space (its usage key: a user id or an organization id) keeps per document. */
export async function keepVersionsFor(db: TDatabase | TTransaction, ownerKey: string): Promise<number> {
  const [row] = await db
    .select({ keep: schema.versionSetting.keepVersions })
    .from(schema.versionSetting)
    .where(eq(schema.versionSetting.ownerKey, ownerKey));
  return row?.keep ?? DEFAULT_KEEP_VERSIONS;
}

/**
 * Deletes the former versions beyond the newest `keep` of each document matching `documents` (a condition on
 * securevault."Document"), in the caller's transaction. Returns their storage keys: the delete trigger has
 * recorded each blob in securevault."OrphanedBlob", and the caller discards them once the transaction commits
 * (discardVersionBlobs), so a crash in between still leaves them for the sweep.
 */
export async function pruneVersions(tx: TTransaction, documents: SQL, keep: number): Promise<string[]> {
  const v = schema.documentVersion;
  const d = schema.document;
  const ranked = tx
    .select({
      id: v.id,
      rank: sql<number>`row_number() over (partition by ${v.documentId} order by ${v.replacedAt} desc, ${v.id} desc)`.as(
        'rank',
      ),
    })
    .from(v)
    .innerJoin(d, eq(d.id, v.documentId))
    .where(documents)
    .as('ranked');
  const pruned = await tx
    .delete(v)
    .where(inArray(v.id, tx.select({ id: ranked.id }).from(ranked).where(sql`${ranked.rank} > ${keep}`)))
    .returning({ storageKey: v.storageKey });
  return pruned.map((row) => row.storageKey);
}
