import { AppError } from '@omg/platform';
import { z } from 'zod';
import { auth } from '../auth/auth';
import { db } from '../db';
import { findMembership } from './find-membership';
import { callOrganizationApi } from './organization-api-error';

/** The body of POST /api/organizations/active: an organization's id, or null for "Personal". */
export const ZSetActiveOrganizationSchema = z.object({
  organizationId: z.string().min(1).max(200).nullable(),
});
export type TSetActiveOrganization = z.infer<typeof ZSetActiveOrganizationSchema>;

/** The header's switcher: makes one of the user's organizations (or Personal) the session's active account. */
export async function setActiveOrganization(
  headers: Headers,
  userId: string,
  input: TSetActiveOrganization,
): Promise<{ organizationId: string | null }> {
  if (input.organizationId !== null) {
    const membership = await findMembership(db(), { userId, organizationId: input.organizationId });
    if (!membership) {
      throw new AppError('NOT_FOUND', 'This business account does not exist, or you are not a member.');
    }
  }
  await callOrganizationApi(() =>
    auth().api.setActiveOrganization({ headers, body: { organizationId: input.organizationId } }),
  );
  return { organizationId: input.organizationId };
}
