import { randomBytes } from 'node:crypto';
import { AppError, isUniqueViolation } from '@omg/platform';
import { z } from 'zod';
import { auth } from '../auth/auth';
import { callOrganizationApi } from './organization-api-error';
import { slugFromName, ZOrganizationEmailSchema, ZOrganizationNameSchema } from './organization-name';

/** The body of POST /api/organizations. */
export const ZCreateOrganizationSchema = z.object({
  name: ZOrganizationNameSchema,
  billingEmail: ZOrganizationEmailSchema,
});
export type TCreateOrganization = z.infer<typeof ZCreateOrganizationSchema>;

const SLUG_ATTEMPTS = 5;

/**
 * Creates a business account with the signed-in user as its owner (better-auth's organization plugin, in one
 * transaction). The slug comes from the name; a taken one gets a short random suffix. The session's active
 * account stays as it was: the header's switcher changes it.
 */
export async function createOrganization(
  headers: Headers,
  input: TCreateOrganization,
): Promise<{ id: string; slug: string; name: string }> {
  const base = slugFromName(input.name);
  for (let attempt = 0; attempt < SLUG_ATTEMPTS; attempt += 1) {
    const slug = attempt === 0 ? base : `${base}-${randomBytes(3).toString('hex')}`;
    try {
      const created = await callOrganizationApi(() =>
        auth().api.createOrganization({
          headers,
          body: {
            name: input.name,
            slug,
            billingEmail: input.billingEmail,
            keepCurrentActiveOrganization: true,
          },
        }),
      );
      if (!created) throw new AppError('INTERNAL', 'The business account could not be created.');
      return { id: created.id, slug: created.slug, name: created.name };
    } catch (error) {
      // The plugin says ORGANIZATION_ALREADY_EXISTS when the slug is taken; the unique index says it in a race.
      const code = error instanceof AppError ? error.details?.code : null;
      const taken =
        code === 'ORGANIZATION_ALREADY_EXISTS' ||
        code === 'ORGANIZATION_SLUG_ALREADY_TAKEN' ||
        isUniqueViolation(error);
      if (!taken) throw error;
    }
  }
  throw new AppError(
    'CONFLICT',
    'Could not find a free address for this name. Try a slightly different name.',
  );
}
