import { CATALOG, findProductByAppId, isLiveHubStatus, planDisplayName } from '@omg/contract';
import { schema, type TDatabase } from '@omg/db';
import { and, asc, desc, eq, gt, isNull } from 'drizzle-orm';
import { hasPassword } from './has-password';

export interface TSupportActionsState {
  customerId: string;
  email: string;
  role: string;
  emailVerified: boolean;
  /** A credential with a password: without one, the account is a migrated one that can be claimed. */
  hasPassword: boolean;
  deleted: boolean;
  ban: { at: string; reason: string | null } | null;
  /** Comps still running (not revoked, not ended), newest end first. */
  comps: Array<{ id: string; appId: string; appName: string; planName: string; endsAt: string }>;
  subscriptions: Array<{
    appId: string;
    appName: string;
    planName: string;
    live: boolean;
    cancelAtPeriodEnd: boolean;
    /** Billed through Stripe (can be canceled at period end); SQL and migration rows only now. */
    managedByStripe: boolean;
  }>;
  /** What can be comped: every catalog product and its plans. */
  products: Array<{ appId: string; name: string; plans: Array<{ id: string; name: string }> }>;
}

/**
 * What the customer page's support actions need to offer only what applies (dates as ISO strings: the panel is a
 * client component). Null when no user has this id.
 */
export async function loadSupportActionsState(
  database: TDatabase,
  userId: string,
  now = new Date(),
): Promise<TSupportActionsState | null> {
  const [user] = await database
    .select({
      id: schema.user.id,
      email: schema.user.email,
      role: schema.user.role,
      emailVerified: schema.user.emailVerified,
      deletedAt: schema.user.deletedAt,
      bannedAt: schema.user.bannedAt,
      banReason: schema.user.banReason,
    })
    .from(schema.user)
    .where(eq(schema.user.id, userId));
  if (!user) return null;
  const [withPassword, comps, subscriptions] = await Promise.all([
    hasPassword(database, userId),
    database
      .select()
      .from(schema.comp)
      .where(and(eq(schema.comp.userId, userId), isNull(schema.comp.revokedAt), gt(schema.comp.endsAt, now)))
      .orderBy(desc(schema.comp.endsAt)),
    database
      .select()
      .from(schema.subscription)
      .where(eq(schema.subscription.userId, userId))
      .orderBy(asc(schema.subscription.appId)),
  ]);
  const appName = (appId: string) => findProductByAppId(appId)?.name ?? appId;
  return {
    customerId: user.id,
    email: user.email,
    role: user.role,
    emailVerified: user.emailVerified,
    hasPassword: withPassword,
    deleted: user.deletedAt !== null,
    ban: user.bannedAt ? { at: user.bannedAt.toISOString(), reason: user.banReason } : null,
    comps: comps.map((c) => ({
      id: c.id,
      appId: c.appId,
      appName: appName(c.appId),
      planName: planDisplayName(c.appId, c.plan),
      endsAt: c.endsAt.toISOString(),
    })),
    subscriptions: subscriptions.map((s) => ({
      appId: s.appId,
      appName: appName(s.appId),
      planName: planDisplayName(s.appId, s.plan),
      live: isLiveHubStatus(s.status),
      cancelAtPeriodEnd: s.cancelAtPeriodEnd,
      managedByStripe: s.stripeSubscriptionId !== null,
    })),
    products: CATALOG.map((p) => ({
      appId: p.appId,
      name: p.name,
      plans: p.plans.map((plan) => ({ id: plan.id, name: plan.name })),
    })),
  };
}
