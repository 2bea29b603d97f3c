import { index, pgSchema, text, timestamp } from 'drizzle-orm/pg-core';

/** SecureVault Docs' own data; SVD's database role owns this schema and only reads the others. */
export const securevault = pgSchema('securevault');

export const userProfile = securevault.table('UserProfile', {
  userId: text('userId').primaryKey(),
  email: text('email').notNull(),
  name: text('name'),
  accountType: text('accountType').notNull().default('personal'),
  createdAt: timestamp('createdAt').notNull().defaultNow(),
  updatedAt: timestamp('updatedAt').notNull().defaultNow(),
  lastLoginAt: timestamp('lastLoginAt'),
});

/** SVD's own sign-in sessions. The cookie holds a random token; only its SHA-256 is stored. */
export const svdSession = securevault.table(
  'Session',
  {
    id: text('id').primaryKey(),
    tokenHash: text('tokenHash').notNull().unique(),
    userId: text('userId').notNull(),
    /** The Hub session the hand-off came from: when it ends, this session ends too (single logout). */
    hubSessionId: text('hubSessionId').notNull(),
    createdAt: timestamp('createdAt').notNull().defaultNow(),
    expiresAt: timestamp('expiresAt').notNull(),
  },
  (t) => [index('Session_userId_idx').on(t.userId), index('Session_hubSessionId_idx').on(t.hubSessionId)],
);

/** Every hand-off token id ever accepted, so a token works once across all SVD instances and restarts. */
export const usedLaunchToken = securevault.table(
  'UsedLaunchToken',
  {
    jti: text('jti').primaryKey(),
    userId: text('userId').notNull(),
    usedAt: timestamp('usedAt').notNull().defaultNow(),
    /** After this the token is refused as expired anyway, so the row may be pruned. */
    expiresAt: timestamp('expiresAt').notNull(),
  },
  (t) => [index('UsedLaunchToken_expiresAt_idx').on(t.expiresAt)],
);
