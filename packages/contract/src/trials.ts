/**
 * The one trial concept (SPEC §3, §5): a "Free trial" is free access for a number of days, shown the same way in
 * both apps. Two things start one: SVD's own trial for a user with no subscription (from first use, on SVD's
 * `trial` plan), and a checkout with `trial=true` (a paid plan that Stripe keeps in `trialing`).
 */

/** SVD's free trial for a user without a subscription row: 14 days from the first use of SVD. */
export const NO_SUBSCRIPTION_TRIAL_DAYS = 14;

/** A checkout's free trial on a paid plan (`subscription_data.trial_period_days`), once per user and app. */
export const CHECKOUT_TRIAL_DAYS = 7;

/** The app whose users get a free trial without subscribing (SVD's `trial` plan). */
export const NO_SUBSCRIPTION_TRIAL_APP_ID = 'app_securevault';

/** SVD's plan id for the no-subscription trial; a row may carry it when provisioned by SQL. */
export const FREE_TRIAL_PLAN_ID = 'trial';
