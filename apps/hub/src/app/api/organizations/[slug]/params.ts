import { z } from 'zod';

/** The `[slug]` of every /api/organizations/[slug]/… route. */
export const ZOrganizationParamsSchema = z.object({ slug: z.string().min(1).max(200) });
