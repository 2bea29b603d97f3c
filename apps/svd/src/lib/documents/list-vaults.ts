import { randomUUID } from 'node:crypto';
import { schema, type TDatabase } from '@omg/db';
import { asc, eq, sql } from 'drizzle-orm';
import { isTeam, type TSpace, vaultsOf } from '../spaces/space';

export const DEFAULT_VAULT_NAME = 'My documents';
export const DEFAULT_TEAM_VAULT_NAME = 'Team documents';

export interface TVaultView {
  id: string;
  name: string;
  documentCount: number;
  sizeBytes: number;
}

/**
 * The space's vaults with their document counts; the first visit creates "My documents" (a team's first visit,
 * by any member, "Team documents"). A team member sees only the vaults open to them (spaces/space.ts).
 */
export async function listVaults(db: TDatabase, space: TSpace): Promise<TVaultView[]> {
  const rows = await db
    .select({
      id: schema.vault.id,
      name: schema.vault.name,
      // Live documents (issue 16): what is in the trash is counted in the size, not as the vault's documents.
      documentCount: sql<number>`count(${schema.document.id}) filter (where ${schema.document.state} = 'ready' and ${schema.document.trashedAt} is null)::int`,
      // Its documents and their former versions (securevault."StoredObject", as every storage sum reads it).
      sizeBytes: sql<string>`(select coalesce(sum(${schema.storedObject.sizeBytes}), 0) from ${schema.storedObject} where ${schema.storedObject.vaultId} = ${schema.vault.id} and ${schema.storedObject.state} in ('ready', 'version'))`,
    })
    .from(schema.vault)
    .leftJoin(schema.document, eq(schema.document.vaultId, schema.vault.id))
    .where(vaultsOf(space))
    .groupBy(schema.vault.id)
    .orderBy(asc(schema.vault.createdAt), asc(schema.vault.name));
  if (rows.length === 0) {
    // A member every team vault is closed to (limited to others) sees none: the team has its vaults already.
    if (
      isTeam(space) &&
      (await db.$count(schema.vault, eq(schema.vault.organizationId, space.organizationId)))
    ) {
      return [];
    }
    // Two tabs on a first visit may race here: the unique (userId, lower(name)) index keeps one.
    await db
      .insert(schema.vault)
      .values({
        id: randomUUID(),
        userId: space.userId,
        organizationId: isTeam(space) ? space.organizationId : null,
        name: isTeam(space) ? DEFAULT_TEAM_VAULT_NAME : DEFAULT_VAULT_NAME,
      })
      .onConflictDoNothing();
    return listVaults(db, space);
  }
  return rows.map((r) => ({ ...r, sizeBytes: Number(r.sizeBytes) }));
}
