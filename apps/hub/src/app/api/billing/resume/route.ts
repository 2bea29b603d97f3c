import { withSubscriptionChangeCause } from '@omg/db';
import { apiRoute } from '@/lib/api-route';
import { requireBillingManager } from '@/lib/billing/require-billing-manager';
import { resumeSubscription, ZResumeSubscriptionSchema } from '@/lib/billing/resume-subscription';
import { db } from '@/lib/db';
import { stripe } from '@/lib/stripe/client';

/** POST { appId } → { subscription }: takes back a cancellation booked for the end of the period. */
export const POST = apiRoute({ body: ZResumeSubscriptionSchema }, async ({ session, body }) => {
  // The active business account's billing (issue 15) for its owner and admins; others get 403.
  const { organization } = await requireBillingManager(session);
  const row = await withSubscriptionChangeCause({ source: 'hub', sourceRef: 'resume' }, () =>
    resumeSubscription(db(), stripe(), {
      userId: session.user.id,
      organizationId: organization?.id,
      appId: body.appId,
    }),
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
