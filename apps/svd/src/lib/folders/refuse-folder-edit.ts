import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { and, eq } from 'drizzle-orm';
import { isTeam, type TSpace } from '../spaces/space';
import { foldersOf } from './folders-of';

/**
 * Why a rename, move, delete or restore found no folder it may change — as refuseDocumentEdit: a team member
 * asking for a folder a teammate created (which they can see) gets 403 saying so; anything else is a 404.
 */
export async function refuseFolderEdit(db: TDatabase, space: TSpace, folderId: string): Promise<never> {
  if (isTeam(space)) {
    const f = schema.folder;
    const [visible] = await db
      .select({ id: f.id })
      .from(f)
      .where(and(eq(f.id, folderId), foldersOf(space)));
    if (visible) {
      throw new AppError('FORBIDDEN', 'Members can rename, move and delete only the folders they created.');
    }
  }
  throw new AppError('NOT_FOUND', 'That folder does not exist.');
}
