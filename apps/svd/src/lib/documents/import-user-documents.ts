import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, type Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { schema, type TDatabase } from '@omg/db';
import { AppError, type TLogger } from '@omg/platform';
import { and, eq, isNull, sql } from 'drizzle-orm';
import mime from 'mime-types';
import { z } from 'zod';
import { getVaultStatus } from '../entitlements/get-vault-status';
import { formatBytes } from '../format-bytes';
import type { TBlobStore } from '../storage';
import { DEFAULT_VAULT_NAME } from './list-vaults';
import { ZDocumentNameSchema } from './names';
import { uploadDocument } from './upload-document';

export const ZImportUserDocumentsInputSchema = z.object({
  userId: z.string().min(1),
  /** The customer's own folder (`DIR/<email>`); a folder that does not exist means there is nothing to import. */
  dir: z.string().min(1),
  dryRun: z.boolean(),
});
export type TImportUserDocumentsInput = z.infer<typeof ZImportUserDocumentsInputSchema> & {
  log: TLogger;
  /** The indexing queue; tests use one of their own. */
  indexQueue?: string;
};

export interface TImportUserDocumentsReport {
  /** Paths relative to `dir`, with `/` between folders, sorted. */
  imported: string[];
  /** Files whose content (SHA-256) the user already has, in any vault: a second run skips everything. */
  skipped: string[];
  /** Files refused (over a plan limit or the quota, unreadable, no usable name), each with the reason. */
  rejected: { file: string; reason: string }[];
}

/**
 * Imports a migrated customer's existing files into their SecureVault (SPEC §7). Every regular file under `dir`,
 * at any depth, goes into the user's "My documents" vault (created, as on a first visit, if missing) under its own
 * file name — subfolders are not recreated as vaults, so where a file lands never depends on how the export was
 * laid out; the report names each file by its path. Files are taken in path order and stored exactly like an
 * upload (uploadDocument: encrypted, reserved against the quota under the per-user lock, queued for indexing,
 * which charges the month's processing units while they allow). A file whose content the user already has is skipped; one over the plan's
 * file-size limit or the free storage is rejected with the reason and the rest go on. Symbolic links are
 * rejected, never followed (they could point outside the customer's folder).
 *
 * `dryRun` reads and hashes every file and writes nothing: limits are predicted from the current usage, so the
 * report matches what a real run would do unless usage changes in between.
 */
export async function importUserDocuments(
  db: TDatabase,
  storage: { store: TBlobStore; masterKey: Buffer },
  input: TImportUserDocumentsInput,
): Promise<TImportUserDocumentsReport> {
  const { userId, dir, dryRun } = ZImportUserDocumentsInputSchema.parse(input);
  const { log } = input;
  const report: TImportUserDocumentsReport = { imported: [], skipped: [], rejected: [] };
  const entries = await listEntries(dir);
  if (entries === null) {
    log.info({ userId, dir }, 'no documents folder for this customer; nothing to import');
    return report;
  }

  // Created on the first file to store, so a folder with nothing new leaves the user's SVD untouched.
  let vaultId: string | undefined;
  // Only the dry run predicts limits; a real run leaves them to uploadDocument, which enforces them atomically.
  const predicted = dryRun ? await predictLimits(db, userId) : null;
  const seen = new Set<string>();

  for (const entry of entries) {
    const file = path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
    const reject = (reason: string) => report.rejected.push({ file, reason });
    if (entry.isDirectory()) continue;
    if (entry.isSymbolicLink()) {
      reject('A symbolic link; only regular files are imported.');
      continue;
    }
    if (!entry.isFile()) {
      reject('Not a regular file.');
      continue;
    }
    const name = ZDocumentNameSchema.safeParse(entry.name);
    if (!name.success) {
      reject(name.error.issues[0]?.message ?? 'The file name cannot be used.');
      continue;
    }
    const fullPath = path.join(entry.parentPath, entry.name);
    let sha256: string;
    let sizeBytes: number;
    try {
      sizeBytes = (await stat(fullPath)).size;
      sha256 = await hashFile(fullPath);
    } catch (error) {
      reject(`Could not read the file: ${fsReason(error)}`);
      continue;
    }
    // The same content twice in one folder is one document, in a dry run as in a real one.
    if (seen.has(sha256) || (await userHasContent(db, userId, sha256))) {
      report.skipped.push(file);
      continue;
    }

    if (predicted) {
      const refusal = predicted.refuse(name.data, sizeBytes);
      if (refusal) reject(refusal);
      else {
        seen.add(sha256);
        report.imported.push(file);
      }
      continue;
    }

    vaultId ??= await ensureVault(db, userId);
    try {
      await uploadDocument(db, storage, {
        userId,
        vaultId,
        fileName: name.data,
        mimeType: mime.lookup(name.data) || 'application/octet-stream',
        declaredBytes: sizeBytes,
        body: createReadStream(fullPath),
        log,
        indexQueue: input.indexQueue,
      });
      seen.add(sha256);
      report.imported.push(file);
    } catch (error) {
      // Limits, quota and a file that shrank or grew under us are the customer's problem, reported per file;
      // anything else (the database, the store) is ours and stops the import.
      if (error instanceof AppError) reject(error.message);
      else if (isFsError(error)) reject(`Could not read the file: ${fsReason(error)}`);
      else throw error;
    }
  }
  log.info(
    {
      userId,
      dryRun,
      imported: report.imported.length,
      skipped: report.skipped.length,
      rejected: report.rejected.length,
    },
    'documents import finished',
  );
  return report;
}

/** Every entry under `dir`, in path order; null when `dir` does not exist. */
async function listEntries(dir: string): Promise<Dirent[] | null> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch (error) {
    if (isFsError(error) && error.code === 'ENOENT') return null;
    if (isFsError(error) && error.code === 'ENOTDIR') {
      throw new AppError('BAD_REQUEST', `${dir} is not a folder.`);
    }
    throw error;
  }
  const full = (e: Dirent) => path.join(e.parentPath, e.name);
  return entries.sort((a, b) => (full(a) < full(b) ? -1 : full(a) > full(b) ? 1 : 0));
}

/**
 * The vault imports go to: "My documents", created the way a first visit creates it (listVaults), so the user
 * finds their files where SVD would have put their first upload. Also writes the SVD profile if the user has
 * never opened SVD, from their Hub account (their first launch refreshes it).
 */
async function ensureVault(db: TDatabase, userId: string): Promise<string> {
  const [account] = await db
    .select({ email: schema.user.email, name: schema.user.name, accountType: schema.user.accountType })
    .from(schema.user)
    .where(eq(schema.user.id, userId));
  if (!account) throw new AppError('NOT_FOUND', `No Hub account ${userId} to import documents for.`);
  await db
    .insert(schema.userProfile)
    .values({
      userId,
      email: account.email,
      name: account.name,
      accountType: account.accountType ?? 'personal',
    })
    .onConflictDoNothing();
  // Two imports racing here: the unique (userId, lower(name)) index keeps one vault.
  await db
    .insert(schema.vault)
    .values({ id: randomUUID(), userId, name: DEFAULT_VAULT_NAME })
    .onConflictDoNothing();
  const [vault] = await db
    .select({ id: schema.vault.id })
    .from(schema.vault)
    .where(
      and(
        eq(schema.vault.userId, userId),
        isNull(schema.vault.organizationId),
        sql`lower(${schema.vault.name}) = lower(${DEFAULT_VAULT_NAME})`,
      ),
    );
  if (!vault) throw new Error(`the ${DEFAULT_VAULT_NAME} vault of ${userId} was not created`);
  return vault.id;
}

/** The limits uploadDocument would apply, tracked across the run from today's usage (dry run only). */
async function predictLimits(db: TDatabase, userId: string) {
  const status = await getVaultStatus(db, userId);
  const { limits } = status.entitlement;
  let free = Math.max(0, limits.storageBytes - status.storageUsedBytes);
  return {
    refuse(name: string, sizeBytes: number): string | null {
      if (status.uploadBlockedReason) return status.uploadBlockedReason;
      if (sizeBytes > limits.maxFileBytes) {
        return `“${name}” is ${formatBytes(sizeBytes)}; the ${limits.name} plan allows files up to ${formatBytes(limits.maxFileBytes)}.`;
      }
      if (sizeBytes > free) {
        return `Not enough storage for “${name}” (${formatBytes(sizeBytes)}): ${formatBytes(free)} of your ${limits.name} plan's ${formatBytes(limits.storageBytes)} is free.`;
      }
      free -= sizeBytes;
      return null;
    },
  };
}

async function userHasContent(db: TDatabase, userId: string, sha256: string): Promise<boolean> {
  const [row] = await db
    .select({ id: schema.document.id })
    .from(schema.document)
    .where(
      and(
        eq(schema.document.userId, userId),
        isNull(schema.document.organizationId),
        eq(schema.document.sha256, sha256),
      ),
    )
    .limit(1);
  return row !== undefined;
}

async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/** An error from the file system (it names a syscall); database errors carry a `code` too, but no syscall. */
function isFsError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

function fsReason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
