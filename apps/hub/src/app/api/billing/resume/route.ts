import { withSubscriptionChangeCause } from '@omg/db';
import { apiRoute } from '@/lib/api-route';
import { resumeSubscription, ZResumeSubscriptionSchema } from '@/lib/billing/resume-subscription';
import { db } from '@/lib/db';
import { stripe } from '@/lib/stripe/client';

/** POST { appId } → { subscription }: takes back a cancellation booked for the end of the period. */
export const POST = apiRoute({ body: ZResumeSubscriptionSchema }, async ({ session, body }) => {
  const row = await withSubscriptionChangeCause({ source: 'hub', sourceRef: 'resume' }, () =>
    resumeSubscription(db(), stripe(), { userId: session.user.id, appId: body.appId }),
  );
  return Response.json({
    subscription: {
      appId: row.appId,
      plan: row.plan,
      status: row.status,
      cancelAtPeriodEnd: row.cancelAtPeriodEnd,
      currentPeriodEnd: row.currentPeriodEnd,
    },
  });
});
