/**
 * Stripe and billing operations shared by the Hub, the scripts (`npm run dev`, `stripe:sync-catalog`,
 * `billing:reconcile`) and what comes next (operator console, migration). Each takes `(db, stripe, input)`;
 * nothing here reads the environment: callers build the client with `createStripeClient`.
 */
export {
  createStripeClient,
  STRIPE_API_VERSION,
  type TStripeBudget,
  ZStripeBudgetSchema,
  ZStripeMaxNetworkRetriesSchema,
  ZStripeTimeoutMsSchema,
} from './create-stripe-client';
export { ensureStripeCoupon, HUB_COUPON_DURATION } from './ensure-stripe-coupon';
export { idOf } from './id-of';
export { isResourceMissing, orNullIfMissing } from './is-resource-missing';
export { mapStripeStatus, type TMappedStatus } from './map-stripe-status';
export { provisionAndResolve, type TProvisionAndResolveResult } from './provision-and-resolve';
export {
  provisionSubscription,
  type TProvisionOptions,
  type TProvisionOutcome,
  type TProvisionResult,
} from './provision-subscription';
export {
  reconcileBilling,
  type TDrift,
  type TDriftChange,
  type TDuplicateGroup,
  type TMissingSubscription,
  type TReconcileProblem,
  type TReconcileReport,
} from './reconcile-billing';
export {
  resolveDuplicateSubscription,
  type TDuplicateInvoiceRefund,
  type TDuplicateResolution,
  type TResolveDuplicateInput,
} from './resolve-duplicate-subscription';
export { extraSeatsOf, planItemOf, seatItemOf } from './subscription-items';
export { syncStripeCatalog, type TCatalogSyncReport } from './sync-catalog';
export { syncStripeCoupons } from './sync-stripe-coupons';
export { type TCustomerRow, upsertCustomer } from './upsert-customer';
