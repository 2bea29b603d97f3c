import { randomUUID } from 'node:crypto';
import { schema, type TDatabase } from '@omg/db';
import { asc, eq, sql } from 'drizzle-orm';

export const DEFAULT_VAULT_NAME = 'My documents';

export interface TVaultView {
  id: string;
  name: string;
  documentCount: number;
  sizeBytes: number;
}

/** The user's vaults with their document counts; the first visit creates "My documents". */
export async function listVaults(db: TDatabase, { userId }: { userId: string }): Promise<TVaultView[]> {
  const rows = await db
    .select({
      id: schema.vault.id,
      name: schema.vault.name,
      documentCount: sql<number>`count(${schema.document.id}) filter (where ${schema.document.state} = 'ready')::int`,
      sizeBytes: sql<string>`coalesce(sum(${schema.document.sizeBytes}) filter (where ${schema.document.state} = 'ready'), 0)`,
    })
    .from(schema.vault)
    .leftJoin(schema.document, eq(schema.document.vaultId, schema.vault.id))
    .where(eq(schema.vault.userId, userId))
    .groupBy(schema.vault.id)
    .orderBy(asc(schema.vault.createdAt), asc(schema.vault.name));
  if (rows.length === 0) {
    // Two tabs on a first visit may race here: the unique (userId, lower(name)) index keeps one.
    await db
      .insert(schema.vault)
      .values({ id: randomUUID(), userId, name: DEFAULT_VAULT_NAME })
      .onConflictDoNothing();
    return listVaults(db, { userId });
  }
  return rows.map((r) => ({ ...r, sizeBytes: Number(r.sizeBytes) }));
}
