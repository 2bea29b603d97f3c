import { AppError, parseJsonBody } from '@omg/platform';
import { z } from 'zod';
import { auth } from '@/lib/auth/auth';
import { createPortalSession } from '@/lib/billing/create-portal-session';
import { db } from '@/lib/db';
import { env } from '@/lib/env';
import { apiHandler } from '@/lib/logger';
import { stripe } from '@/lib/stripe/client';

// Nothing is taken from the client: the customer is the session's, and the way back is always the billing page.
const ZPortalBodySchema = z.object({});

/** POST {} → { url } of the Stripe customer portal (payment methods and invoices). */
export const POST = apiHandler(async (request) => {
  const session = await auth().api.getSession({ headers: request.headers });
  if (!session) throw new AppError('UNAUTHORIZED', 'Log in to manage your payment methods.');
  await parseJsonBody(request, ZPortalBodySchema);
  const result = await createPortalSession(db(), stripe(), {
    userId: session.user.id,
    returnUrl: `${env().HUB_URL}/billing`,
  });
  return Response.json(result);
});
