import { withSubscriptionChangeCause } from '@omg/db';
import { apiRoute } from '@/lib/api-route';
import { keepCurrentPlan, ZKeepCurrentPlanSchema } from '@/lib/billing/keep-current-plan';
import { requireBillingManager } from '@/lib/billing/require-billing-manager';
import { db } from '@/lib/db';
import { stripe } from '@/lib/stripe/client';

/** POST { productId } → the subscription with its booked downgrade undone (the current plan kept). */
export const POST = apiRoute({ body: ZKeepCurrentPlanSchema }, async ({ session, body }) => {
  // The active business account's billing (issue 15) for its owner and admins; others get 403.
  const { organization } = await requireBillingManager(session);
  const result = await withSubscriptionChangeCause({ source: 'hub', sourceRef: 'keep-plan' }, () =>
    keepCurrentPlan(db(), stripe(), {
      userId: session.user.id,
      organizationId: organization?.id,
      productId: body.productId,
    }),
  );
  return Response.json({ outcome: result.outcome, subscription: result.subscription ?? null });
});
