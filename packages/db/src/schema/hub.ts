import { sql } from 'drizzle-orm';
import { boolean, check, integer, pgSchema, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { user } from './core';

/** The Hub's own data: the product catalog and the entitlements SVD reads. */
export const hub = pgSchema('hub');

export const app = hub.table('App', {
  id: text('id').primaryKey(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  tagline: text('tagline').notNull(),
  description: text('description').notNull(),
  /** Where the SSO hand-off lands; NULL means the app cannot be launched yet. */
  launchUrl: text('launchUrl'),
  sortOrder: integer('sortOrder').notNull().default(0),
  createdAt: timestamp('createdAt').notNull().defaultNow(),
  updatedAt: timestamp('updatedAt').notNull().defaultNow(),
});

export const subscription = hub.table(
  'Subscription',
  {
    id: text('id').primaryKey(),
    userId: text('userId').references(() => user.id),
    appId: text('appId').notNull(),
    plan: text('plan').notNull(),
    status: text('status').default('active'),
    organizationId: text('organizationId'),
    stripeSubscriptionId: text('stripeSubscriptionId'),
    createdAt: timestamp('createdAt').defaultNow(),
    updatedAt: timestamp('updatedAt').defaultNow(),
    stripeCustomerId: text('stripeCustomerId'),
    stripePriceId: text('stripePriceId'),
    currentPeriodEnd: timestamp('currentPeriodEnd'),
    trialEndsAt: timestamp('trialEndsAt'),
    cancelAtPeriodEnd: boolean('cancelAtPeriodEnd').notNull().default(false),
    migratedAt: timestamp('migratedAt'),
    grandfatheredPriceCents: integer('grandfatheredPriceCents'),
    source: text('source').notNull().default('hub'),
  },
  (t) => [
    unique('Subscription_userId_appId_key').on(t.userId, t.appId),
    check('Subscription_status_check', sql`${t.status} IN ('active', 'past_due', 'canceled')`),
  ],
);
