import { randomUUID } from 'node:crypto';
import { schema, type TDatabase } from '@omg/db';
import { clientAddressOf } from '@omg/platform';
import { isTeam, type TSpace } from '../spaces/space';

export type TTeamAction =
  | 'upload'
  | 'download'
  | 'rename'
  | 'move'
  | 'delete'
  | 'create_vault'
  | 'rename_vault'
  | 'delete_vault'
  // Issue 16: folders and the trash (deleting a document or folder to the trash is still 'delete').
  | 'create_folder'
  | 'rename_folder'
  | 'move_folder'
  | 'restore'
  | 'delete_permanently'
  | 'empty_trash'
  | 'new_version'
  | 'restore_version'
  | 'share_create'
  | 'share_revoke'
  | 'share_use'
  // Issue 15: an owner or admin limited a vault to some members, or opened it to the whole team again.
  | 'limit_vault'
  | 'open_vault';

/**
 * One entry of a team's activity log (issue 15): who did what, to which document or vault, from which address
 * (the platform's resolved client address, never a header the client wrote). Personal spaces are not logged.
 * Written after the action succeeded, so a refused request leaves no entry.
 */
export async function recordTeamActivity(
  db: TDatabase,
  space: TSpace,
  request: Request,
  entry: {
    action: TTeamAction;
    subject: string;
    documentId?: string;
    vaultId?: string;
    details?: Record<string, string>;
  },
): Promise<void> {
  if (!isTeam(space)) return;
  await db.insert(schema.teamActivity).values({
    id: randomUUID(),
    organizationId: space.organizationId,
    userId: space.userId,
    action: entry.action,
    subject: entry.subject,
    documentId: entry.documentId ?? null,
    vaultId: entry.vaultId ?? null,
    details: entry.details ?? null,
    ipAddress: clientAddressOf(request.headers),
  });
}
