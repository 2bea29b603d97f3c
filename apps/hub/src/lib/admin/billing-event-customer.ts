import { schema } from '@omg/db';
import { sql } from 'drizzle-orm';

/**
 * The Stripe customer an event is about, as hub."BillingEvent_customer_idx" indexes it: subscription, invoice,
 * charge, refund and checkout events all carry `data.object.customer`. Used as written here so the planner
 * matches the index expression.
 */
export const billingEventCustomer = sql<
  string | null
>`(${schema.billingEvent.payload} #>> '{data,object,customer}')`;
