import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, text, timestamp } from 'drizzle-orm/pg-core';
import { document, securevault } from './securevault';
import { folder } from './securevault-folders';

/**
 * A share link (issue 16 §5): anyone holding its token may download one document — or one folder, as a ZIP —
 * until it expires, is revoked or
 * has served its download limit. Only the SHA-256 of the token is stored, so reading this table (a backup, a
 * leaked dump) yields no working link; the token itself is shown to its creator once and lives in the URL.
 * A link belongs to the space of its document (organizationId as on securevault."Document"); it goes with the
 * document (folder) when that is deleted for good (cascade), and stops answering while it is in the trash.
 */
export const shareLink = securevault.table(
  'ShareLink',
  {
    id: text('id').primaryKey(),
    /** base64url SHA-256 of the token (the token has 256 random bits, so no salt or slow hash is needed). */
    tokenHash: text('tokenHash').notNull().unique(),
    /** Who created the link. */
    userId: text('userId').notNull(),
    /** The team space the link belongs to; null for a personal space. */
    organizationId: text('organizationId'),
    /** Exactly one of documentId and folderId is set: what the link shares. */
    documentId: text('documentId').references(() => document.id, { onDelete: 'cascade' }),
    folderId: text('folderId').references(() => folder.id, { onDelete: 'cascade' }),
    /** argon2id (PHC string), as the Hub hashes account passwords; null = no password. */
    passwordHash: text('passwordHash'),
    expiresAt: timestamp('expiresAt', { precision: 3 }).notNull(),
    /** null = no limit. */
    downloadLimit: integer('downloadLimit'),
    /** Successful downloads so far, raised by the one UPDATE that also checks the limit. */
    downloadCount: integer('downloadCount').notNull().default(0),
    revokedAt: timestamp('revokedAt', { precision: 3 }),
    revokedBy: text('revokedBy'),
    createdAt: timestamp('createdAt', { precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    index('ShareLink_organizationId_idx').on(t.organizationId),
    index('ShareLink_userId_idx').on(t.userId),
    index('ShareLink_documentId_idx').on(t.documentId),
    index('ShareLink_folderId_idx').on(t.folderId),
    check('ShareLink_target_check', sql`num_nonnulls(${t.documentId}, ${t.folderId}) = 1`),
    check('ShareLink_downloadLimit_check', sql`${t.downloadLimit} IS NULL OR ${t.downloadLimit} > 0`),
    check(
      'ShareLink_downloadCount_check',
      sql`${t.downloadCount} >= 0 AND (${t.downloadLimit} IS NULL OR ${t.downloadCount} <= ${t.downloadLimit})`,
    ),
  ],
);

/**
 * Every use of a link that exists, for its owner: downloads and refusals (wrong password, expired, revoked,
 * exhausted, document in the trash), with the client's address as the platform resolved it.
 * A token that matches no link leaves nothing here (it has no owner to tell).
 */
export const shareLinkUse = securevault.table(
  'ShareLinkUse',
  {
    id: text('id').primaryKey(),
    shareLinkId: text('shareLinkId')
      .notNull()
      .references(() => shareLink.id, { onDelete: 'cascade' }),
    outcome: text('outcome').notNull(),
    ipAddress: text('ipAddress'),
    createdAt: timestamp('createdAt', { precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    index('ShareLinkUse_shareLinkId_createdAt_idx').on(t.shareLinkId, t.createdAt),
    check(
      'ShareLinkUse_outcome_check',
      sql`${t.outcome} IN ('downloaded', 'wrong_password', 'expired', 'revoked', 'exhausted', 'unavailable')`,
    ),
  ],
);

/**
 * SVD's attempt counters (public share pages), the same fixed-window scheme as core."RateLimit", which SVD's
 * database role may not write (roles.ts keeps SVD out of the Hub's tables). `key` is a rule name and a hash of
 * the subject; `windowStart` is milliseconds since the epoch on the database's clock.
 */
export const svdRateLimit = securevault.table('RateLimit', {
  key: text('key').primaryKey(),
  count: integer('count').notNull(),
  windowStart: bigint('windowStart', { mode: 'number' }).notNull(),
});
