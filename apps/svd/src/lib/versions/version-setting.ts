import { schema, type TDatabase } from '@omg/db';
import { and, eq, isNull, type SQL, sql } from 'drizzle-orm';
import { isTeam, requireSpaceAction, type TSpace, usageKey } from '../spaces/space';
import { keepVersionsFor, pruneVersions } from './prune-versions';
import type { TVersionSetting } from './versions.types';

/** How many former versions the space keeps per document (its own setting, or the default). */
export async function getVersionSetting(db: TDatabase, space: TSpace): Promise<TVersionSetting> {
  requireSpaceAction(space, 'read');
  return { keepVersions: await keepVersionsFor(db, usageKey(space)) };
}

/**
 * Sets how many former versions the space keeps per document — a person for themselves, a team's owners and
 * admins for the team — and prunes at once what is beyond it in every document of the space (trashed ones
 * too), so lowering it frees the storage now. Allowed in read-only mode: it only ever removes data. Returns
 * the storage keys of the pruned versions for the caller to discard after the commit.
 */
export async function setVersionSetting(
  db: TDatabase,
  input: TSpace & TVersionSetting,
): Promise<{ setting: TVersionSetting; prunedStorageKeys: string[] }> {
  requireSpaceAction(input, isTeam(input) ? 'manage' : 'write');
  const d = schema.document;
  const documents: SQL = isTeam(input)
    ? eq(d.organizationId, input.organizationId)
    : (and(eq(d.userId, input.userId), isNull(d.organizationId)) as SQL);
  const prunedStorageKeys = await db.transaction(async (tx) => {
    await tx
      .insert(schema.versionSetting)
      .values({ ownerKey: usageKey(input), keepVersions: input.keepVersions })
      .onConflictDoUpdate({
        target: schema.versionSetting.ownerKey,
        set: { keepVersions: input.keepVersions, updatedAt: sql`now()` },
      });
    return pruneVersions(tx, documents, input.keepVersions);
  });
  return { setting: { keepVersions: input.keepVersions }, prunedStorageKeys };
}
