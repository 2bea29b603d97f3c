import { sql } from 'drizzle-orm';
import { type AnyPgColumn, index, pgSchema, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { vault } from './securevault';

// Its own handle on the schema: securevault.ts imports this file (Document.folderId), so reading its `securevault`
// while the modules load would find it uninitialised. Only lazy references (() => vault.id) cross the cycle.
const securevault = pgSchema('securevault');

/**
 * A folder inside a vault (issue 16 §1). parentId null = the vault's root. A folder never leaves its vault (a move
 * changes only parentId), so its documents' vaultId stays right without touching them.
 *
 * trashedAt null = live. Deleting a folder stamps it, every live folder below it and every live document in them
 * with ONE trashedAt value (precision 3, written from the operation, so it compares equal in SQL and in JS):
 * restore brings back exactly the rows with that stamp, and items trashed earlier on their own stay in the trash.
 */
export const folder = securevault.table(
  'Folder',
  {
    id: text('id').primaryKey(),
    vaultId: text('vaultId')
      .notNull()
      .references(() => vault.id),
    parentId: text('parentId').references((): AnyPgColumn => folder.id),
    name: text('name').notNull(),
    /** Who created it; in a team a member may rename, move and delete only the folders they created. */
    userId: text('userId').notNull(),
    /** Set in a team vault (the vault's organizationId), as on securevault."Document". */
    organizationId: text('organizationId'),
    trashedAt: timestamp('trashedAt', { precision: 3 }),
    createdAt: timestamp('createdAt').notNull().defaultNow(),
    updatedAt: timestamp('updatedAt').notNull().defaultNow(),
  },
  (t) => [
    // Live sibling names are unique case-insensitively; '' stands for the root, whose parentId is null.
    uniqueIndex('Folder_vaultId_parentId_name_key')
      .on(t.vaultId, sql`coalesce(${t.parentId}, '')`, sql`lower(${t.name})`)
      .where(sql`${t.trashedAt} IS NULL`),
    index('Folder_parentId_idx').on(t.parentId),
    index('Folder_trashedAt_idx').on(t.trashedAt),
  ],
);
