import { schema, type TDatabase, type TTransaction, withAdvisoryLock } from '@omg/db';
import { AppError } from '@omg/platform';
import { and, eq, inArray, isNotNull, isNull, ne, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { folderSubtree } from '../folders/folder-tree';
import { editableFoldersOf } from '../folders/folders-of';
import { refuseFolderEdit } from '../folders/refuse-folder-edit';
import { refuseDocumentEdit } from '../spaces/refuse-document-edit';
import { editableDocumentsOf, isTeam, spaceMay, type TSpace } from '../spaces/space';
import { liveDocument, liveFolder } from './live';
import { restoredName } from './restored-name';

export const ZTrashItemParamsSchema = z.object({
  kind: z.enum(['documents', 'folders'], 'The trash holds documents and folders.'),
  id: z.string().uuid('That item is not in the trash.'),
});
export type TTrashItemParams = z.infer<typeof ZTrashItemParamsSchema>;

export interface TRestoreResult {
  kind: 'document' | 'folder';
  id: string;
  vaultId: string;
  /** Where it went: its own folder, or null = the vault's root (its folder is gone or still in the trash). */
  folderId: string | null;
  name: string;
  /** Its name in the trash, when a live sibling had it and it was restored as "… (restored)". */
  renamedFrom: string | null;
  /** Its folder was gone or in the trash, so it went to the vault's root. */
  movedToRoot: boolean;
  /** What happened, in words for the person. */
  message: string;
}

const MAX_ATTEMPTS = 50;

/** A name no live sibling has (case-insensitively), trying "(restored)", "(restored 2)", … */
async function freeName(
  tx: TTransaction,
  name: string,
  kind: 'document' | 'folder',
  taken: (candidate: string) => SQL,
): Promise<string> {
  const table = kind === 'document' ? schema.document : schema.folder;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const candidate = attempt === 0 ? name : restoredName(name, attempt, kind);
    const [clash] = await tx.select({ id: table.id }).from(table).where(taken(candidate)).limit(1);
    if (!clash) return candidate;
  }
  throw new AppError('CONFLICT', `Too many items called “${name}” here. Rename one, then restore again.`);
}

function describe(result: Omit<TRestoreResult, 'message'>, place: string): string {
  let text = `Restored “${result.renamedFrom ?? result.name}”`;
  if (result.movedToRoot) text += ` to the root of ${place}, because its folder is no longer there`;
  if (result.renamedFrom) {
    text += `${result.movedToRoot ? ',' : ''} as “${result.name}”, because something live there already has its name`;
  }
  return `${text}.`;
}

/**
 * Restores a document or a folder from the trash (issue 16 §3) into its own folder — or, if that folder is gone
 * or in the trash, the vault's root — renamed "… (restored)" when a live sibling has its name; the answer says
 * which. A folder comes back with exactly what was deleted with it (the same trashedAt stamp).
 *
 * Read-only plans (over the limit, canceled) may restore too: trashed bytes never stopped counting against
 * storage, so a restore adds no data and needs no quota — refusing it would only keep a person from their own
 * documents. Who may: as for deleting (a member their own items, owners and admins all, viewers none).
 */
export async function restoreFromTrash(
  db: TDatabase,
  input: TSpace & TTrashItemParams,
): Promise<TRestoreResult> {
  return input.kind === 'documents' ? restoreDocument(db, input) : restoreFolder(db, input);
}

async function vaultName(tx: TTransaction, vaultId: string) {
  const [vault] = await tx
    .select({ name: schema.vault.name })
    .from(schema.vault)
    .where(eq(schema.vault.id, vaultId));
  return `“${vault?.name ?? 'the vault'}”`;
}

async function restoreDocument(db: TDatabase, input: TSpace & { id: string }): Promise<TRestoreResult> {
  const d = schema.document;
  const f = schema.folder;
  const editable = editableDocumentsOf(input);
  const [row] = await db
    .select()
    .from(d)
    .where(and(eq(d.id, input.id), editable, eq(d.state, 'ready'), isNotNull(d.trashedAt)));
  if (!row) return refuseDocumentEdit(db, input, input.id);
  return withAdvisoryLock(db, `svd-folders:${row.vaultId}`, async (tx) => {
    const [home] = row.folderId
      ? await tx
          .select({ id: f.id })
          .from(f)
          .where(and(eq(f.id, row.folderId), liveFolder))
      : [];
    const folderId = home?.id ?? null;
    const name = await freeName(
      tx,
      row.name,
      'document',
      (candidate) =>
        and(
          eq(d.vaultId, row.vaultId),
          folderId ? eq(d.folderId, folderId) : isNull(d.folderId),
          liveDocument,
          eq(d.state, 'ready'),
          sql`lower(${d.name}) = lower(${candidate})`,
        ) as SQL,
    );
    const [restored] = await tx
      .update(d)
      .set({ trashedAt: null, folderId, name, updatedAt: sql`now()` })
      .where(and(eq(d.id, row.id), isNotNull(d.trashedAt)))
      .returning({ id: d.id });
    if (!restored) throw new AppError('NOT_FOUND', 'That item is not in the trash.');
    const result = {
      kind: 'document' as const,
      id: row.id,
      vaultId: row.vaultId,
      folderId,
      name,
      renamedFrom: name === row.name ? null : row.name,
      movedToRoot: row.folderId !== null && folderId === null,
    };
    return { ...result, message: describe(result, await vaultName(tx, row.vaultId)) };
  });
}

async function restoreFolder(db: TDatabase, input: TSpace & { id: string }): Promise<TRestoreResult> {
  const f = schema.folder;
  const d = schema.document;
  const editable = editableFoldersOf(input);
  const [row] = await db
    .select()
    .from(f)
    .where(and(eq(f.id, input.id), editable, isNotNull(f.trashedAt)));
  if (!row?.trashedAt) return refuseFolderEdit(db, input, input.id);
  const stamp = row.trashedAt;
  return withAdvisoryLock(db, `svd-folders:${row.vaultId}`, async (tx) => {
    const subtree = folderSubtree(row.id);
    if (isTeam(input) && !spaceMay(input, 'manage')) {
      const [foreign] = await tx
        .select({ id: d.id })
        .from(d)
        .where(and(inArray(d.folderId, subtree), eq(d.trashedAt, stamp), ne(d.userId, input.userId)))
        .limit(1);
      if (foreign) {
        throw new AppError(
          'FORBIDDEN',
          'This folder was deleted with documents another member uploaded. Only the team’s owner and admins can restore it.',
        );
      }
    }
    const [parent] = row.parentId
      ? await tx
          .select({ id: f.id })
          .from(f)
          .where(and(eq(f.id, row.parentId), liveFolder))
      : [];
    const parentId = parent?.id ?? null;
    const name = await freeName(
      tx,
      row.name,
      'folder',
      (candidate) =>
        and(
          eq(f.vaultId, row.vaultId),
          parentId ? eq(f.parentId, parentId) : isNull(f.parentId),
          liveFolder,
          sql`lower(${f.name}) = lower(${candidate})`,
        ) as SQL,
    );
    await tx
      .update(f)
      .set({ trashedAt: null, parentId, name, updatedAt: sql`now()` })
      .where(eq(f.id, row.id));
    // Below it, exactly what went with it: the same stamp. Earlier deletions keep theirs and stay in the trash.
    await tx
      .update(f)
      .set({ trashedAt: null })
      .where(and(inArray(f.id, subtree), eq(f.trashedAt, stamp)));
    await tx
      .update(d)
      .set({ trashedAt: null })
      .where(and(inArray(d.folderId, subtree), eq(d.trashedAt, stamp)));
    const result = {
      kind: 'folder' as const,
      id: row.id,
      vaultId: row.vaultId,
      folderId: parentId,
      name,
      renamedFrom: name === row.name ? null : row.name,
      movedToRoot: row.parentId !== null && parentId === null,
    };
    return { ...result, message: describe(result, await vaultName(tx, row.vaultId)) };
  });
}
