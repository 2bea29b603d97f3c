import { auth } from '../auth/auth';
import type { TMembership } from './find-membership';
import { callOrganizationApi } from './organization-api-error';

/**
 * Leaves a business account (anyone but the owner: requireOrganizationRole's 'leave' refuses the owner with
 * "transfer first"). If it was the session's active account, the session falls back to Personal.
 */
export async function leaveOrganization(headers: Headers, membership: TMembership): Promise<void> {
  await callOrganizationApi(() =>
    auth().api.leaveOrganization({ headers, body: { organizationId: membership.organization.id } }),
  );
}
