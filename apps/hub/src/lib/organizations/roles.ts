import { ORGANIZATION_ROLES, type TOrganizationRole } from '@omg/contract';
import { z } from 'zod';

export const ZOrganizationRoleSchema = z.enum(ORGANIZATION_ROLES);

/** A role an invitation or a role change may give: ownership only moves by transfer (exactly one owner). */
export const ASSIGNABLE_ROLES = ['admin', 'member', 'viewer'] as const satisfies readonly TOrganizationRole[];
export const ZAssignableRoleSchema = z.enum(ASSIGNABLE_ROLES, {
  error: 'Choose a role: admin, member or viewer.',
});
export type TAssignableRole = z.infer<typeof ZAssignableRoleSchema>;

/**
 * Who may do what on the Hub's organization pages and routes. better-auth's access control (access-control.ts)
 * checks the same again inside the plugin; this table is the Hub's first, table-tested answer.
 */
export const ORGANIZATION_ACTIONS = {
  view: ['owner', 'admin', 'member', 'viewer'],
  invite: ['owner', 'admin'],
  listInvitations: ['owner', 'admin'],
  revokeInvitation: ['owner', 'admin'],
  changeRole: ['owner', 'admin'],
  removeMember: ['owner', 'admin'],
  transferOwnership: ['owner'],
  manageBilling: ['owner', 'admin'],
  // The owner transfers ownership first (leave-organization.ts says so).
  leave: ['admin', 'member', 'viewer'],
} as const satisfies Record<string, readonly TOrganizationRole[]>;
export type TOrganizationAction = keyof typeof ORGANIZATION_ACTIONS;

export function roleMay(role: TOrganizationRole, action: TOrganizationAction): boolean {
  return (ORGANIZATION_ACTIONS[action] as readonly TOrganizationRole[]).includes(role);
}

/** Strongest first, as ORGANIZATION_ROLES lists them: `rank('owner') < rank('viewer')`. */
export const roleRank = (role: TOrganizationRole): number => ORGANIZATION_ROLES.indexOf(role);
