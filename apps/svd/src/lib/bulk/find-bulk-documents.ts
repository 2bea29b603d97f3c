import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { and, eq, inArray } from 'drizzle-orm';
import { documentsOf, editableDocumentsOf, type TSpace } from '../spaces/space';
import { liveDocument } from '../trash/live';

type TDocumentRow = typeof schema.document.$inferSelect;

/**
 * The selected live documents, in the order selected — all of them or none: if any id is not a live
 * document of the space (another user's or organization's, a deleted or trashed one, or never one) the whole
 * request is refused with 404 and those ids in details.missing; with `edit`, ids the caller may see but not
 * change (a teammate's upload, for a member) are refused with 403 and details.forbidden. Nothing is ever
 * silently left out or included.
 */
export async function findBulkDocuments(
  db: TDatabase,
  input: TSpace & { ids: readonly string[]; edit: boolean },
): Promise<TDocumentRow[]> {
  const d = schema.document;
  const visible = await db
    .select()
    .from(d)
    .where(and(inArray(d.id, [...input.ids]), documentsOf(input), eq(d.state, 'ready'), liveDocument));
  const byId = new Map(visible.map((row) => [row.id, row]));
  const missing = input.ids.filter((id) => !byId.has(id));
  if (missing.length) {
    throw new AppError(
      'NOT_FOUND',
      missing.length === 1
        ? 'One of the selected documents does not exist (any more). Nothing was done.'
        : `${missing.length} of the selected documents do not exist (any more). Nothing was done.`,
      { details: { missing } },
    );
  }
  if (input.edit) {
    const editable = new Set(
      (
        await db
          .select({ id: d.id })
          .from(d)
          .where(and(inArray(d.id, [...input.ids]), editableDocumentsOf(input)))
      ).map((row) => row.id),
    );
    const forbidden = input.ids.filter((id) => !editable.has(id));
    if (forbidden.length) {
      throw new AppError(
        'FORBIDDEN',
        'Members can move and delete only the documents they uploaded; the selection includes a teammate’s. Nothing was done.',
        { details: { forbidden } },
      );
    }
  }
  return input.ids.map((id) => byId.get(id) as TDocumentRow);
}
