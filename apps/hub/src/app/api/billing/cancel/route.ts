import { AppError, parseJsonBody } from '@omg/platform';
import { auth } from '@/lib/auth/auth';
import { cancelSubscription, ZCancelSubscriptionSchema } from '@/lib/billing/cancel-subscription';
import { db } from '@/lib/db';
import { apiHandler } from '@/lib/logger';
import { stripe } from '@/lib/stripe/client';

/** POST { appId } → { subscription }: ends the user's subscription to that app now (SPEC §5). */
export const POST = apiHandler(async (request) => {
  const session = await auth().api.getSession({ headers: request.headers });
  if (!session) throw new AppError('UNAUTHORIZED', 'Log in to manage your subscriptions.');
  const { appId } = await parseJsonBody(request, ZCancelSubscriptionSchema);
  const subscription = await cancelSubscription(db(), stripe(), { userId: session.user.id, appId });
  return Response.json({ subscription });
});
