import { auth } from '../auth/auth';
import { db } from '../db';
import { findMembership, type TMembership } from './find-membership';

/**
 * The account the signed-in user acts for, from their session's activeOrganizationId (set by the header's
 * switcher): their membership of that organization, read fresh, or null for "Personal" — also when the session
 * points at an organization the user has since left or been removed from, or when nobody is signed in.
 */
export async function getActiveMembership(headers: Headers): Promise<TMembership | null> {
  const session = await auth().api.getSession({ headers });
  if (!session) return null;
  return activeMembershipOf(session);
}

/** The same for a session already in hand (apiRoute's `session`, a page's requireSession()). */
export async function activeMembershipOf(session: {
  user: { id: string };
  session: { activeOrganizationId?: string | null };
}): Promise<TMembership | null> {
  const organizationId = session.session.activeOrganizationId;
  if (!organizationId) return null;
  return findMembership(db(), { userId: session.user.id, organizationId });
}
