import { formatBillingDay, formatBytes, formatPrice } from '@omg/contract';
import { AppError } from '@omg/platform';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { AdminNav } from '@/components/admin-nav';
import { loadCustomer, ZCustomerPageQuerySchema } from '@/lib/admin/load-customer';
import type { TCustomerSessions } from '@/lib/admin/load-customer-sessions';
import type { TCustomerSubscription } from '@/lib/admin/load-customer-subscriptions';
import { requireStaffPage } from '@/lib/admin/require-staff-page';
import { isStripeTestMode } from '@/lib/admin/stripe-dashboard-url';
import { db } from '@/lib/db';
import { env } from '@/lib/env';
import { Card, Empty, ExternalLink, Facts, formatWhen, Section } from './customer-parts';
import { CustomerTimeline } from './customer-timeline';
import { SupportActionsPanel } from './support-actions-panel';

export const metadata: Metadata = { title: 'Customer · Console', robots: { index: false } };

// One customer as of now, for staff only: never prerendered or cached.
export const dynamic = 'force-dynamic';

type TProps = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

const yesNo = (value: boolean) => (value ? 'Yes' : 'No');

function SubscriptionCard({ subscription: s }: { subscription: TCustomerSubscription }) {
  const price =
    s.priceCents === null
      ? 'No list price (contact sales)'
      : `${formatPrice(s.priceCents)} a month${s.grandfathered ? ' (grandfathered)' : ''}`;
  return (
    <Card testId="customer-subscription">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 className="font-semibold">
          {s.appName} · {s.planName}
        </h3>
        <span className="rounded-full bg-slate-100 px-2.5 py-0.5 text-xs font-medium text-slate-700">
          {s.stateLabel}
        </span>
      </div>
      <div className="mt-4">
        <Facts
          items={[
            ['Status (stored)', s.status],
            ['Price', price],
            ['Trial ends', s.trialEndsAt ? formatBillingDay(s.trialEndsAt) : '—'],
            ['Current period ends', s.currentPeriodEnd ? formatBillingDay(s.currentPeriodEnd) : '—'],
            ['Cancel at period end', yesNo(s.cancelAtPeriodEnd)],
            [
              'Scheduled change',
              s.scheduledChange
                ? `${s.scheduledChange.planName} on ${formatBillingDay(s.scheduledChange.at)}`
                : 'None',
            ],
            ['Source', s.migratedAt ? `${s.source}, moved ${formatWhen(s.migratedAt)}` : s.source],
            [
              'Stripe customer',
              s.stripeCustomer ? (
                <ExternalLink key="customer" href={s.stripeCustomer.url}>
                  {s.stripeCustomer.id}
                </ExternalLink>
              ) : (
                '—'
              ),
            ],
            [
              'Stripe subscription',
              s.stripeSubscription ? (
                <ExternalLink key="subscription" href={s.stripeSubscription.url}>
                  {s.stripeSubscription.id}
                </ExternalLink>
              ) : (
                'None (not billed through Stripe)'
              ),
            ],
            [
              'Stripe price',
              s.stripePrice ? (
                <ExternalLink key="price" href={s.stripePrice.url}>
                  {s.stripePrice.id}
                </ExternalLink>
              ) : (
                '—'
              ),
            ],
          ]}
        />
      </div>
    </Card>
  );
}

function Sessions({ sessions }: { sessions: TCustomerSessions }) {
  return (
    <div className="grid min-w-0 grid-cols-1 gap-4 lg:grid-cols-2">
      <Card testId="customer-hub-sessions">
        <h3 className="font-semibold">Hub ({sessions.hubTotal})</h3>
        {sessions.hub.length === 0 ? (
          <p className="mt-2 text-sm text-slate-500">No Hub sessions.</p>
        ) : (
          <ul className="mt-2 divide-y divide-slate-100 text-sm">
            {sessions.hub.map((s) => (
              <li key={s.id} className="min-w-0 py-2">
                <p>
                  {s.live ? 'Live' : 'Expired'} · started {formatWhen(s.createdAt)} · last active{' '}
                  {formatWhen(s.lastActiveAt)}
                </p>
                <p className="text-xs text-slate-500 break-words [overflow-wrap:anywhere]">
                  {s.userAgent ?? 'Unknown browser'}
                  {s.ipAddress ? ` · ${s.ipAddress}` : ''}
                </p>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card testId="customer-svd-sessions">
        <h3 className="font-semibold">SecureVault Docs ({sessions.svdTotal})</h3>
        {sessions.svd.length === 0 ? (
          <p className="mt-2 text-sm text-slate-500">No SecureVault Docs sessions.</p>
        ) : (
          <ul className="mt-2 divide-y divide-slate-100 text-sm">
            {sessions.svd.map((s) => (
              <li key={`${s.hubSessionId}-${s.createdAt.toISOString()}`} className="min-w-0 py-2">
                {s.live ? 'Live' : 'Expired'} · started {formatWhen(s.createdAt)} · until{' '}
                {formatWhen(s.expiresAt)}
              </li>
            ))}
          </ul>
        )}
        <p className="mt-2 text-xs text-slate-500">
          Each ends with the Hub session it came from (single logout).
        </p>
      </Card>
    </div>
  );
}

/**
 * One page per customer (issue 14): who they are, what they pay, why they (do not) have access, their SVD usage,
 * sessions, and everything that happened to them. Support and admins only; everyone else gets the 404 page.
 */
export default async function CustomerPage({ params, searchParams }: TProps) {
  const { id } = await params;
  const staff = await requireStaffPage(`/admin/customers/${id}`, { role: 'support' });
  const raw = await searchParams;
  const query = ZCustomerPageQuerySchema.safeParse({
    before: typeof raw.before === 'string' ? raw.before : undefined,
  });
  const customer = await loadCustomer(db(), id, {
    query: query.success ? query.data : {},
    stripeTestMode: isStripeTestMode(env().STRIPE_SECRET_KEY),
  }).catch((error: unknown) => {
    // A damaged `before` link shows the newest page rather than an error page.
    if (error instanceof AppError && error.code === 'BAD_REQUEST') {
      return loadCustomer(db(), id, { stripeTestMode: isStripeTestMode(env().STRIPE_SECRET_KEY) });
    }
    throw error;
  });
  if (!customer) notFound();
  const { profile, subscriptions, access, usage, sessions, timeline } = customer;

  return (
    <div className="min-w-0">
      <AdminNav current="/admin/customers" />
      <p className="text-sm text-slate-500">
        <a href="/admin/customers" className="underline">
          Customers
        </a>{' '}
        / customer
      </p>
      <h1 className="mt-1 text-2xl font-semibold tracking-tight break-words [overflow-wrap:anywhere] sm:text-3xl">
        {profile.name || profile.email}
      </h1>
      <p className="mt-1 text-sm text-slate-600 break-words [overflow-wrap:anywhere]">
        {profile.email} · <span className="font-mono text-xs">{profile.id}</span>
      </p>
      {profile.deletedAt ? (
        <p
          className="mt-3 rounded-xl bg-rose-50 px-4 py-2 text-sm text-rose-800"
          data-testid="customer-deleted"
        >
          Deleted the account on {formatWhen(profile.deletedAt)}.
        </p>
      ) : null}

      <SupportActionsPanel customerId={profile.id} staffRole={staff.role} />

      <Section id="profile" title="Profile">
        <Card>
          <Facts
            items={[
              [
                'Account type',
                profile.organizations.length > 0
                  ? `Business: ${profile.organizations.map((o) => `${o.name} (${o.role})`).join(', ')}`
                  : profile.accountType === 'business'
                    ? 'Business (no organization yet)'
                    : 'Personal',
              ],
              ['Email verified', yesNo(profile.emailVerified)],
              ['Two-factor authentication', profile.twoFactorEnabled ? 'On' : 'Off'],
              ['Passkeys', String(profile.passkeyCount)],
              ['Role', profile.role],
              ['Signed up', formatWhen(profile.createdAt)],
              ['Deleted', profile.deletedAt ? formatWhen(profile.deletedAt) : 'No'],
              [
                'Stripe customers',
                profile.stripeCustomerIds.length ? profile.stripeCustomerIds.join(', ') : 'None',
              ],
            ]}
          />
        </Card>
      </Section>

      <Section
        id="access"
        title="Why does this customer have access?"
        note="SecureVault Docs' entitlement right now, computed by the same code the vault runs on every request."
      >
        <Card testId="customer-entitlement">
          <p className="text-base font-medium" data-testid="entitlement-reason">
            {access.reason}
          </p>
          <div className="mt-4">
            <Facts
              items={[
                ['State', access.entitlement.state],
                ['Plan applied', access.entitlement.limits.name],
                ['Uploads', access.entitlement.readOnly ? 'Refused (read-only)' : 'Allowed'],
                ['Badge the customer sees', access.entitlement.label],
              ]}
            />
          </div>
        </Card>
      </Section>

      <Section id="subscriptions" title="Subscriptions">
        {subscriptions.length === 0 ? (
          <Empty>No subscriptions in any app.</Empty>
        ) : (
          <div className="grid min-w-0 grid-cols-1 gap-4">
            {subscriptions.map((s) => (
              <SubscriptionCard key={s.id} subscription={s} />
            ))}
          </div>
        )}
      </Section>

      <Section
        id="usage"
        title="SecureVault Docs usage"
        note="Totals only: document names and contents are never shown to staff."
      >
        <Card>
          <Facts
            items={[
              [
                'Storage',
                `${formatBytes(usage.storageBytes)} of ${formatBytes(usage.storageLimitBytes)}${usage.overStorage ? ' — over quota' : ''}`,
              ],
              [
                'Processing units',
                `${usage.unitsUsed} of ${usage.unitsLimit} since ${formatBillingDay(usage.periodStart)}`,
              ],
              ['Documents', String(usage.documentCount)],
            ]}
          />
        </Card>
      </Section>

      <Section id="sessions" title="Sessions">
        <Sessions sessions={sessions} />
      </Section>

      <Section id="timeline" title="Timeline" note="Everything that happened to this customer, newest first.">
        <CustomerTimeline
          customerId={profile.id}
          timeline={timeline}
          paged={Boolean(query.success && query.data.before)}
        />
      </Section>
    </div>
  );
}
