import { AppError } from '@omg/platform';
import { z } from 'zod';
import { loadCustomer, ZCustomerPageQuerySchema } from '@/lib/admin/load-customer';
import { requireStaff } from '@/lib/admin/require-staff';
import { isStripeTestMode } from '@/lib/admin/stripe-dashboard-url';
import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';
import { env } from '@/lib/env';

/**
 * GET /api/admin/customers/[id]?before= → the customer page's data as JSON (profile, subscriptions, access and
 * its reason, SVD usage, sessions, one timeline page). The staff check comes first, so everyone else gets the
 * console's 404 whatever the id; then the id and query are validated (an unknown customer is a 404 too).
 */
export const GET = apiRoute(
  { auth: false, params: z.object({ id: z.string() }) },
  async ({ request, params }) => {
    await requireStaff(request, { role: 'support' });
    const query = ZCustomerPageQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
    const customer = await loadCustomer(db(), params.id, {
      query,
      stripeTestMode: isStripeTestMode(env().STRIPE_SECRET_KEY),
    });
    if (!customer) throw new AppError('NOT_FOUND', 'No customer has this id.');
    return Response.json(customer);
  },
);
