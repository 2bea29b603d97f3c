import type { schema } from '@omg/db';
import { z } from 'zod';

/** `/api/documents/[id]` and its download: an id that is not even a UUID is as missing as an unknown one. */
export const ZDocumentParamsSchema = z.object({ id: z.string().uuid('That document does not exist.') });

export interface TDocumentView {
  id: string;
  vaultId: string;
  /** Who uploaded it (in a team, members may change only their own uploads: spaces/space-capabilities.ts). */
  uploadedBy: string;
  /** The folder it sits in (issue 16), null = the vault's root. */
  folderId: string | null;
  name: string;
  mimeType: string;
  sizeBytes: number;
  indexStatus: string;
  indexNote: string | null;
  processingUnits: number;
  pages: number | null;
  createdAt: string;
  updatedAt: string;
}

/** The search text is never part of a view, so a listing need not read it (it is most of a row's bytes). */
export function toDocumentView(
  row: Omit<typeof schema.document.$inferSelect, 'textContent' | 'searchVector'>,
): TDocumentView {
  return {
    id: row.id,
    vaultId: row.vaultId,
    uploadedBy: row.userId,
    folderId: row.folderId,
    name: row.name,
    mimeType: row.mimeType,
    sizeBytes: row.sizeBytes,
    indexStatus: row.indexStatus,
    indexNote: row.indexNote,
    processingUnits: row.processingUnits,
    pages: row.pages,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
