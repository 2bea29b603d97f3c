import { z } from 'zod';

/** At most this many documents per bulk request: a page of selections, not a way around per-request limits. */
export const MAX_BULK_DOCUMENTS = 1000;

/**
 * The selected documents' ids: 1 to 1000, each a UUID (anything else names no document); a document selected
 * twice is acted on once.
 */
export const ZBulkIdsSchema = z
  .array(z.string('Each selected document is an id.').uuid('That document does not exist.'), {
    error: 'Select the documents as a list of ids.',
  })
  .min(1, 'Select at least one document.')
  .max(MAX_BULK_DOCUMENTS, `Select at most ${MAX_BULK_DOCUMENTS} documents at a time.`)
  .transform((ids) => [...new Set(ids)]);

export const ZBulkSchema = z.object({ ids: ZBulkIdsSchema });
export type TBulk = z.infer<typeof ZBulkSchema>;

/** Move the selection into a folder (null = a vault's root: `vaultId`, or each document's own vault). */
export const ZBulkMoveSchema = z.object({
  ids: ZBulkIdsSchema,
  folderId: z.string().uuid('That folder does not exist.').nullable(),
  vaultId: z.string().uuid('Choose a vault.').optional(),
});
export type TBulkMove = z.infer<typeof ZBulkMoveSchema>;
