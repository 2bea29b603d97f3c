export { createDatabase, isDatabaseReachable, type TDatabase, type TDatabaseHandle } from './client';
export {
  consumeRateLimit,
  HUB_RATE_LIMITS,
  rateLimiterOn,
  rateLimitKey,
  releaseRateLimit,
  SVD_RATE_LIMITS,
  type TRateLimitResult,
  type TRateLimitRule,
  type TRateLimitTable,
} from './queries/consume-rate-limit';
export {
  entitlementInputColumns,
  entitlementInputsOf,
  entitlementSubscriptionOf,
  selectEntitlementInputs,
  type TEntitlementInputsRow,
  type TEntitlementOwner,
} from './queries/entitlement-inputs';
export {
  findOwnedSubscription,
  findSubscription,
  ownerOf,
  type TBillingOwner,
  type TSubscriptionRow,
} from './queries/subscriptions';
export * as schema from './schema';
export {
  annotateSubscriptionChange,
  currentSubscriptionChangeCause,
  subscriptionChangeCauseSettings,
  type TSubscriptionChangeCause,
  withSubscriptionChangeCause,
  ZSubscriptionChangeCauseSchema,
} from './subscription-change-cause';
export { type TTransaction, withAdvisoryLock } from './with-advisory-lock';
