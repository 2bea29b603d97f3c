import { findPlanByLookupKey, findProductByAppId, formatPrice, planDisplayName } from '@omg/contract';
import { stripeDashboardUrl } from './stripe-dashboard-url';

export type TTimelineKind =
  | 'signup'
  | 'account'
  | 'svd'
  | 'launch'
  | 'checkout'
  | 'payment'
  | 'payment_failed'
  | 'refund'
  | 'duplicate'
  | 'stripe_event'
  | 'email'
  | 'plan_change'
  | 'migration'
  | 'staff_action';

export interface TTimelineEntry {
  /** Unique within the customer's timeline: the source and the row's key. */
  id: string;
  at: Date;
  kind: TTimelineKind;
  /** One line in words. */
  summary: string;
  /** Where the details are (a Stripe event in the dashboard), when somewhere else has them. */
  link: { label: string; url: string } | null;
}

/** A row of the timeline's union: when, which source, its key there, and the few fields the words need. */
export interface TTimelineRow {
  at: string;
  source: string;
  key: string;
  data: Record<string, unknown>;
}

type TObject = Record<string, unknown>;
const str = (value: unknown): string | null => (typeof value === 'string' && value ? value : null);
const num = (value: unknown): number | null => (typeof value === 'number' ? value : null);
const obj = (value: unknown): TObject => (value && typeof value === 'object' ? (value as TObject) : {});
const money = (cents: unknown) => (num(cents) === null ? 'an unknown amount' : formatPrice(num(cents)));
const appName = (appId: unknown) => findProductByAppId(String(appId))?.name ?? String(appId);
const plan = (appId: unknown, planId: unknown) => planDisplayName(String(appId), String(planId));

/** The one line staff read for a timeline row (issue 14), with a link to Stripe's record of a Stripe event. */
export function describeTimelineEntry(
  row: TTimelineRow,
  options: { stripeTestMode: boolean },
): TTimelineEntry {
  const at = new Date(`${row.at}Z`);
  const id = `${row.source}:${row.key}`;
  const entry = (
    kind: TTimelineKind,
    summary: string,
    link: TTimelineEntry['link'] = null,
  ): TTimelineEntry => ({
    id,
    at,
    kind,
    summary,
    link,
  });
  const d = row.data;
  switch (row.source) {
    case 'signup':
      return entry('signup', `Signed up as ${str(d.email) ?? 'a customer'}`);
    case 'account_deleted':
      return entry(
        'account',
        'Deleted the account (sign-in removed; apps purge their data after the grace period)',
      );
    case 'svd_first_use':
      return entry('svd', 'First opened SecureVault Docs (its 14-day free trial started)');
    case 'claim':
      return entry('account', 'Claimed the migrated account: chose a password (email verified by the link)');
    case 'launch':
      return entry('launch', `Opened ${appName(d.appId)} from the Hub`);
    case 'checkout':
      return entry(
        'checkout',
        `Started checkout for ${plan(d.appId, d.plan)} (${appName(d.appId)}): ${checkoutStatus(str(d.status))}`,
      );
    case 'email': {
      const status = str(d.status) === 'sent' ? 'sent' : (str(d.status) ?? 'queued');
      return entry(
        'email',
        `Email “${str(d.subject) ?? ''}” (${str(d.kind) ?? 'mail'}) to ${str(d.to)}: ${status}`,
      );
    }
    case 'plan_change':
      return entry('plan_change', describePlanChange(d));
    case 'migration': {
      const price = num(d.grandfatheredPriceCents);
      const kept = price === null ? '' : `, keeping a grandfathered ${formatPrice(price)} a month`;
      return entry('migration', `Moved from SVD's own billing to the Hub: ${plan(d.appId, d.plan)}${kept}`);
    }
    case 'staff_action': {
      const actor = str(d.actorEmail) ?? str(d.actorUserId) ?? 'staff';
      return entry('staff_action', `${str(d.action)} by ${actor} (${str(d.actorRole)}): ${str(d.reason)}`);
    }
    case 'stripe_event':
      return describeStripeEvent(d, (kind, summary) =>
        entry(kind, summary, {
          label: row.key,
          url: stripeDashboardUrl('events', row.key, options.stripeTestMode),
        }),
      );
    default:
      return entry('account', row.source);
  }
}

function checkoutStatus(status: string | null): string {
  if (status === 'complete') return 'completed';
  if (status === 'expired') return 'abandoned (expired)';
  return 'not finished';
}

function describePlanChange(d: TObject): string {
  const app = appName(d.appId);
  const now = plan(d.appId, d.plan);
  const amount = num(d.amount) === null ? '' : ` at ${formatPrice(num(d.amount))}/month`;
  const by = str(d.sourceRef)
    ? ` (${str(d.source)}: ${str(d.sourceRef)})`
    : str(d.source)
      ? ` (${str(d.source)})`
      : '';
  if (!str(d.previousPlan)) {
    return `${app}: ${now} started${d.trial ? ' on a free trial' : ''}${amount}, ${str(d.status)}${by}`;
  }
  const parts: string[] = [];
  if (d.previousPlan !== d.plan) {
    const was = num(d.previousAmount) === null ? '' : ` (${formatPrice(num(d.previousAmount))})`;
    const is = num(d.amount) === null ? '' : ` (${formatPrice(num(d.amount))})`;
    parts.push(`${plan(d.appId, d.previousPlan)}${was} → ${now}${is}`);
  }
  if (d.previousStatus !== d.status) parts.push(`${str(d.previousStatus)} → ${str(d.status)}`);
  if (d.cancelAtPeriodEnd) parts.push('cancels at period end');
  if (parts.length === 0)
    parts.push(`${now}${amount}, ${str(d.status)}${d.trial ? ', on a free trial' : ''}`);
  return `${app}: ${parts.join('; ')}${by}`;
}

function subscriptionPlan(sub: TObject): string | null {
  const items = obj(sub.items).data;
  const price = obj(Array.isArray(items) ? items[0] : null).price;
  const found = str(obj(price).lookup_key) ? findPlanByLookupKey(String(obj(price).lookup_key)) : undefined;
  return found ? `${found.plan.name} (${found.product.name})` : null;
}

function describeStripeEvent(
  d: TObject,
  entry: (kind: TTimelineKind, summary: string) => TTimelineEntry,
): TTimelineEntry {
  const type = str(d.type) ?? 'event';
  const o = obj(d.object);
  const outcome = str(d.outcome);
  // The duplicate path (resolveDuplicateSubscription) records what it canceled and refunded as the outcome.
  if (outcome === 'duplicate_resolved') {
    return entry(
      'duplicate',
      `Duplicate subscription stopped: ${str(d.outcomeReason) ?? 'canceled and refunded'}`,
    );
  }
  if (outcome === 'duplicate') {
    return entry(
      'duplicate',
      `Duplicate subscription detected: ${str(d.outcomeReason) ?? 'left for review'}`,
    );
  }
  const failed = str(d.error) && !d.processedAt ? ` — not processed yet: ${str(d.error)}` : '';
  switch (type) {
    case 'invoice.paid':
      return entry(
        'payment',
        `Paid ${money(o.amount_paid)} (invoice ${str(o.number) ?? str(o.id)})${failed}`,
      );
    case 'invoice.payment_failed': {
      const attempt = num(o.attempt_count) ? `, attempt ${num(o.attempt_count)}` : '';
      return entry(
        'payment_failed',
        `Payment of ${money(o.amount_due)} failed (invoice ${str(o.id)}${attempt})${failed}`,
      );
    }
    case 'charge.refunded': {
      const of = d.duplicateRefund ? 'a duplicate payment' : `a ${money(o.amount)} payment`;
      return entry('refund', `Refunded ${money(o.amount_refunded)} of ${of} (charge ${str(o.id)})${failed}`);
    }
    case 'refund.created': {
      const dup = str(obj(o.metadata).omgDuplicateOf);
      const why =
        str(o.reason) === 'duplicate'
          ? `duplicate${dup ? ` of ${dup}` : ''}`
          : (str(o.reason) ?? 'no reason');
      return entry('refund', `Refund ${str(o.id)} of ${money(o.amount)} issued (${why})${failed}`);
    }
    case 'checkout.session.completed':
      return entry('checkout', `Checkout completed in Stripe (${str(o.id)})${failed}`);
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted': {
      const what = type.endsWith('created') ? 'created' : type.endsWith('deleted') ? 'ended' : 'updated';
      const planName = subscriptionPlan(o);
      const comment = str(obj(o.cancellation_details).comment);
      return entry(
        'stripe_event',
        `Stripe subscription ${str(o.id)} ${what}${planName ? `: ${planName}` : ''}, ${str(o.status)}${
          o.cancel_at_period_end ? ', cancels at period end' : ''
        }${comment ? ` — “${comment}”` : ''}${failed}`,
      );
    }
    default:
      return entry('stripe_event', `Stripe ${type}${str(o.id) ? ` (${str(o.id)})` : ''}${failed}`);
  }
}
