import type { TDatabase } from '@omg/db';
import { z } from 'zod';
import { loadCustomerEntitlement, type TCustomerEntitlement } from './load-customer-entitlement';
import { loadCustomerProfile, type TCustomerProfile } from './load-customer-profile';
import { loadCustomerSessions, type TCustomerSessions } from './load-customer-sessions';
import { loadCustomerSubscriptions, type TCustomerSubscription } from './load-customer-subscriptions';
import { loadCustomerTimeline, type TTimelinePage } from './load-customer-timeline';
import { loadCustomerUsage, type TCustomerUsage } from './load-customer-usage';
import { decodeTimelineCursor } from './timeline-cursor';

/** A customer's id as the Hub makes them (better-auth with randomUUID); anything else names no customer. */
export const ZCustomerIdSchema = z.uuid();

/** The customer page's query: `before`, the timeline page to show (absent: the newest). */
export const ZCustomerPageQuerySchema = z.object({ before: z.string().max(400).optional() });
export type TCustomerPageQuery = z.infer<typeof ZCustomerPageQuerySchema>;

export interface TCustomerOverview {
  profile: TCustomerProfile;
  subscriptions: TCustomerSubscription[];
  access: TCustomerEntitlement;
  usage: TCustomerUsage;
  sessions: TCustomerSessions;
  timeline: TTimelinePage;
}

/**
 * Everything the console's customer page shows (issue 14: who is this customer, what do they pay, why do they
 * (not) have access, what happened), for the page and GET /api/admin/customers/[id] alike. Null when the id
 * names no customer. Every part reads by the customer's indexed keys.
 */
export async function loadCustomer(
  db: TDatabase,
  userId: string,
  options: { query?: TCustomerPageQuery; stripeTestMode: boolean; now?: Date },
): Promise<TCustomerOverview | null> {
  if (!ZCustomerIdSchema.safeParse(userId).success) return null;
  const before = options.query?.before ? decodeTimelineCursor(options.query.before) : null;
  const now = options.now ?? new Date();
  const profile = await loadCustomerProfile(db, userId);
  if (!profile) return null;
  const [subscriptions, access, sessions, timeline] = await Promise.all([
    loadCustomerSubscriptions(db, userId, { stripeTestMode: options.stripeTestMode, now }),
    loadCustomerEntitlement(db, userId, now),
    loadCustomerSessions(db, userId, now),
    loadCustomerTimeline(db, {
      userId,
      stripeCustomerIds: profile.stripeCustomerIds,
      before,
      stripeTestMode: options.stripeTestMode,
    }),
  ]);
  const usage = await loadCustomerUsage(db, userId, access, now);
  return { profile, subscriptions, access, usage, sessions, timeline };
}
