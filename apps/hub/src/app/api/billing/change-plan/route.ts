import { withSubscriptionChangeCause } from '@omg/db';
import { apiRoute } from '@/lib/api-route';
import { changePlan, ZChangePlanSchema } from '@/lib/billing/change-plan';
import { requireBillingManager } from '@/lib/billing/require-billing-manager';
import { db } from '@/lib/db';
import { stripe } from '@/lib/stripe/client';

/** POST { productId, plan, when? } → the subscription with its new (or scheduled) plan, and what to confirm. */
export const POST = apiRoute({ body: ZChangePlanSchema }, async ({ session, body }) => {
  // The active business account's billing (issue 15) for its owner and admins; others get 403.
  const { organization } = await requireBillingManager(session);
  const result = await withSubscriptionChangeCause({ source: 'hub', sourceRef: 'plan-change' }, () =>
    changePlan(db(), stripe(), {
      userId: session.user.id,
      organizationId: organization?.id,
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
