import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { and, eq } from 'drizzle-orm';
import { documentsOf, isTeam, type TSpace } from './space';

/**
 * Why a rename, move or delete found no document it may change: a team member asking for a teammate's document
 * (which they can see) is told that members change only their own uploads (403); anything else is missing (404).
 */
export async function refuseDocumentEdit(db: TDatabase, space: TSpace, documentId: string): Promise<never> {
  if (isTeam(space)) {
    const d = schema.document;
    const [visible] = await db
      .select({ id: d.id })
      .from(d)
      .where(and(eq(d.id, documentId), documentsOf(space), eq(d.state, 'ready')));
    if (visible) {
      throw new AppError(
        'FORBIDDEN',
        'Members can rename, move and delete only the documents they uploaded.',
      );
    }
  }
  throw new AppError('NOT_FOUND', 'That document does not exist.');
}
