import { schema, type TTransaction } from '@omg/db';
import { AppError } from '@omg/platform';
import { and, eq, ne, sql } from 'drizzle-orm';
import { editableDocumentsOf, type TSpace } from '../spaces/space';
import { liveDocument } from '../trash/live';
import { numberedName } from './numbered-name';
import type { TOnNameConflict } from './versions.types';

/**
 * Runs inside an upload's reservation transaction (reserveUpload's withReservation), so it sees the reserved
 * row and, under the space's quota lock, every other upload's: if the folder already holds a live, ready
 * document of the same name (case-insensitively), the upload does what `onConflict` says —
 *  - 'ask': refused with 409 CONFLICT and details { reason: 'name_taken', documentId, name, keepBothName }, so
 *    the client can offer "Upload as new version" or "Keep both" (nothing is stored; the transaction rolls back);
 *  - 'keep_both': the reservation is renamed "name (2).ext" (the first number no live document or upload in
 *    the folder has);
 *  - 'version': the upload is recorded as the next version of that document (securevault."VersionUpload"),
 *    which needs the right to change it (a team member their own uploads, owners and admins any; 403 else).
 */
export async function claimUploadName(
  tx: TTransaction,
  input: TSpace & { documentId: string; onConflict: TOnNameConflict },
): Promise<{ versionOf: string | null }> {
  const d = schema.document;
  const [reserved] = await tx
    .select({ vaultId: d.vaultId, folderId: d.folderId, name: d.name })
    .from(d)
    .where(eq(d.id, input.documentId));
  if (!reserved) throw new Error(`reservation ${input.documentId} is missing in its own transaction`);
  const sameFolder = and(
    eq(d.vaultId, reserved.vaultId),
    sql`${d.folderId} IS NOT DISTINCT FROM ${reserved.folderId}`,
    ne(d.id, input.documentId),
    liveDocument,
  );
  const [existing] = await tx
    .select({ id: d.id, name: d.name })
    .from(d)
    .where(and(sameFolder, eq(d.state, 'ready'), sql`lower(${d.name}) = lower(${reserved.name})`))
    .orderBy(d.createdAt)
    .limit(1);
  if (!existing) return { versionOf: null };

  if (input.onConflict === 'version') {
    const [editable] = await tx
      .select({ id: d.id })
      .from(d)
      .where(and(eq(d.id, existing.id), editableDocumentsOf(input)));
    if (!editable) {
      throw new AppError(
        'FORBIDDEN',
        `Only the team’s owners and admins can upload a new version of a teammate’s “${existing.name}”. Keep both instead.`,
      );
    }
    await tx
      .insert(schema.versionUpload)
      .values({ documentId: input.documentId, targetDocumentId: existing.id });
    return { versionOf: existing.id };
  }

  const taken = new Set(
    (
      await tx
        .select({ name: sql<string>`lower(${d.name})` })
        .from(d)
        .where(sameFolder)
    ).map((r) => r.name),
  );
  let n = 2;
  while (taken.has(numberedName(reserved.name, n).toLowerCase())) n++;
  const keepBothName = numberedName(reserved.name, n);
  if (input.onConflict === 'keep_both') {
    await tx.update(d).set({ name: keepBothName }).where(eq(d.id, input.documentId));
    return { versionOf: null };
  }
  throw new AppError(
    'CONFLICT',
    `“${existing.name}” already exists here. Upload this file as its new version, or keep both (the new one as “${keepBothName}”).`,
    { details: { reason: 'name_taken', documentId: existing.id, name: existing.name, keepBothName } },
  );
}
