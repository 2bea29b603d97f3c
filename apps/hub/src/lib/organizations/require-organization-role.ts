import { AppError } from '@omg/platform';
import { db } from '../db';
import { findMembership, type TMembership } from './find-membership';
import { ROLE_LABELS } from './role-labels';
import { ORGANIZATION_ACTIONS, roleMay, type TOrganizationAction } from './roles';

/**
 * The guard of every organization route: the caller's membership of the organization at `slug`, if their role
 * may do `action`. Non-members (never joined, removed, left, another organization's) get 404, so an
 * organization's existence is not told to outsiders; members whose role may not get 403 saying who may.
 */
export async function requireOrganizationRole(
  userId: string,
  slug: string,
  action: TOrganizationAction,
): Promise<TMembership> {
  const membership = await findMembership(db(), { userId, slug });
  if (!membership)
    throw new AppError('NOT_FOUND', 'This business account does not exist, or you are not a member.');
  if (!roleMay(membership.role, action)) {
    if (action === 'leave') {
      throw new AppError(
        'CONFLICT',
        'You are the owner: transfer ownership to another member before you leave.',
        { details: { code: 'OWNER_CANNOT_LEAVE' } },
      );
    }
    const who = ORGANIZATION_ACTIONS[action]
      .map((role) => `${ROLE_LABELS[role].toLowerCase()}s`)
      .join(' and ');
    throw new AppError('FORBIDDEN', `Only ${who} can do this; you are ${articleFor(membership.role)}.`);
  }
  return membership;
}

const articleFor = (role: TMembership['role']) =>
  `${role === 'admin' || role === 'owner' ? 'an' : 'a'} ${role}`;
