import { pgSchema, text, timestamp } from 'drizzle-orm/pg-core';

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
