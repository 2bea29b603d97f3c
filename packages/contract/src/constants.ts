/** Exact strings shared by the Hub, SVD and the database (SPEC §2). */
export const APP_IDS = ['app_securevault', 'app_crm', 'app_iq', 'app_leads'] as const;
export type TAppId = (typeof APP_IDS)[number];

export const SVD_APP_ID = 'app_securevault' satisfies TAppId;

export const PERSONAL_PLAN_IDS = ['trial', 'starter', 'growth', 'pro'] as const;
export const BUSINESS_PLAN_IDS = [
  'business_starter',
  'business_growth',
  'business_pro',
  'enterprise',
] as const;
export const SVD_PLAN_IDS = [...PERSONAL_PLAN_IDS, ...BUSINESS_PLAN_IDS] as const;
export type TSvdPlanId = (typeof SVD_PLAN_IDS)[number];

/** The only values ever written to hub."Subscription"."status". */
export const SUBSCRIPTION_STATUSES = ['active', 'past_due', 'canceled'] as const;
export type TSubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

export const ACCOUNT_TYPES = ['personal', 'business'] as const;
export type TAccountType = (typeof ACCOUNT_TYPES)[number];

/**
 * A member's role in an organization (issue 15), strongest first: core."Membership"."role" (CHECK) and the launch
 * token's `organizationRole` claim use exactly these words. Exactly one owner per organization.
 */
export const ORGANIZATION_ROLES = ['owner', 'admin', 'member', 'viewer'] as const;
export type TOrganizationRole = (typeof ORGANIZATION_ROLES)[number];
