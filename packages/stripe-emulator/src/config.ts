export const API_VERSION = '2026-10-28.endive';

export interface DunningPolicy {
  /** Days between a failed renewal charge and each retry; after the last retry fails, `finalAction` applies. */
  retryDelaysDays: number[];
  finalAction: 'cancel' | 'unpaid' | 'past_due';
}

export const DEFAULT_DUNNING: DunningPolicy = { retryDelaysDays: [3, 5, 7], finalAction: 'cancel' };

/** Stripe gives a subscription whose first payment failed 23 hours before it expires. */
export const INCOMPLETE_EXPIRY_SECONDS = 23 * 60 * 60;
