import { AppError, parseJsonBody } from '@omg/platform';
import { auth } from '@/lib/auth/auth';
import { createCheckoutSession, ZCreateCheckoutSessionSchema } from '@/lib/checkout/create-checkout-session';
import { db } from '@/lib/db';
import { env } from '@/lib/env';
import { apiHandler } from '@/lib/logger';
import { hubOwnOrigins } from '@/lib/redirects/hub-own-origins';
import { stripe } from '@/lib/stripe/client';

/** POST { productId, plan, trial?, couponCode?, returnUrl? } → { url } of the Stripe Checkout to send the user to. */
export const POST = apiHandler(async (request) => {
  const session = await auth().api.getSession({ headers: request.headers });
  if (!session) throw new AppError('UNAUTHORIZED', 'Log in to subscribe.');
  const input = await parseJsonBody(request, ZCreateCheckoutSessionSchema);
  const { HUB_URL } = env();
  const result = await createCheckoutSession(db(), stripe(), {
    ...input,
    user: { id: session.user.id, email: session.user.email, name: session.user.name || null },
    hubUrl: HUB_URL,
    allowedReturnOrigins: hubOwnOrigins(),
  });
  return Response.json(result);
});
