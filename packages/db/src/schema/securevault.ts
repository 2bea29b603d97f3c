import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgSchema,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
// Circular on purpose (Folder references Vault, Document references Folder): both sides are read lazily.
import { folder } from './securevault-folders';

/** SecureVault Docs' own data; SVD's database role owns this schema and only reads the others. */
export const securevault = pgSchema('securevault');

export const userProfile = securevault.table(
  'UserProfile',
  {
    userId: text('userId').primaryKey(),
    email: text('email').notNull(),
    name: text('name'),
    accountType: text('accountType').notNull().default('personal'),
    createdAt: timestamp('createdAt').notNull().defaultNow(),
    updatedAt: timestamp('updatedAt').notNull().defaultNow(),
    lastLoginAt: timestamp('lastLoginAt'),
  },
  // The console's "trial ending" filter finds free trials by when they started (issue 14).
  (t) => [index('UserProfile_createdAt_idx').on(t.createdAt)],
);

/** SVD's own sign-in sessions. The cookie holds a random token; only its SHA-256 is stored. */
export const svdSession = securevault.table(
  'Session',
  {
    id: text('id').primaryKey(),
    tokenHash: text('tokenHash').notNull().unique(),
    userId: text('userId').notNull(),
    /** The Hub session the hand-off came from: when it ends, this session ends too (single logout). */
    hubSessionId: text('hubSessionId').notNull(),
    /**
     * The business account the user launched into (the verified launch token's organizationId), or null for a
     * personal launch. Only the space: the role is read from core."Membership" on every request, never kept here.
     */
    organizationId: text('organizationId'),
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

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * A folder of documents ("vault"). A personal vault has organizationId null and belongs to userId; a team vault
 * (issue 15) belongs to the organization (userId is who created it) and is shared by its members.
 */
export const vault = securevault.table(
  'Vault',
  {
    id: text('id').primaryKey(),
    userId: text('userId').notNull(),
    organizationId: text('organizationId'),
    name: text('name').notNull(),
    createdAt: timestamp('createdAt').notNull().defaultNow(),
    updatedAt: timestamp('updatedAt').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('Vault_userId_name_key')
      .on(t.userId, sql`lower(${t.name})`)
      .where(sql`${t.organizationId} IS NULL`),
    uniqueIndex('Vault_organizationId_name_key')
      .on(t.organizationId, sql`lower(${t.name})`)
      .where(sql`${t.organizationId} IS NOT NULL`),
  ],
);

/**
 * One stored document. Rows in state 'uploading' are reservations: their declared size counts against the
 * quota while the body streams in, so concurrent uploads cannot overshoot it.
 */
export const document = securevault.table(
  'Document',
  {
    id: text('id').primaryKey(),
    /** The owner of a personal document; in a team vault, who uploaded it (the document stays the team's). */
    userId: text('userId').notNull(),
    /** Set for a team vault's document (the vault's organizationId): it counts against the team's pooled quota. */
    organizationId: text('organizationId'),
    vaultId: text('vaultId')
      .notNull()
      .references(() => vault.id),
    /** The folder it sits in (issue 16; securevault-folders.ts), null = the vault's root. Kept while trashed: where restore puts it back. */
    folderId: text('folderId').references((): AnyPgColumn => folder.id),
    /** null = live; set = in the trash since then (still counted against storage). See securevault-folders.ts. */
    trashedAt: timestamp('trashedAt', { precision: 3 }),
    name: text('name').notNull(),
    mimeType: text('mimeType').notNull(),
    sizeBytes: bigint('sizeBytes', { mode: 'number' }).notNull(),
    state: text('state').notNull().default('uploading'),
    /** Drawn when the upload is reserved, before any byte is written, so a dead upload's blob can be found. */
    storageKey: text('storageKey').unique(),
    wrappedKey: text('wrappedKey'),
    sha256: text('sha256'),
    /**
     * 'pending' (its job in svd_queue has not finished) | 'indexed' | 'no_text' (read, nothing to index: images,
     * binaries) | 'not_indexed' (the period's processing units were spent) | 'failed' (the text could not be read: too
     * slow, too much memory, unreadable, or the extractor refused it; indexNote says "could not be indexed: <reason>").
     */
    indexStatus: text('indexStatus').notNull().default('pending'),
    indexNote: text('indexNote'),
    processingUnits: integer('processingUnits').notNull().default(0),
    pages: integer('pages'),
    textContent: text('textContent'),
    searchVector: tsvector('searchVector').generatedAlwaysAs(
      sql`to_tsvector('simple', coalesce("name", '') || ' ' || coalesce("textContent", ''))`,
    ),
    createdAt: timestamp('createdAt').notNull().defaultNow(),
    updatedAt: timestamp('updatedAt').notNull().defaultNow(),
  },
  (t) => [
    index('Document_userId_vaultId_idx').on(t.userId, t.vaultId),
    index('Document_organizationId_vaultId_idx').on(t.organizationId, t.vaultId),
    /** Imports skip a file the user already has (same content), found by its hash. */
    index('Document_userId_sha256_idx').on(t.userId, t.sha256),
    index('Document_searchVector_idx').using('gin', t.searchVector),
    /** Names found by likeness and by part of a word (issue 16 search: pg_trgm's <% and ILIKE '%…%'). */
    index('Document_name_trgm_idx').using('gin', t.name.op('gin_trgm_ops')),
    index('Document_folderId_idx').on(t.folderId),
    index('Document_trashedAt_idx').on(t.trashedAt),
    check('Document_state_check', sql`${t.state} IN ('uploading', 'ready')`),
    check('Document_sizeBytes_check', sql`${t.sizeBytes} >= 0`),
  ],
);

/**
 * A team's activity log (issue 15): who did what to which document or vault, when, from which address — what a
 * business customer's auditor asks for. Written by the request that did it; names are copied so an entry still
 * reads after the document is renamed or deleted. Personal spaces are not logged here.
 */
export const teamActivity = securevault.table(
  'TeamActivity',
  {
    id: text('id').primaryKey(),
    organizationId: text('organizationId').notNull(),
    userId: text('userId').notNull(),
    /**
     * 'upload' | 'download' | 'rename' | 'move' | 'delete' | 'create_vault' | 'rename_vault' | 'delete_vault' |
     * (issue 16) 'create_folder' | 'rename_folder' | 'move_folder' | 'trash' | 'restore' | 'delete_permanently' |
     * 'empty_trash' | 'share_create' | 'share_revoke' | 'share_use' (a download through a team document's link) |
     * 'new_version' | 'restore_version' | 'limit_vault' | 'open_vault' (vault access changed; details.to says whom)
     */
    action: text('action').notNull(),
    documentId: text('documentId'),
    vaultId: text('vaultId'),
    /** The document's or vault's name at the time (after a rename: the new one; details has the old). */
    subject: text('subject').notNull(),
    details: jsonb('details').$type<Record<string, string>>(),
    ipAddress: text('ipAddress'),
    createdAt: timestamp('createdAt').notNull().defaultNow(),
  },
  (t) => [
    index('TeamActivity_organizationId_createdAt_idx').on(t.organizationId, t.createdAt),
    check(
      'TeamActivity_action_check',
      sql`${t.action} IN ('upload', 'download', 'rename', 'move', 'delete', 'create_vault', 'rename_vault', 'delete_vault', 'create_folder', 'rename_folder', 'move_folder', 'trash', 'restore', 'delete_permanently', 'empty_trash', 'share_create', 'share_revoke', 'share_use', 'new_version', 'restore_version', 'limit_vault', 'open_vault')`,
    ),
  ],
);

/**
 * Processing units spent per usage period (a billing period, or a calendar month on the trial): a person's under
 * `userId`, a team's pooled units (issue 15) under `organizationId` — exactly one of them, one row per owner and
 * period. The Hub's console reads the personal rows by `userId` (roles.ts grants it those columns only).
 */
export const processingUsage = securevault.table(
  'ProcessingUsage',
  {
    id: text('id').primaryKey().default(sql`gen_random_uuid()::text`),
    userId: text('userId'),
    organizationId: text('organizationId'),
    periodStart: timestamp('periodStart').notNull(),
    unitsUsed: integer('unitsUsed').notNull().default(0),
    updatedAt: timestamp('updatedAt').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('ProcessingUsage_userId_periodStart_key')
      .on(t.userId, t.periodStart)
      .where(sql`${t.userId} IS NOT NULL`),
    uniqueIndex('ProcessingUsage_organizationId_periodStart_key')
      .on(t.organizationId, t.periodStart)
      .where(sql`${t.organizationId} IS NOT NULL`),
    check('ProcessingUsage_owner_check', sql`(${t.userId} IS NULL) <> (${t.organizationId} IS NULL)`),
  ],
);

/**
 * Encrypted blobs whose document is gone but whose deletion from the blob store failed (store down, permission
 * lost). Written instead of dropping the error, so `npm run svd:sweep-blobs` can retry the deletion later and
 * remove the row once the blob is gone. The key is enough: a blob without its row's wrapped key is unreadable.
 */
export const orphanedBlob = securevault.table(
  'OrphanedBlob',
  {
    storageKey: text('storageKey').primaryKey(),
    /**
     * Why the blob was being deleted: 'upload_failed' | 'stale_upload' | 'document_deleted' | 'upload_part' (a
     * resumable upload's stored part, no longer needed once assembled or abandoned).
     */
    reason: text('reason').notNull(),
    /** The store's error from the most recent failed attempt, for whoever finds the sweep stuck. */
    lastError: text('lastError').notNull(),
    attempts: integer('attempts').notNull().default(1),
    createdAt: timestamp('createdAt').notNull().defaultNow(),
    updatedAt: timestamp('updatedAt').notNull().defaultNow(),
  },
  (t) => [
    check(
      'OrphanedBlob_reason_check',
      sql`${t.reason} IN ('upload_failed', 'stale_upload', 'document_deleted', 'upload_part')`,
    ),
  ],
);

/**
 * What the Hub may know of a user's SVD usage (issue 14: the console's "over quota" filter and customer page):
 * per-user sums only — storage as getVaultStatus counts it for the personal space (securevault."StoredObject":
 * every personal Document row, upload reservations and former versions; a team's are the organization's) and
 * the number of stored documents — never a name, a vault or a content. The Hub's role may SELECT this view and
 * nothing else of SVD's but UserProfile's ("userId", "createdAt") and ProcessingUsage's counts (roles.ts); the
 * view runs with its owner's rights, so that grant does not open the Document table.
 */
export const userUsage = securevault
  .view('UserUsage', {
    userId: text('userId').notNull(),
    storageBytes: bigint('storageBytes', { mode: 'number' }).notNull(),
    documentCount: integer('documentCount').notNull(),
  })
  .as(
    sql`select "userId", sum("sizeBytes")::bigint as "storageBytes", (count(*) filter (where "state" = 'ready'))::int as "documentCount" from "securevault"."StoredObject" where "organizationId" is null group by "userId"`,
  );

/**
 * What the Hub may know of a user's SVD sessions (issue 14, the console's customer page): when each began and
 * ends, and which Hub session it came from (ending that one ends it: single logout) — never its id or token
 * hash. Granted to the Hub's role in roles.ts; the view runs with its owner's rights, so the table stays closed.
 */
export const sessionActivity = securevault
  .view('SessionActivity', {
    userId: text('userId').notNull(),
    hubSessionId: text('hubSessionId').notNull(),
    createdAt: timestamp('createdAt').notNull(),
    expiresAt: timestamp('expiresAt').notNull(),
  })
  .as(sql`select "userId", "hubSessionId", "createdAt", "expiresAt" from "securevault"."Session"`);

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * A resumable (tus) upload (issue 16 §7). Its securevault."Document" row, state 'uploading' at the declared
 * size, is the quota reservation; this row is how far the encrypted blob has come. Sealed segments sit in the
 * blob store as parts (`parts`, in order, each key unique so a late writer can never overwrite another's), the
 * plaintext of an unfinished segment is kept here encrypted (`tail`), and `receivedBytes` only moves once the
 * bytes it counts are stored. After completion the row stays (receivedBytes = uploadLength, completedAt) so a
 * client that missed the last answer learns the upload is done instead of starting over; the sweep
 * (`npm run svd:sweep-uploads`) deletes expired rows, and with an unfinished one its Document and parts.
 */
export const resumableUpload = securevault.table(
  'ResumableUpload',
  {
    id: text('id').primaryKey(),
    documentId: text('documentId')
      .notNull()
      .unique()
      .references(() => document.id, { onDelete: 'cascade' }),
    userId: text('userId').notNull(),
    uploadLength: bigint('uploadLength', { mode: 'number' }).notNull(),
    receivedBytes: bigint('receivedBytes', { mode: 'number' }).notNull().default(0),
    /** The tus Upload-Metadata as the client sent it (HEAD echoes it back). */
    metadata: jsonb('metadata').$type<Record<string, string | null>>().notNull(),
    /** The blob's SVD1 header (format, segment size, nonce prefix): public, authenticated by every segment. */
    header: bytea('header').notNull(),
    parts: text('parts').array().notNull().default(sql`'{}'::text[]`),
    tail: bytea('tail'),
    /**
     * The SHA-256 state of the plaintext of every sealed segment, sealed like `tail` (apps/svd upload-hash.ts),
     * so the document's sha256 is known when the last byte arrives without reading the file back. Null before
     * anything is sealed, after completion, and for uploads begun before it was kept.
     */
    hashState: bytea('hashState'),
    /** A lease, not a session lock: a PATCH holds it while it runs and renews it; a dead instance's lapses. */
    lockToken: text('lockToken'),
    lockedUntil: timestamp('lockedUntil'),
    createdAt: timestamp('createdAt').notNull().defaultNow(),
    updatedAt: timestamp('updatedAt').notNull().defaultNow(),
    /** Slides forward with every PATCH: an upload expires after a day without progress. */
    expiresAt: timestamp('expiresAt').notNull(),
    completedAt: timestamp('completedAt'),
  },
  (t) => [
    index('ResumableUpload_userId_idx').on(t.userId),
    index('ResumableUpload_expiresAt_idx').on(t.expiresAt),
    check(
      'ResumableUpload_receivedBytes_check',
      sql`${t.receivedBytes} >= 0 AND ${t.receivedBytes} <= ${t.uploadLength}`,
    ),
  ],
);
