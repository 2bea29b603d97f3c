import { withSubscriptionChangeCause } from '@omg/db';
import { apiRoute } from '@/lib/api-route';
import { changePlan, ZChangePlanSchema } from '@/lib/billing/change-plan';
import { db } from '@/lib/db';
import { stripe } from '@/lib/stripe/client';

/** POST { productId, plan, when? } → the subscription with its new (or scheduled) plan, and what to confirm. */
export const POST = apiRoute({ body: ZChangePlanSchema }, async ({ session, body }) => {
  const result = await withSubscriptionChangeCause({ source: 'hub', sourceRef: 'plan-change' }, () =>
    changePlan(db(), stripe(), {
      userId: session.user.id,
      productId: body.productId,
      planId: body.plan,
      when: body.when,
    }),
  );
  return Response.json({
    outcome: result.outcome,
    subscription: result.subscription ?? null,
    effectiveAt: result.effectiveAt,
    confirmation: result.confirmation,
  });
});
