import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';
import { createOrganization, ZCreateOrganizationSchema } from '@/lib/organizations/create-organization';
import { listMyOrganizations } from '@/lib/organizations/list-my-organizations';

/** GET /api/organizations → { organizations }: the caller's business accounts with their role in each. */
export const GET = apiRoute({}, async ({ session }) => {
  const organizations = await listMyOrganizations(db(), session.user.id);
  return Response.json({ organizations });
});

/** POST /api/organizations { name, billingEmail } → 201 { organization }: a new business account, the caller its owner. */
export const POST = apiRoute({ body: ZCreateOrganizationSchema }, async ({ request, body }) => {
  const organization = await createOrganization(request.headers, body);
  return Response.json({ organization }, { status: 201 });
});
