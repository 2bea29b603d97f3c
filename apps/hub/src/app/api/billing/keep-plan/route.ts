import { withSubscriptionChangeCause } from '@omg/db';
import { apiRoute } from '@/lib/api-route';
import { keepCurrentPlan, ZKeepCurrentPlanSchema } from '@/lib/billing/keep-current-plan';
import { db } from '@/lib/db';
import { stripe } from '@/lib/stripe/client';

/** POST { productId } → the subscription with its booked downgrade undone (the current plan kept). */
export const POST = apiRoute({ body: ZKeepCurrentPlanSchema }, async ({ session, body }) => {
  const result = await withSubscriptionChangeCause({ source: 'hub', sourceRef: 'keep-plan' }, () =>
    keepCurrentPlan(db(), stripe(), { userId: session.user.id, productId: body.productId }),
  );
  return Response.json({ outcome: result.outcome, subscription: result.subscription ?? null });
});
