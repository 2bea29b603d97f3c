import { schema, type TDatabase } from '@omg/db';
import { and, desc, eq, sql } from 'drizzle-orm';

export interface TMemberUsage {
  userId: string;
  email: string | null;
  name: string | null;
  /** Null for someone who uploaded and has since left: their documents stay the team's and still count. */
  role: string | null;
  storageBytes: number;
  documentCount: number;
}

/**
 * What each member's uploads take of the team's pooled storage (issue 15, shown to owners and admins): every
 * current member (zero if they uploaded nothing) and every former member whose uploads are still in the team's
 * vaults — in one statement, largest first.
 */
export async function listMemberUsage(db: TDatabase, organizationId: string): Promise<TMemberUsage[]> {
  // securevault."StoredObject": documents, reservations and former versions (a version counts for its
  // document's uploader, the member whose document it is), as every storage sum reads it.
  const o = schema.storedObject;
  const m = schema.membership;
  const u = schema.user;
  const uploads = db
    .select({
      userId: o.userId,
      storageBytes: sql<string>`sum(${o.sizeBytes})`.as('storageBytes'),
      documentCount: sql<number>`(count(*) filter (where ${o.state} = 'ready'))::int`.as('documentCount'),
    })
    .from(o)
    .where(eq(o.organizationId, organizationId))
    .groupBy(o.userId)
    .as('uploads');
  const members = db
    .select({ userId: m.userId, role: m.role })
    .from(m)
    .where(eq(m.organizationId, organizationId))
    .as('members');
  const rows = await db
    .select({
      userId: sql<string>`coalesce(${members.userId}, ${uploads.userId})`,
      role: members.role,
      storageBytes: sql<string>`coalesce(${uploads.storageBytes}, 0)`,
      documentCount: sql<number>`coalesce(${uploads.documentCount}, 0)`,
      email: u.email,
      name: u.name,
    })
    .from(members)
    .fullJoin(uploads, eq(uploads.userId, members.userId))
    .leftJoin(u, and(eq(u.id, sql`coalesce(${members.userId}, ${uploads.userId})`)))
    .orderBy(desc(sql`coalesce(${uploads.storageBytes}, 0)`), u.email);
  return rows.map((r) => ({
    ...r,
    storageBytes: Number(r.storageBytes),
    documentCount: Number(r.documentCount),
  }));
}
