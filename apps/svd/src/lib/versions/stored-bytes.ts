import { schema } from '@omg/db';
import { and, eq, isNull, type SQL, sql } from 'drizzle-orm';
import type { TSpaceRef } from '../spaces/space';

/**
 * The stored objects (securevault."StoredObject": documents, reservations, trashed documents and former
 * versions) a space's quota counts: every one of the team's, whatever vaults a member may see, or every one
 * of the person's own (the pooled space, not what the caller may list).
 */
export function storedObjectsOf(space: TSpaceRef): SQL {
  const o = schema.storedObject;
  return space.organizationId
    ? eq(o.organizationId, space.organizationId)
    : (and(eq(o.userId, space.userId), isNull(o.organizationId)) as SQL);
}

/**
 * The storage a space uses, in bytes, as one scalar subquery: THE sum behind the quota (getVaultStatus shows
 * it, reserveUpload checks it under the space's lock), so versions and reservations count the same everywhere.
 */
export function storedBytesOf(space: TSpaceRef): SQL<string> {
  const o = schema.storedObject;
  return sql<string>`(select coalesce(sum(${o.sizeBytes}), 0) from ${o} where ${storedObjectsOf(space)})`;
}
