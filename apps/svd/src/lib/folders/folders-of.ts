import { schema } from '@omg/db';
import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { isTeam, requireSpaceAction, spaceMay, type TSpace, vaultsOf } from '../spaces/space';

/**
 * The folders of the space this user may see: those in the space's vaults as vaultsOf sees them (a personal
 * space's own, a team's — less any vault limited to other members), trashed or not.
 */
export function foldersOf(space: TSpace): SQL {
  const f = schema.folder;
  const v = schema.vault;
  return inArray(f.vaultId, sql`(select ${v.id} from ${v} where ${vaultsOf(space)})`);
}

/**
 * The folders this user may rename, move, delete or restore — as editableDocumentsOf for documents: all of a
 * personal space's; in a team, every folder for owners and admins, the ones they created for members, none for
 * viewers (403 before any read).
 */
export function editableFoldersOf(space: TSpace): SQL {
  requireSpaceAction(space, 'write');
  if (!isTeam(space) || spaceMay(space, 'manage')) return foldersOf(space);
  return and(foldersOf(space), eq(schema.folder.userId, space.userId)) as SQL;
}
