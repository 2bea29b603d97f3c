import { AppError, parseJsonBody } from '@omg/platform';
import { z } from 'zod';
import { auth } from '@/lib/auth/auth';
import { changePlan } from '@/lib/billing/change-plan';
import { db } from '@/lib/db';
import { apiHandler } from '@/lib/logger';
import { stripe } from '@/lib/stripe/client';

const ZChangePlanSchema = z.object({
  productId: z.string().trim().min(1, 'Choose a product.').max(40),
  plan: z.string().trim().min(1, 'Choose a plan.').max(40),
  when: z.enum(['now', 'period_end']).optional(),
});

/** POST { productId, plan, when? } → the subscription with its new (or scheduled) plan. */
export const POST = apiHandler(async (request) => {
  const session = await auth().api.getSession({ headers: request.headers });
  if (!session) throw new AppError('UNAUTHORIZED', 'Log in to change your plan.');
  const input = await parseJsonBody(request, ZChangePlanSchema);
  const result = await changePlan(db(), stripe(), {
    userId: session.user.id,
    productSlug: input.productId,
    planId: input.plan,
    when: input.when,
  });
  return Response.json({
    outcome: result.outcome,
    subscription: result.subscription ?? null,
    effectiveAt: result.effectiveAt,
  });
});
