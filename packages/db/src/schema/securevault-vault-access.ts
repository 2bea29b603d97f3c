import { sql } from 'drizzle-orm';
import { index, text, timestamp } from 'drizzle-orm/pg-core';
import { securevault, vault } from './securevault';

/**
 * A team vault limited to some of the team's members (issue 15). No row: everyone in the team sees the vault
 * (the default); a row: besides the owner and admins, who always see every vault, only the members listed in
 * `userIds` see it, its documents and its activity. Read inside the same statement as the documents on every
 * request (spaces/space.ts), so a change holds on the member's next request, like a role change. A member who
 * leaves the team loses the vault with the team; their id may stay listed (harmless: the membership is gone).
 */
export const vaultAccess = securevault.table(
  'VaultAccess',
  {
    vaultId: text('vaultId')
      .primaryKey()
      .references(() => vault.id, { onDelete: 'cascade' }),
    organizationId: text('organizationId').notNull(),
    userIds: text('userIds').array().notNull().default(sql`'{}'::text[]`),
    /** Who limited it last (an owner or admin), and when. */
    updatedBy: text('updatedBy').notNull(),
    updatedAt: timestamp('updatedAt').notNull().defaultNow(),
  },
  (t) => [index('VaultAccess_organizationId_idx').on(t.organizationId)],
);
