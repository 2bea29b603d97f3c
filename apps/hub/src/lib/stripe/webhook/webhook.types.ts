import type { TDatabase } from '@omg/db';
import type Stripe from 'stripe';

/** What every event handler gets: the database and the one Stripe client, passed in so tests can substitute. */
export interface TWebhookContext {
  db: TDatabase;
  stripe: Stripe;
}

export type TWebhookOutcome = 'provisioned' | 'unchanged' | 'skipped' | 'duplicate' | 'ignored';

/** Recorded on hub."BillingEvent": what the event changed, and why not when it changed nothing. */
export interface TWebhookResult {
  outcome: TWebhookOutcome;
  reason?: string;
}
