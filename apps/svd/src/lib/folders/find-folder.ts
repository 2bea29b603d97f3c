import { schema, type TDatabase, type TTransaction } from '@omg/db';
import { AppError } from '@omg/platform';
import { and, eq } from 'drizzle-orm';
import type { TSpace } from '../spaces/space';
import { liveFolder } from '../trash/live';
import { foldersOf } from './folders-of';

/**
 * A live folder of the space by id, optionally required to sit in `vaultId`. Another user's or team's folder, a
 * trashed one and one in another vault are all the same 404: nothing tells a caller which folder ids exist.
 */
export async function findFolder(
  db: TDatabase | TTransaction,
  input: TSpace & { folderId: string; vaultId?: string },
) {
  const f = schema.folder;
  const [row] = await db
    .select()
    .from(f)
    .where(
      and(
        eq(f.id, input.folderId),
        foldersOf(input),
        liveFolder,
        input.vaultId ? eq(f.vaultId, input.vaultId) : undefined,
      ),
    );
  if (!row) throw new AppError('NOT_FOUND', 'That folder does not exist.');
  return row;
}
