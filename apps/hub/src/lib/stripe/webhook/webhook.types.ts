import type { TDuplicateResolution, TProvisionOptions } from '@omg/billing';
import type { TDatabase, TSubscriptionRow } from '@omg/db';
import type Stripe from 'stripe';

/** What every event handler gets: the database and the one Stripe client, passed in so tests can substitute. */
export interface TWebhookContext {
  db: TDatabase;
  stripe: Stripe;
  /**
   * For provisioning the event's own subscription (subscription-changed.ts): the read ticket its claim took, and
   * what commits with the write (the event marked processed).
   */
  provisioning?: Pick<TProvisionOptions, 'readTicket' | 'onWrite'>;
}

export type TWebhookOutcome =
  | 'provisioned'
  | 'unchanged'
  | 'skipped'
  | 'duplicate'
  | 'duplicate_resolved'
  | 'ignored';

/** Recorded on hub."BillingEvent": what the event changed, and why not when it changed nothing. */
export interface TWebhookResult {
  outcome: TWebhookOutcome;
  reason?: string;
  /** With `duplicate_resolved`: what was canceled and refunded, for the structured log line. */
  duplicate?: TDuplicateResolution;
  /** The subscription row as provisioning left it, for the billing mails. */
  subscription?: TSubscriptionRow;
}
