import { apiRoute } from '@/lib/api-route';
import { requireBillingManager } from '@/lib/billing/require-billing-manager';
import { createCheckoutSession, ZCreateCheckoutSessionSchema } from '@/lib/checkout/create-checkout-session';
import { db } from '@/lib/db';
import { env } from '@/lib/env';
import { hubOwnOrigins } from '@/lib/redirects/hub-own-origins';
import { stripe } from '@/lib/stripe/client';

/**
 * POST { productId, plan, trial?, couponCode?, returnUrl? } → { url } of the Stripe Checkout to send the user to.
 * With a business account active in the header, it buys for that organization: its owner and admins only (403).
 */
export const POST = apiRoute({ body: ZCreateCheckoutSessionSchema }, async ({ session, body }) => {
  const { organization } = await requireBillingManager(session);
  const result = await createCheckoutSession(db(), stripe(), {
    ...body,
    user: { id: session.user.id, email: session.user.email, name: session.user.name || null },
    ...(organization ? { organization } : {}),
    hubUrl: env().HUB_URL,
    allowedReturnOrigins: hubOwnOrigins(),
  });
  return Response.json(result);
});
