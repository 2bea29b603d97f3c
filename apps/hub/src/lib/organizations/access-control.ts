import type { TOrganizationRole } from '@omg/contract';
import { createAccessControl } from 'better-auth/plugins/access';
import { defaultStatements } from 'better-auth/plugins/organization/access';

/**
 * What each organization role may do, as better-auth's organization plugin checks it on every call. The plugin's
 * own statements (organization, member, invitation …) plus `billing`, which task F's business subscriptions check:
 * only owners and admins buy or change. Members and viewers may do nothing here but see the member list.
 */
export const organizationStatements = {
  ...defaultStatements,
  billing: ['manage'],
} as const;

export const organizationAccessControl = createAccessControl(organizationStatements);

const everything = {
  organization: ['update', 'delete'],
  member: ['create', 'update', 'delete'],
  invitation: ['create', 'cancel'],
  team: [],
  ac: ['read'],
  billing: ['manage'],
} as const;

export const organizationRoles = {
  owner: organizationAccessControl.newRole(everything),
  // Everything but deleting the organization; the plugin also keeps admins from touching the owner's role.
  admin: organizationAccessControl.newRole({ ...everything, organization: ['update'] }),
  member: organizationAccessControl.newRole({ ac: ['read'] }),
  viewer: organizationAccessControl.newRole({ ac: ['read'] }),
} satisfies Record<TOrganizationRole, unknown>;
