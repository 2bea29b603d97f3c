import { schema } from '@omg/db';
import { and, eq, isNull, type SQL } from 'drizzle-orm';
import { isTeam, spaceMay, type TSpace } from '../spaces/space';

/**
 * The links a user sees and may revoke: all of a personal space's (its owner made them all); in a team, every
 * link of the team for owners and admins, their own for members (viewers make none). The space is the link's
 * own organizationId, set from the document's when it was made.
 */
export function shareLinksOf(space: TSpace): SQL {
  const l = schema.shareLink;
  if (!isTeam(space)) return and(eq(l.userId, space.userId), isNull(l.organizationId)) as SQL;
  if (spaceMay(space, 'manage')) return eq(l.organizationId, space.organizationId);
  return and(eq(l.organizationId, space.organizationId), eq(l.userId, space.userId)) as SQL;
}
