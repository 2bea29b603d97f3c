import { apiRoute } from '@/lib/api-route';
import { createPortalSession, ZCreatePortalSessionSchema } from '@/lib/billing/create-portal-session';
import { requireBillingManager } from '@/lib/billing/require-billing-manager';
import { db } from '@/lib/db';
import { env } from '@/lib/env';
import { stripe } from '@/lib/stripe/client';

/** POST {} → { url } of the Stripe customer portal (payment methods and invoices). */
export const POST = apiRoute({ body: ZCreatePortalSessionSchema }, async ({ session }) => {
  // The active business account's billing (issue 15) for its owner and admins; others get 403.
  const { organization } = await requireBillingManager(session);
  const result = await createPortalSession(db(), stripe(), {
    userId: session.user.id,
    organizationId: organization?.id,
    returnUrl: `${env().HUB_URL}/billing`,
  });
  return Response.json(result);
});
