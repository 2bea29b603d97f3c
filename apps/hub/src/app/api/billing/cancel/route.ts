import { apiRoute } from '@/lib/api-route';
import { cancelSubscription, ZCancelSubscriptionSchema } from '@/lib/billing/cancel-subscription';
import { db } from '@/lib/db';
import { stripe } from '@/lib/stripe/client';

/** POST { appId } → { subscription }: ends the user's subscription to that app now (SPEC §5). */
export const POST = apiRoute({ body: ZCancelSubscriptionSchema }, async ({ session, body }) => {
  const subscription = await cancelSubscription(db(), stripe(), {
    userId: session.user.id,
    appId: body.appId,
  });
  return Response.json({ subscription });
});
