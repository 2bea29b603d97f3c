import { idOf, provisionAndResolve, upsertCustomer } from '@omg/billing';
import { schema } from '@omg/db';
import { AppError } from '@omg/platform';
import { eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import { z } from 'zod';
import type { TWebhookContext, TWebhookResult } from './webhook.types';

const ZCheckoutMetadataSchema = z
  .object({ userId: z.string().min(1).optional(), organizationId: z.string().min(1).optional() })
  .catch({});

/**
 * A finished checkout: remember the user's Stripe customer, close the Hub's own checkout row, and provision the
 * subscription it created. The session is re-read from Stripe; the event is trusted for its id only.
 */
export async function checkoutSessionCompleted(
  context: TWebhookContext,
  event: Stripe.Checkout.Session,
): Promise<TWebhookResult> {
  const session = await context.stripe.checkout.sessions.retrieve(event.id);
  if (session.mode !== 'subscription')
    return { outcome: 'ignored', reason: `Checkout mode ${session.mode}.` };
  if (session.status !== 'complete') {
    return {
      outcome: 'skipped',
      reason: `Checkout session is ${session.status ?? 'unknown'}, not complete.`,
    };
  }

  await context.db
    .update(schema.checkoutSession)
    .set({ status: 'complete', updatedAt: new Date() })
    .where(eq(schema.checkoutSession.stripeSessionId, session.id));

  const notes: string[] = [];
  const metadata = ZCheckoutMetadataSchema.parse(session.metadata ?? {});
  const userId = session.client_reference_id ?? metadata.userId;
  const stripeCustomerId = idOf(session.customer);
  if (metadata.organizationId && stripeCustomerId) {
    // A business account's checkout (issue 15) paid through the organization's customer, which the Hub recorded
    // before opening it; the buyer in client_reference_id is not that customer's owner.
    const customer = await upsertCustomer(context.db, {
      organizationId: metadata.organizationId,
      stripeCustomerId,
    }).catch((error: unknown) => {
      if (!(error instanceof AppError) || error.code !== 'CONFLICT') throw error;
      notes.push(error.message);
      return null;
    });
    if (customer && customer.stripeCustomerId !== stripeCustomerId) {
      notes.push(
        `Organization already has customer ${customer.stripeCustomerId}; checkout used ${stripeCustomerId}.`,
      );
    }
  } else if (userId && stripeCustomerId) {
    const [known] = await context.db
      .select({ id: schema.user.id })
      .from(schema.user)
      .where(eq(schema.user.id, userId));
    if (!known) notes.push(`User ${userId} does not exist; no customer recorded.`);
    else {
      try {
        const customer = await upsertCustomer(context.db, { userId, stripeCustomerId });
        if (customer.stripeCustomerId !== stripeCustomerId) {
          notes.push(
            `User already has customer ${customer.stripeCustomerId}; checkout used ${stripeCustomerId}.`,
          );
        }
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== 'CONFLICT') throw error;
        notes.push(error.message);
      }
    }
  }

  const stripeSubscriptionId = idOf(session.subscription);
  if (!stripeSubscriptionId) {
    return { outcome: 'skipped', reason: [...notes, 'The session has no subscription.'].join(' ') };
  }
  const result = await provisionAndResolve(context.db, context.stripe, { stripeSubscriptionId });
  const reason = [...notes, result.reason].filter(Boolean).join(' ');
  return { ...result, ...(reason ? { reason } : {}) };
}
