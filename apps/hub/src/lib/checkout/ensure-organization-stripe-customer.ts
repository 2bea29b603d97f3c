import { upsertCustomer } from '@omg/billing';
import { schema, type TDatabase } from '@omg/db';
import { eq } from 'drizzle-orm';
import type Stripe from 'stripe';

/**
 * A business account's one Stripe customer (issue 15), as ensureStripeCustomer is a person's: named after the
 * organization and billed to its billing email, created once (idempotency key), recorded in hub."Customer" by
 * organizationId. Invoices go to the company, not to whichever admin happened to buy.
 */
export async function ensureOrganizationStripeCustomer(
  db: TDatabase,
  stripe: Stripe,
  organization: { id: string; name: string; billingEmail: string },
): Promise<string> {
  const [known] = await db
    .select({ stripeCustomerId: schema.customer.stripeCustomerId })
    .from(schema.customer)
    .where(eq(schema.customer.organizationId, organization.id));
  if (known) return known.stripeCustomerId;
  const created = await stripe.customers.create(
    {
      email: organization.billingEmail,
      name: organization.name,
      metadata: { organizationId: organization.id },
    },
    { idempotencyKey: `omg-customer-org-${organization.id}` },
  );
  return (await upsertCustomer(db, { organizationId: organization.id, stripeCustomerId: created.id }))
    .stripeCustomerId;
}
