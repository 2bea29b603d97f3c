import Link from 'next/link';
import type { TTimelineEntry, TTimelineKind } from '@/lib/admin/describe-timeline-entry';
import type { TTimelinePage } from '@/lib/admin/load-customer-timeline';
import { Empty, ExternalLink, formatWhen } from './customer-parts';

const KIND_LABEL: Record<TTimelineKind, string> = {
  signup: 'Sign-up',
  account: 'Account',
  svd: 'SecureVault',
  launch: 'Launch',
  checkout: 'Checkout',
  payment: 'Payment',
  payment_failed: 'Payment failed',
  refund: 'Refund',
  duplicate: 'Duplicate',
  stripe_event: 'Stripe',
  email: 'Email',
  plan_change: 'Plan change',
  migration: 'Migration',
  staff_action: 'Staff action',
};

const KIND_TONE: Partial<Record<TTimelineKind, string>> = {
  payment: 'bg-emerald-50 text-emerald-700',
  payment_failed: 'bg-amber-50 text-amber-700',
  refund: 'bg-rose-50 text-rose-700',
  duplicate: 'bg-rose-50 text-rose-700',
  staff_action: 'bg-violet-50 text-violet-700',
  plan_change: 'bg-sky-50 text-sky-700',
};

function Entry({ entry }: { entry: TTimelineEntry }) {
  return (
    <li className="min-w-0 px-4 py-3 sm:px-6" data-testid="timeline-entry" data-kind={entry.kind}>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-500">
        <time dateTime={entry.at.toISOString()}>{formatWhen(entry.at)}</time>
        <span
          className={`rounded-full px-2 py-0.5 font-medium ${KIND_TONE[entry.kind] ?? 'bg-slate-100 text-slate-600'}`}
        >
          {KIND_LABEL[entry.kind]}
        </span>
      </div>
      <p className="mt-1 text-sm break-words [overflow-wrap:anywhere]">{entry.summary}</p>
      {entry.link ? (
        <p className="mt-0.5">
          <ExternalLink href={entry.link.url}>{entry.link.label}</ExternalLink>
        </p>
      ) : null}
    </li>
  );
}

/** The customer's timeline, newest first, one page at a time (`?before=`: older entries). */
export function CustomerTimeline({
  customerId,
  timeline,
  paged,
}: {
  customerId: string;
  timeline: TTimelinePage;
  paged: boolean;
}) {
  if (timeline.entries.length === 0) return <Empty>Nothing has happened to this customer yet.</Empty>;
  return (
    <div>
      <ol className="divide-y divide-slate-200 rounded-2xl border border-slate-200 bg-white">
        {timeline.entries.map((entry) => (
          <Entry key={entry.id} entry={entry} />
        ))}
      </ol>
      <nav aria-label="Timeline pages" className="mt-3 flex flex-wrap gap-3 text-sm">
        {paged ? (
          <Link href={`/admin/customers/${customerId}#timeline-heading`} className="text-sky-700 underline">
            Newest entries
          </Link>
        ) : null}
        {timeline.nextCursor ? (
          <Link
            href={`/admin/customers/${customerId}?before=${encodeURIComponent(timeline.nextCursor)}#timeline-heading`}
            className="text-sky-700 underline"
            data-testid="timeline-older"
          >
            Older entries
          </Link>
        ) : null}
      </nav>
    </div>
  );
}
