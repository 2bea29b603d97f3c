import { formatPrice, isLiveHubStatus, planDisplayName } from '@omg/contract';
import type { Metadata } from 'next';
import Link from 'next/link';
import { CrossSellCard } from '@/components/cross-sell-card';
import { StatusBadge } from '@/components/status-badge';
import { requireSession } from '@/lib/auth/get-session';
import { db } from '@/lib/db';
import { chooseCrossSell } from '@/lib/portal/choose-cross-sell';
import { getPortalApps, type TPortalApp } from '@/lib/portal/get-portal-apps';

export const metadata: Metadata = { title: 'Portal' };

export default async function PortalPage() {
  const session = await requireSession('/portal');
  const [apps, crossSell] = await Promise.all([
    getPortalApps(db(), { userId: session.user.id }),
    chooseCrossSell(db(), { userId: session.user.id }),
  ]);
  const firstName = session.user.name?.split(' ')[0] || 'there';
  return (
    <div>
      <div className="mb-8">
        <h1 className="text-3xl font-semibold tracking-tight">Welcome, {firstName}</h1>
        <p className="mt-1 text-slate-600">Your OMG products, one login and one bill.</p>
      </div>
      {crossSell && <CrossSellCard suggestion={crossSell} />}
      {apps.length === 0 ? (
        <div className="rounded-2xl border border-dashed border-slate-300 bg-white p-12 text-center text-slate-600">
          No products are available yet. Check back soon.
        </div>
      ) : (
        <ul className="grid gap-6 sm:grid-cols-2" aria-label="Products">
          {apps.map((app) => (
            <AppCard key={app.appId} app={app} />
          ))}
        </ul>
      )}
    </div>
  );
}

function AppCard({ app }: { app: TPortalApp }) {
  const subscribed = isLiveHubStatus(app.status);
  return (
    <li
      className="flex flex-col rounded-2xl border border-slate-200 bg-white p-6 shadow-sm"
      data-testid={`app-card-${app.slug}`}
    >
      <div className="flex items-start justify-between gap-4">
        <div>
          <h2 className="text-lg font-semibold">{app.name}</h2>
          <p className="text-sm text-slate-500">{app.tagline}</p>
        </div>
        <StatusBadge state={app.state} />
      </div>
      <p className="mt-4 flex-1 text-sm text-slate-600">{app.description}</p>
      <p className="mt-4 text-sm text-slate-700" data-testid="app-price">
        {subscribed && app.plan ? (
          <>
            Your plan: <span className="font-medium">{planDisplayName(app.appId, app.plan)}</span>
          </>
        ) : app.fromPriceCents === null ? (
          'Contact sales'
        ) : (
          <>
            From <span className="font-semibold">{formatPrice(app.fromPriceCents)}</span>/month
          </>
        )}
      </p>
      {app.status === 'past_due' && (
        <p className="mt-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800">
          Payment failed —{' '}
          <Link href="/billing" className="font-medium underline">
            update your payment method
          </Link>
          .
        </p>
      )}
      <div className="mt-5 flex gap-3">
        {app.launchUrl ? (
          <a
            href={`/launch/${app.slug}`}
            target="_blank"
            rel="noopener"
            className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700"
          >
            Launch {app.name}
          </a>
        ) : (
          <span
            className="rounded-md bg-slate-100 px-4 py-2 text-sm text-slate-500"
            title="This product cannot be launched yet"
          >
            Not available yet
          </span>
        )}
        {!subscribed && (
          <Link
            href={`/products/${app.slug}`}
            className="rounded-md border border-slate-300 px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50"
          >
            Unlock
          </Link>
        )}
      </div>
    </li>
  );
}
