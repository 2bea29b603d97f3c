import { schema, type TDatabase } from '@omg/db';
import { and, isNotNull, sql } from 'drizzle-orm';
import { documentsOf, type TSpace } from '../spaces/space';

/** The bytes in the space's trash: part of the storage used (shown as "incl. X in trash"), until emptied. */
export async function trashUsage(
  db: TDatabase,
  space: TSpace,
): Promise<{ bytes: number; documents: number }> {
  const d = schema.document;
  const [row] = await db
    .select({ bytes: sql<string>`coalesce(sum(${d.sizeBytes}), 0)`, documents: sql<number>`count(*)::int` })
    .from(d)
    .where(and(documentsOf(space), isNotNull(d.trashedAt)));
  return { bytes: Number(row?.bytes ?? 0), documents: row?.documents ?? 0 };
}
