import type { TOrganizationRole } from '@omg/contract';
import type { TBillingOwner } from '@omg/db';
import type { TMembership } from '../organizations/find-membership';
import { activeMembershipOf } from '../organizations/get-active-membership';
import { roleMay } from '../organizations/roles';

/**
 * Whom billing acts for in this request (issue 15): the signed-in person, or the business account active in their
 * session (the header's switcher). Read fresh on every request: a removed member is "Personal" at once.
 */
export interface TBillingAccount {
  owner: TBillingOwner;
  /** The active organization, or null for the person's own billing. */
  organization: TMembership['organization'] | null;
  role: TOrganizationRole | null;
  /** Buy, change, cancel, add seats: always for one's own; for an organization, its owner and admins only. */
  canManage: boolean;
}

export async function getBillingAccount(session: {
  user: { id: string };
  session: { activeOrganizationId?: string | null };
}): Promise<TBillingAccount> {
  const membership = await activeMembershipOf(session);
  if (!membership) {
    return { owner: { userId: session.user.id }, organization: null, role: null, canManage: true };
  }
  return {
    owner: { organizationId: membership.organization.id },
    organization: membership.organization,
    role: membership.role,
    canManage: roleMay(membership.role, 'manageBilling'),
  };
}
