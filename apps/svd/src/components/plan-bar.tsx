import { formatBillingDay } from '@omg/contract';
import type { TVaultStatus } from '@/lib/entitlements/get-vault-status';
import { NOTICE_RATIO } from '@/lib/entitlements/get-vault-status';
import { formatBytes, formatBytesOf } from '@/lib/format-bytes';

const BADGE: Record<string, string> = {
  trial: 'bg-sky-50 text-sky-700 ring-sky-200',
  trial_ended: 'bg-slate-100 text-slate-600 ring-slate-200',
  active: 'bg-emerald-50 text-emerald-700 ring-emerald-200',
  past_due: 'bg-amber-50 text-amber-800 ring-amber-200',
  canceled: 'bg-rose-50 text-rose-700 ring-rose-200',
};

export function PlanBadge({ status, testId = 'plan-badge' }: { status: TVaultStatus; testId?: string }) {
  return (
    <span
      data-testid={testId}
      className={`inline-flex rounded-full px-3 py-1 text-sm font-medium ring-1 ${BADGE[status.entitlement.state] ?? ''}`}
    >
      {status.entitlement.label}
    </span>
  );
}

function Meter(props: { label: string; used: number; limit: number; text: string; testId: string }) {
  const ratio = props.limit > 0 ? props.used / props.limit : 1;
  const color = ratio >= 1 ? 'bg-rose-500' : ratio >= NOTICE_RATIO ? 'bg-amber-500' : 'bg-vault-600';
  return (
    <div data-testid={props.testId}>
      <div className="flex justify-between text-sm">
        <span className="font-medium text-slate-700">{props.label}</span>
        <span className="text-slate-600" data-testid={`${props.testId}-text`}>
          {props.text}
        </span>
      </div>
      <div className="mt-1.5 h-2 overflow-hidden rounded-full bg-slate-100" aria-hidden="true">
        <div className={`h-full ${color}`} style={{ width: `${Math.min(100, ratio * 100)}%` }} />
      </div>
    </div>
  );
}

/** Plan, usage meters against the plan, and every warning a user needs to act on. */
export function PlanPanel({
  status,
  upgradeUrl,
  billingUrl,
}: {
  status: TVaultStatus;
  upgradeUrl: string | null;
  billingUrl: string;
}) {
  const { limits, state } = status.entitlement;
  const storageRatio = status.storageUsedBytes / limits.storageBytes;
  const unitsRatio = status.unitsUsed / limits.processingUnitsPerMonth;
  const notices: {
    tone: 'warn' | 'info' | 'error';
    text: string;
    link?: { href: string; label: string };
    /** The storage notices' way out (issue 16): the same upgrade as the panel's button, as a button. */
    upgrade?: boolean;
  }[] = [];
  if (state === 'past_due') {
    notices.push({
      tone: 'error',
      text: 'Payment failed — update your payment method to keep your plan.',
      link: { href: billingUrl, label: 'Update payment method' },
    });
  }
  // The one notice of a blocked upload (the upload area refers to it rather than repeating it).
  if (status.uploadBlockedReason) {
    const usage = status.overStorage
      ? ` You are using ${formatBytesOf(status.storageUsedBytes, limits.storageBytes)} the ${limits.name} plan allows.`
      : '';
    notices.push({
      tone: 'warn',
      text: `${status.uploadBlockedReason}${usage}`,
      upgrade: status.overStorage,
    });
  } else if (storageRatio >= 1) {
    notices.push({
      tone: 'warn',
      text: `Your storage is full (${formatBytes(limits.storageBytes)}). Delete documents or upgrade to upload more.`,
      upgrade: true,
    });
  } else if (storageRatio >= NOTICE_RATIO) {
    notices.push({
      tone: 'info',
      text: `You have used ${Math.round(storageRatio * 100)}% of your storage (${formatBytesOf(status.storageUsedBytes, limits.storageBytes)}).`,
      upgrade: true,
    });
  }
  const { cancelsAt } = status.entitlement;
  if (cancelsAt) {
    // The badge's words and day ("Cancels on Jan 1, 2027"), as the Hub's billing page says them.
    notices.push({
      tone: 'info',
      text: `Your subscription cancels on ${formatBillingDay(cancelsAt)}. Your plan and uploads continue until then.`,
      link: { href: billingUrl, label: 'Resume on the billing page' },
    });
  }
  const scheduled = status.entitlement.scheduled;
  if (scheduled) {
    const date = scheduled.at.toLocaleDateString('en-US', { dateStyle: 'long', timeZone: 'UTC' });
    const over = status.storageUsedBytes > scheduled.limits.storageBytes;
    notices.push({
      tone: over ? 'warn' : 'info',
      text: over
        ? `Your plan changes to ${scheduled.limits.name} on ${date}. You use ${formatBytesOf(status.storageUsedBytes, scheduled.limits.storageBytes)} ${scheduled.limits.name} allows, so uploads will be disabled from then until your usage is under the limit. Nothing will be deleted.`
        : `Your plan changes to ${scheduled.limits.name} on ${date}.`,
    });
  }
  if (unitsRatio >= 1) {
    notices.push({
      tone: 'warn',
      text: 'This month’s processing units are used up: new documents are stored but not indexed for search until they reset.',
    });
  } else if (unitsRatio >= NOTICE_RATIO) {
    notices.push({
      tone: 'info',
      text: `You have used ${Math.round(unitsRatio * 100)}% of this month’s processing units.`,
    });
  }
  const tones = {
    error: 'border-rose-200 bg-rose-50 text-rose-800',
    warn: 'border-amber-200 bg-amber-50 text-amber-900',
    info: 'border-sky-200 bg-sky-50 text-sky-900',
  };
  return (
    <section
      className="rounded-2xl border border-slate-200 bg-white p-5 shadow-sm"
      aria-label="Plan and usage"
    >
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex flex-wrap items-center gap-3">
          <PlanBadge status={status} />
          <span className="text-sm text-slate-500">Files up to {formatBytes(limits.maxFileBytes)}</span>
        </div>
        {upgradeUrl && (
          <a
            href={upgradeUrl}
            className="rounded-md bg-vault-600 px-4 py-2 text-sm font-medium text-white hover:bg-vault-700"
          >
            Upgrade
          </a>
        )}
      </div>
      <div className="mt-4 grid gap-4 sm:grid-cols-2">
        <Meter
          label="Storage"
          used={status.storageUsedBytes}
          limit={limits.storageBytes}
          text={formatBytesOf(status.storageUsedBytes, limits.storageBytes)}
          testId="storage-meter"
        />
        <Meter
          label="Processing units this month"
          used={status.unitsUsed}
          limit={limits.processingUnitsPerMonth}
          text={`${status.unitsUsed.toLocaleString('en-US')} of ${limits.processingUnitsPerMonth.toLocaleString('en-US')}`}
          testId="units-meter"
        />
      </div>
      {notices.map((notice) => (
        <p
          key={notice.text}
          role="status"
          className={`mt-4 rounded-lg border px-4 py-3 text-sm ${tones[notice.tone]}`}
        >
          {notice.text}{' '}
          {notice.link && (
            <a href={notice.link.href} className="font-medium underline">
              {notice.link.label}
            </a>
          )}
          {notice.upgrade && upgradeUrl && (
            <a
              href={upgradeUrl}
              data-testid="notice-upgrade"
              className="ml-1 inline-block rounded-md bg-vault-600 px-3 py-1 text-xs font-medium text-white hover:bg-vault-700"
            >
              Upgrade
            </a>
          )}
        </p>
      ))}
    </section>
  );
}
