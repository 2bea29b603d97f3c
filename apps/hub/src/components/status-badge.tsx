import type { TPortalStatus } from '@/lib/portal/get-portal-apps';

const STYLES: Record<TPortalStatus, { label: string; className: string }> = {
  not_subscribed: { label: 'Not subscribed', className: 'bg-slate-100 text-slate-600' },
  active: { label: 'Active', className: 'bg-emerald-50 text-emerald-700' },
  past_due: { label: 'Past due', className: 'bg-amber-50 text-amber-700' },
  canceled: { label: 'Canceled', className: 'bg-rose-50 text-rose-700' },
};

export function StatusBadge({ status }: { status: TPortalStatus }) {
  const style = STYLES[status];
  return (
    <span
      className={`inline-flex rounded-full px-2.5 py-0.5 text-xs font-medium ${style.className}`}
      data-testid="app-status"
    >
      {style.label}
    </span>
  );
}
