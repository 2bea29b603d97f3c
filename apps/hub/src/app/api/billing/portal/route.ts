import { apiRoute } from '@/lib/api-route';
import { createPortalSession, ZCreatePortalSessionSchema } from '@/lib/billing/create-portal-session';
import { db } from '@/lib/db';
import { env } from '@/lib/env';
import { stripe } from '@/lib/stripe/client';

/** POST {} → { url } of the Stripe customer portal (payment methods and invoices). */
export const POST = apiRoute({ body: ZCreatePortalSessionSchema }, async ({ session }) => {
  const result = await createPortalSession(db(), stripe(), {
    userId: session.user.id,
    returnUrl: `${env().HUB_URL}/billing`,
  });
  return Response.json(result);
});
