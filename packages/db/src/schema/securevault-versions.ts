import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, text, timestamp } from 'drizzle-orm/pg-core';
import { document, securevault } from './securevault';

/**
 * A document's FORMER contents (issue 16 §4). The securevault."Document" row is always the current version, so
 * listings, search and share links read it unchanged; a new version moves the document's old content (blob
 * key, wrapped data key, size, hash, type) here in the transaction that makes the new one current. Each row
 * holds its own encrypted blob and counts against storage (securevault."StoredObject"). Deleting a row — a
 * prune, or the document itself being deleted (cascade) — records its blob in securevault."OrphanedBlob" by
 * trigger (migration), so no path that removes a version can leave its blob behind unnoticed.
 */
export const documentVersion = securevault.table(
  'DocumentVersion',
  {
    id: text('id').primaryKey(),
    documentId: text('documentId')
      .notNull()
      .references(() => document.id, { onDelete: 'cascade' }),
    storageKey: text('storageKey').notNull().unique(),
    wrappedKey: text('wrappedKey').notNull(),
    sizeBytes: bigint('sizeBytes', { mode: 'number' }).notNull(),
    sha256: text('sha256'),
    mimeType: text('mimeType').notNull(),
    /** Who uploaded this content (in a team, not necessarily the document's owner). */
    uploadedBy: text('uploadedBy').notNull(),
    /** When this content was uploaded (became current). */
    createdAt: timestamp('createdAt', { precision: 3 }).notNull(),
    /** When it stopped being current, and who uploaded or restored what replaced it. */
    replacedAt: timestamp('replacedAt', { precision: 3 }).notNull().defaultNow(),
    replacedBy: text('replacedBy').notNull(),
  },
  (t) => [
    index('DocumentVersion_documentId_replacedAt_idx').on(t.documentId, t.replacedAt),
    check('DocumentVersion_sizeBytes_check', sql`${t.sizeBytes} >= 0`),
  ],
);

/**
 * An upload in progress that is to become a new version of `targetDocumentId` (the user chose "Upload as new
 * version"). Its reservation is an ordinary 'uploading' Document row (`documentId`), counted against the quota
 * like any upload; when its bytes are stored, the reservation's content replaces the target's in one
 * transaction and the reservation row goes. If the target is deleted meanwhile, this row goes with it
 * (cascade) and the upload simply becomes a document of its own.
 */
export const versionUpload = securevault.table('VersionUpload', {
  documentId: text('documentId')
    .primaryKey()
    .references(() => document.id, { onDelete: 'cascade' }),
  targetDocumentId: text('targetDocumentId')
    .notNull()
    .references(() => document.id, { onDelete: 'cascade' }),
  createdAt: timestamp('createdAt', { precision: 3 }).notNull().defaultNow(),
});

/**
 * How many former versions a space keeps per document (a person's under their user id, a team's under the
 * organization id, like ProcessingUsage). No row = the default (10). Older versions are pruned when a new one
 * arrives or the setting is lowered.
 */
export const versionSetting = securevault.table(
  'VersionSetting',
  {
    ownerKey: text('ownerKey').primaryKey(),
    keepVersions: integer('keepVersions').notNull(),
    updatedAt: timestamp('updatedAt', { precision: 3 }).notNull().defaultNow(),
  },
  (t) => [check('VersionSetting_keepVersions_check', sql`${t.keepVersions} BETWEEN 0 AND 100`)],
);

/**
 * Everything that takes storage, one row per stored blob or reservation: every Document row (uploading
 * reservations, ready and trashed documents alike) and every former version, each under its document's owner,
 * team, vault and folder. The ONE definition every storage sum reads (the quota in get-vault-status and
 * reserve-upload, per-member usage, per-vault sizes, the UserUsage view the Hub reads), so a version can never
 * count in one place and not in another. state: the document's state, or 'version'.
 */
export const storedObject = securevault
  .view('StoredObject', {
    documentId: text('documentId').notNull(),
    userId: text('userId').notNull(),
    organizationId: text('organizationId'),
    vaultId: text('vaultId').notNull(),
    state: text('state').notNull(),
    sizeBytes: bigint('sizeBytes', { mode: 'number' }).notNull(),
  })
  .as(
    sql`select "id" as "documentId", "userId", "organizationId", "vaultId", "state", "sizeBytes" from "securevault"."Document" union all select d."id", d."userId", d."organizationId", d."vaultId", 'version', v."sizeBytes" from "securevault"."DocumentVersion" v join "securevault"."Document" d on d."id" = v."documentId"`,
  );
