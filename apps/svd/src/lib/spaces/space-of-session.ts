import { AppError } from '@omg/platform';
import type { TSvdSession } from '../auth/session';
import type { TSpace } from './space';

/**
 * The space a session works in: personal, or the team it was launched into with the role core."Membership" gives
 * the user now (findSvdSession reads it on every request). A user removed from the team — or whose team is gone —
 * is refused here on their very next request, whatever the launch token said.
 */
export function spaceOf(session: TSvdSession): TSpace {
  if (!session.organizationId) return { userId: session.userId };
  if (!session.team) {
    throw new AppError(
      'FORBIDDEN',
      'You are no longer a member of this team. Open SecureVault Docs again from your OMG portal.',
      { details: { reason: 'not_a_member' } },
    );
  }
  return { userId: session.userId, organizationId: session.team.organizationId, role: session.team.role };
}
