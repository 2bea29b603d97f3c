import { withSubscriptionChangeCause } from '@omg/db';
import { apiRoute } from '@/lib/api-route';
import { cancelSubscription, ZCancelSubscriptionSchema } from '@/lib/billing/cancel-subscription';
import { requireBillingManager } from '@/lib/billing/require-billing-manager';
import { scheduleCancellation } from '@/lib/billing/schedule-cancellation';
import { db } from '@/lib/db';
import { stripe } from '@/lib/stripe/client';

/**
 * POST { appId, when? } → { subscription }. `when: "now"` (the default) ends the user's subscription to that app
 * at once (SPEC §5); `when: "period_end"` keeps it until the paid period ends, then Stripe ends it.
 */
export const POST = apiRoute({ body: ZCancelSubscriptionSchema }, async ({ session, body }) => {
  // The active business account's billing (issue 15) for its owner and admins; others get 403.
  const { organization } = await requireBillingManager(session);
  const input = { userId: session.user.id, organizationId: organization?.id, appId: body.appId };
  if (body.when === 'period_end') {
    const row = await withSubscriptionChangeCause({ source: 'hub', sourceRef: 'cancel-at-period-end' }, () =>
      scheduleCancellation(db(), stripe(), input),
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
  }
  const subscription = await withSubscriptionChangeCause({ source: 'hub', sourceRef: 'cancel' }, () =>
    cancelSubscription(db(), stripe(), input),
  );
  return Response.json({ subscription });
});
